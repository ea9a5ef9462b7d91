#include "onnx/OpsetUpgrade.h"

#include <functional>

namespace edgec {
namespace {

Value *constantInput(Graph &g, const Node &n, const std::string &what, Tensor t) {
  std::string base = (n.name.empty() ? n.opType : n.name) + "_" + what;
  return g.addInitializer(g.uniqueName(base), std::move(t));
}

Tensor int64Vector(const std::vector<int64_t> &v) {
  return Tensor::fromVector<int64_t>({(int64_t)v.size()}, v);
}

/// A one-element tensor of x's element type (float32 when unknown).
Tensor scalarLike(const Value *x, double v) {
  DataType t = x && x->type.dtype != DataType::Undefined ? x->type.dtype
                                                          : DataType::Float32;
  Tensor s(t, {});
  s.setDouble(0, v);
  return s;
}

/// Moves attribute `attr` (ints) to input slot `slot` as an int64 tensor.
void intsAttrToInput(Graph &g, Node &n, const char *attr, size_t slot) {
  auto it = n.attrs.find(attr);
  if (it == n.attrs.end()) return;
  std::vector<int64_t> v = it->second.ints;
  n.attrs.erase(it);
  if (n.inputs.size() <= slot) n.inputs.resize(slot + 1, nullptr);
  n.inputs[slot] = constantInput(g, n, attr, int64Vector(v));
}

Error cannot(const Node &n, int64_t target, const std::string &why) {
  return Error(ErrorCode::Unsupported, n.label() + ": cannot upgrade from opset " +
                                           std::to_string(n.opsetVersion) + " to " +
                                           std::to_string(target) + ": " + why);
}

bool isReduce(const std::string &op) {
  return op == "ReduceMean" || op == "ReduceMax" || op == "ReduceMin" ||
         op == "ReduceProd" || op == "ReduceL1" || op == "ReduceL2" ||
         op == "ReduceLogSum" || op == "ReduceLogSumExp" ||
         op == "ReduceSumSquare";
}

Status upgradeNode(Graph &g, Node &n, int64_t target) {
  const int64_t from = n.opsetVersion;
  const std::string &op = n.opType;
  auto crosses = [&](int64_t v) { return from < v && target >= v; };
  if (op == "Dropout" && crosses(10) && n.outputs.size() > 1 && n.outputs[1])
    n.outputs[1]->type.dtype = DataType::Bool; // the mask became bool in 10
  if (op == "Clip" && crosses(11)) {
    // min / max attributes (defaults: the float range) become inputs.
    Value *x = n.input(0);
    std::vector<Value *> ins{x, nullptr, nullptr};
    if (const Attribute *a = n.attr("min"))
      ins[1] = constantInput(g, n, "min", scalarLike(x, a->f));
    if (const Attribute *a = n.attr("max"))
      ins[2] = constantInput(g, n, "max", scalarLike(x, a->f));
    n.attrs.erase("min");
    n.attrs.erase("max");
    while (ins.size() > 1 && !ins.back()) ins.pop_back();
    n.inputs = ins;
  } else if (op == "Pad" && crosses(11)) {
    Value *x = n.input(0);
    std::vector<int64_t> pads;
    if (const Attribute *a = n.attr("pads")) pads = a->ints;
    double value = 0;
    if (const Attribute *a = n.attr("value")) value = a->f;
    n.attrs.erase("pads");
    n.attrs.erase("value");
    n.inputs = {x, constantInput(g, n, "pads", int64Vector(pads)),
                constantInput(g, n, "constant_value", scalarLike(x, value))};
  } else if (op == "Slice" && crosses(10)) {
    std::vector<int64_t> starts, ends, axes;
    if (const Attribute *a = n.attr("starts")) starts = a->ints;
    if (const Attribute *a = n.attr("ends")) ends = a->ints;
    const Attribute *ax = n.attr("axes");
    if (ax) axes = ax->ints;
    Value *x = n.input(0);
    std::vector<Value *> ins{x, constantInput(g, n, "starts", int64Vector(starts)),
                             constantInput(g, n, "ends", int64Vector(ends))};
    if (ax) ins.push_back(constantInput(g, n, "axes", int64Vector(axes)));
    n.attrs.erase("starts");
    n.attrs.erase("ends");
    n.attrs.erase("axes");
    n.inputs = ins;
  } else if (op == "TopK" && crosses(10)) {
    int64_t k = 0;
    if (const Attribute *a = n.attr("k")) k = a->i;
    n.attrs.erase("k");
    n.inputs = {n.input(0), constantInput(g, n, "k", int64Vector({k}))};
  } else if (op == "Dropout" && crosses(12)) {
    // Inference Dropout is the identity whatever the ratio.
    n.attrs.erase("ratio");
  } else if ((op == "Upsample" && target >= 10) ||
             (op == "Resize" && crosses(11))) {
    // Opset 9/10 semantics: asymmetric coordinates; nearest rounds down
    // when upsampling and up when downsampling.
    Value *scales = n.input(1);
    std::string mode = "nearest";
    if (const Attribute *a = n.attr("mode")) mode = a->s;
    if (op == "Upsample" && from < 9) {
      const Attribute *a = n.attr("scales");
      if (!a) return cannot(n, target, "Upsample without scales");
      std::vector<float> s = a->floats;
      scales = constantInput(g, n, "scales",
                             Tensor::fromVector<float>({(int64_t)s.size()}, s));
      n.attrs.erase("scales");
    }
    if (!scales) return cannot(n, target, "no scales input");
    std::string nearestMode = "floor";
    if (mode == "nearest") {
      if (!scales->constant)
        return cannot(n, target, "nearest resize with non-constant scales");
      bool up = true, down = true;
      for (int64_t i = 0; i < scales->constant->numElements(); ++i) {
        const double s = scales->constant->getDouble(i);
        up = up && s >= 1;
        down = down && s <= 1;
      }
      if (!up && !down)
        return cannot(n, target, "nearest resize that both up- and downsamples");
      nearestMode = up ? "floor" : "ceil";
    }
    n.opType = "Resize";
    n.attrs["mode"] = Attribute::makeString(mode);
    n.attrs["coordinate_transformation_mode"] = Attribute::makeString("asymmetric");
    if (mode == "nearest")
      n.attrs["nearest_mode"] = Attribute::makeString(nearestMode);
    n.inputs = {n.input(0), nullptr, scales};
  } else if ((op == "Squeeze" || op == "Unsqueeze" || op == "ReduceSum") &&
             crosses(13)) {
    intsAttrToInput(g, n, "axes", 1);
  } else if (op == "Split" && crosses(13)) {
    intsAttrToInput(g, n, "split", 1);
  } else if (isReduce(op) && crosses(18)) {
    intsAttrToInput(g, n, "axes", 1);
  } else if ((op == "Softmax" || op == "LogSoftmax" || op == "Hardmax") &&
             crosses(13)) {
    // Before 13 the input was flattened to 2-D at `axis` (default 1); the
    // same as the new single-axis form only when that axis is the last.
    const Value *x = n.input(0);
    int64_t axis = 1;
    if (const Attribute *a = n.attr("axis")) axis = a->i;
    if (!x || !x->type.hasRank)
      return cannot(n, target, "the input rank is unknown");
    const int64_t rank = (int64_t)x->type.rank();
    if (axis < 0) axis += rank;
    if (axis != rank - 1 && rank > 0) {
      // All dims after the axis of extent 1 also make them equal.
      for (int64_t d = axis + 1; d < rank; ++d)
        if (!x->type.dims[(size_t)d].isStatic() || x->type.dims[(size_t)d].value != 1)
          return cannot(n, target,
                        "softmax over flattened axes " + std::to_string(axis) +
                            ".. (insert a Reshape first)");
    }
    n.attrs["axis"] = Attribute::makeInt(axis);
  } else if (op == "GridSample" && crosses(20)) {
    if (Attribute *a = n.attrs.count("mode") ? &n.attrs["mode"] : nullptr) {
      if (a->s == "bilinear") a->s = "linear";
      else if (a->s == "bicubic") a->s = "cubic";
    }
  }
  n.opsetVersion = target;
  return Status::ok();
}

Status upgradeGraph(Graph &g, int64_t target) {
  std::vector<Node *> nodes;
  for (const auto &n : g.nodes()) nodes.push_back(n.get());
  for (Node *n : nodes) {
    for (Graph *sg : n->subgraphs()) EDGEC_TRY(upgradeGraph(*sg, target));
    if (!n->domain.empty() || n->opsetVersion >= target) continue;
    EDGEC_TRY(upgradeNode(g, *n, target));
  }
  return Status::ok();
}

} // namespace

Status upgradeOpset(Model &m, int64_t target) {
  if (m.defaultOpset() >= target) return Status::ok();
  EDGEC_TRY(upgradeGraph(*m.graph, target));
  m.opsets[""] = target;
  return Status::ok();
}

} // namespace edgec
