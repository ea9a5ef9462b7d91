// recognize-rmsnorm: x / Sqrt(ReduceMean(x^2, axes) + eps) [* scale], also
// with x * Reciprocal(...), and axes a suffix of x's dims, becomes
// RMSNormalization(x, scale; axis, epsilon) (opset 23).
#include "passes/recognize/NormUtil.h"

namespace edgec {
namespace {

bool match(Graph &g, Node *n) {
  auto nm = matchNormTail(g, n, false);
  if (!nm || nm->bias) return false;
  Value *x = nm->d;
  auto shape = staticShape(x);
  if (!shape || !isFloatType(x->type.dtype)) return false;
  TensorShape norm(shape->begin() + nm->axis, shape->end());
  Tensor scale(x->type.dtype, norm);
  for (int64_t i = 0; i < scale.numElements(); ++i) scale.setDouble(i, 1.0);
  if (nm->scale) {
    const Tensor &t = *nm->scale->constant;
    TensorShape s = rightAlignedShape(t.shape(), shape->size());
    if (t.rank() > shape->size()) return false;
    for (int64_t i = 0; i < nm->axis; ++i)
      if (s[(size_t)i] != 1) return false;
    auto m = materialize(t.reshaped(TensorShape(s.begin() + nm->axis, s.end())), norm);
    if (!m || m->dtype() != x->type.dtype) return false;
    scale = *m;
  }
  Value *y = nm->root->outputs[0];
  if (!staticShape(y) || *staticShape(y) != *shape) return false;
  Node *rn = replaceWithOp(g, nm->root, "RMSNormalization",
                           {x, addConstant(g, n->name + "/scale", scale)}, 23);
  rn->attrs["axis"] = Attribute::makeInt(nm->axis);
  rn->attrs["epsilon"] = Attribute::makeFloat((float)nm->epsilon);
  return true;
}

class RecognizeRmsNormPass : public Pass {
public:
  const char *name() const override { return "recognize-rmsnorm"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    return runMatcher(m, ctx, "rmsnorm-recognized", match);
  }
};

} // namespace

std::unique_ptr<Pass> createRecognizeRmsNormPass() {
  return std::make_unique<RecognizeRmsNormPass>();
}

} // namespace edgec
