#include "shape/ShapeInference.h"

#include "ir/Annotations.h"
#include "shape/Inference.h"

#include <algorithm>
#include <unordered_map>

namespace edgec {

Tensor shapeOrSizeValue(const Node &n, const TensorShape &s) {
  if (n.opType == "Size") {
    int64_t p = 1;
    for (int64_t d : s) p *= d;
    return Tensor::scalar<int64_t>(p);
  }
  int64_t r = (int64_t)s.size();
  int64_t start = 0, end = r;
  if (const Attribute *a = n.attr("start")) start = a->i;
  if (const Attribute *a = n.attr("end")) end = a->i;
  if (start < 0) start += r;
  if (end < 0) end += r;
  start = std::clamp<int64_t>(start, 0, r);
  end = std::clamp<int64_t>(end, 0, r);
  std::vector<int64_t> v;
  for (int64_t i = start; i < end; ++i) v.push_back(s[(size_t)i]);
  return Tensor::fromVector<int64_t>({(int64_t)v.size()}, v);
}

namespace {

class Inferrer {
public:
  explicit Inferrer(const ShapeInferenceOptions &o) : opts_(o) {}

  void run(Graph &g) {
    for (const auto &n : g.nodes()) inferNode(*n);
  }
  std::vector<ShapeDiagnostic> diags;

private:
  const Tensor *known(const Value *v) const {
    if (v->constant) return &*v->constant;
    auto it = values_.find(v);
    return it == values_.end() ? nullptr : &it->second;
  }

  /// Merges an inferred type into the declared one, keeping the more
  /// precise information of each.
  void merge(Value &v, const TensorType &inferred) {
    TensorType &cur = v.type;
    if (inferred.dtype != DataType::Undefined) cur.dtype = inferred.dtype;
    if (!inferred.hasRank) return;
    if (!cur.hasRank || cur.rank() != inferred.rank()) {
      cur.hasRank = true;
      cur.dims = inferred.dims;
      return;
    }
    for (size_t i = 0; i < cur.rank(); ++i) {
      const Dim &d = inferred.dims[i];
      if (d.isStatic() || (!cur.dims[i].isStatic() && !d.symbol.empty()))
        cur.dims[i] = d;
    }
  }

  void inferNode(Node &n) {
    for (Graph *sg : n.subgraphs()) run(*sg);
    const InferFn *infer = InferRegistry::builtin().find(n.domain, n.opType);
    std::vector<const TensorType *> types;
    std::vector<const Tensor *> vals;
    bool allKnown = true;
    int64_t totalIn = 0;
    for (const Value *v : n.inputs) {
      types.push_back(v ? &v->type : nullptr);
      const Tensor *t = v ? known(v) : nullptr;
      vals.push_back(t);
      if (v && !t) allKnown = false;
      if (t) totalIn += t->numElements();
    }

    // Shape/Size of a static-shaped value are constants.
    if ((n.opType == "Shape" || n.opType == "Size") && n.domain.empty() &&
        n.inputs.size() == 1 && n.inputs[0] && n.inputs[0]->type.isStatic() &&
        !vals[0]) {
      Tensor dummyShapeOnly = shapeOrSizeValue(n, n.inputs[0]->type.staticShape());
      if (dummyShapeOnly.isValid() && n.outputs.size() == 1 && n.outputs[0]) {
        merge(*n.outputs[0],
              TensorType(dummyShapeOnly.dtype(), dummyShapeOnly.shape()));
        values_[n.outputs[0]] = dummyShapeOnly;
        return;
      }
    }

    if (opts_.evaluator && allKnown && n.subgraphs().empty() &&
        totalIn <= opts_.maxConstantElements &&
        n.opType.rfind("Random", 0) != 0 && n.opType != "Bernoulli") {
      Expected<std::vector<Tensor>> r = [&] {
        // Folding must not allocate more than a constant may hold.
        ScopedTensorSizeLimit limit((uint64_t)opts_.maxConstantElements * 16);
        return opts_.evaluator->evaluate(n, vals);
      }();
      if (r.isOk()) {
        for (size_t i = 0; i < n.outputs.size() && i < r->size(); ++i) {
          Value *o = n.outputs[i];
          if (!o || !(*r)[i].isValid()) continue;
          merge(*o, TensorType((*r)[i].dtype(), (*r)[i].shape()));
          if ((*r)[i].numElements() <= opts_.maxConstantElements)
            values_[o] = (*r)[i];
        }
        return;
      }
      if (r.error().code() != ErrorCode::Unsupported &&
          r.error().code() != ErrorCode::Runtime)
        diags.push_back({r.error(), &n});
    }
    // A node without outputs (a hostile model may declare one) has nothing
    // to infer; the inference functions write at least outputs[0].
    if (!infer || n.outputs.empty()) return;
    // Channels-last annotation: infer in NCHW terms, then permute back.
    const bool nhwc = isChannelsLast(n) && !types.empty() && types[0] &&
                      types[0]->hasRank && types[0]->rank() >= 3;
    TensorType nchwIn;
    if (nhwc) {
      nchwIn = permuteType(*types[0], toChannelsFirstPerm(types[0]->rank()));
      types[0] = &nchwIn;
      vals[0] = nullptr;
    }
    InferContext ctx(n, types, vals);
    Status s = (*infer)(ctx);
    if (!s.isOk()) {
      const std::string &m = s.error().message();
      diags.push_back({m.rfind("node '", 0) == 0
                           ? s.error()
                           : s.error().withContext(n.label() + ": "),
                       &n});
      return;
    }
    if (nhwc && !ctx.outputs.empty() && ctx.outputs[0].hasRank &&
        ctx.outputs[0].rank() >= 3)
      ctx.outputs[0] = permuteType(ctx.outputs[0],
                                   toChannelsLastPerm(ctx.outputs[0].rank()));
    for (size_t i = 0; i < n.outputs.size() && i < ctx.outputs.size(); ++i)
      if (n.outputs[i]) merge(*n.outputs[i], ctx.outputs[i]);
  }

  ShapeInferenceOptions opts_;
  /// Lookup only; never iterated.
  std::unordered_map<const Value *, Tensor> values_;
};

} // namespace

std::vector<ShapeDiagnostic> inferShapesDiagnose(Model &m,
                                                 const ShapeInferenceOptions &o) {
  Inferrer inf(o);
  inf.run(*m.graph);
  return std::move(inf.diags);
}

std::vector<Error> inferShapesCollect(Model &m,
                                      const ShapeInferenceOptions &o) {
  std::vector<Error> errors;
  for (ShapeDiagnostic &d : inferShapesDiagnose(m, o))
    errors.push_back(std::move(d.error));
  return errors;
}

Status inferShapes(Model &m, const ShapeInferenceOptions &o) {
  (void)inferShapesCollect(m, o);
  return Status::ok();
}

} // namespace edgec
