// recognize-layernorm: the decomposed layer norm of exporters
//   m = ReduceMean(x, axes); d = x - m; v = ReduceMean(d^2, axes)
//   y = d / Sqrt(v + eps) [* scale] [+ bias]
// with axes a suffix of x's dims becomes LayerNormalization(x, scale, bias;
// axis, epsilon) (opset 17). Scale and bias must be constants that vary only
// over the normalised dims; they are materialised to that shape.
#include "passes/recognize/NormUtil.h"

namespace edgec {
namespace {

/// Constant c as a tensor of exactly shape `norm` (the normalised dims),
/// when its broadcast over the full-rank output varies only there.
std::optional<Tensor> affineParam(const Value *c, const TensorShape &full, int64_t axis) {
  const Tensor &t = *c->constant;
  TensorShape s = rightAlignedShape(t.shape(), full.size());
  if (t.rank() > full.size()) return std::nullopt;
  for (int64_t i = 0; i < axis; ++i)
    if (s[(size_t)i] != 1) return std::nullopt;
  TensorShape tail(s.begin() + axis, s.end());
  TensorShape norm(full.begin() + axis, full.end());
  return materialize(t.reshaped(tail), norm);
}

bool match(Graph &g, Node *n) {
  auto nm = matchNormTail(g, n, true);
  if (!nm) return false;
  Node *sub = producerIs(nm->d, "Sub");
  if (!sub) return false;
  Value *x = sub->input(0), *mean = sub->input(1);
  Node *rm = producerIs(mean, "ReduceMean");
  UseCounts uc(g);
  if (!x || !rm || rm->input(0) != x || !usesExactly(uc, {{mean, 1}})) return false;
  auto shape = staticShape(x);
  if (!shape || !isFloatType(x->type.dtype)) return false;
  auto ri = reduceInfo(*rm, shape->size());
  auto vi = reduceInfo(*nm->meanSq, shape->size());
  if (!ri || !vi || !ri->keepdims || ri->axes != vi->axes) return false;
  TensorShape norm(shape->begin() + nm->axis, shape->end());
  Tensor scale(x->type.dtype, norm);
  for (int64_t i = 0; i < scale.numElements(); ++i) scale.setDouble(i, 1.0);
  if (nm->scale) {
    auto s = affineParam(nm->scale, *shape, nm->axis);
    if (!s || s->dtype() != x->type.dtype) return false;
    scale = *s;
  }
  std::optional<Tensor> bias;
  if (nm->bias) {
    bias = affineParam(nm->bias, *shape, nm->axis);
    if (!bias || bias->dtype() != x->type.dtype) return false;
  }
  Value *y = nm->root->outputs[0];
  if (!staticShape(y) || *staticShape(y) != *shape) return false;
  std::vector<Value *> ins{x, addConstant(g, n->name + "/scale", scale)};
  if (bias) ins.push_back(addConstant(g, n->name + "/bias", *bias));
  Node *ln = replaceWithOp(g, nm->root, "LayerNormalization", ins, 17);
  ln->attrs["axis"] = Attribute::makeInt(nm->axis);
  ln->attrs["epsilon"] = Attribute::makeFloat((float)nm->epsilon);
  return true;
}

class RecognizeLayerNormPass : public Pass {
public:
  const char *name() const override { return "recognize-layernorm"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    return runMatcher(m, ctx, "layernorm-recognized", match);
  }
};

} // namespace

std::unique_ptr<Pass> createRecognizeLayerNormPass() {
  return std::make_unique<RecognizeLayerNormPass>();
}

} // namespace edgec
