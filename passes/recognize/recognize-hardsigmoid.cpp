// recognize-hardsigmoid: spellings of HardSigmoid become the op:
//   Clip(x * a + b, 0, 1)            -> HardSigmoid(x, alpha=a, beta=b)
//   Clip(x + 3, 0, 6) / 6  (or * 1/6) -> HardSigmoid(x, alpha=1/6, beta=0.5)
#include "passes/recognize/MatchUtil.h"

#include <cmath>

namespace edgec {
namespace {

bool near(double a, double b) { return std::fabs(a - b) <= 1e-6 * std::max(1.0, std::fabs(b)); }

Node *makeHardSigmoid(Graph &g, Node *root, Value *x, double alpha, double beta) {
  Node *n = replaceWithOp(g, root, "HardSigmoid", {x}, 6);
  n->attrs["alpha"] = Attribute::makeFloat((float)alpha);
  n->attrs["beta"] = Attribute::makeFloat((float)beta);
  return n;
}

/// Clip(x + 3, 0, 6) with a single-use intermediate: returns x.
Value *matchRelu6Shifted(const UseCounts &uc, const Value *v) {
  Node *clip = producerIs(v, "Clip");
  if (!clip) return nullptr;
  auto b = clipBounds(*clip);
  if (!b || b->first != 0 || b->second != 6) return nullptr;
  Value *s = clip->input(0);
  Node *add = producerIs(s, "Add");
  if (!add || !usesExactly(uc, {{s, 1}})) return nullptr;
  auto xc = withScalarConstant(*add);
  if (!xc || xc->second != 3) return nullptr;
  return xc->first;
}

bool match(Graph &g, Node *n) {
  UseCounts uc(g);
  Value *y = n->outputs.empty() ? nullptr : n->outputs[0];
  if (!y || !isFloatType(y->type.dtype)) return false;
  // Clip(x + 3, 0, 6) / 6 and Clip(x + 3, 0, 6) * (1/6).
  if (isOp(n, "Div") || isOp(n, "Mul")) {
    Value *c = n->input(1);
    auto u = uniformConstant(c);
    if (!u) return false;
    if (!(isOp(n, "Div") ? near(*u, 6) : near(*u, 1.0 / 6))) return false;
    Value *r6 = n->input(0);
    if (!usesExactly(uc, {{r6, 1}})) return false;
    Value *x = matchRelu6Shifted(uc, r6);
    if (!x || x->type.dtype != y->type.dtype) return false;
    if (!sameShapeAndType(x, y))
      return false;
    makeHardSigmoid(g, n, x, 1.0 / 6, 0.5);
    return true;
  }
  // Clip(x * a + b, 0, 1).
  if (isOp(n, "Clip")) {
    auto bnd = clipBounds(*n);
    if (!bnd || bnd->first != 0 || bnd->second != 1) return false;
    Value *s = n->input(0);
    Node *add = producerIs(s, "Add");
    if (!add || !usesExactly(uc, {{s, 1}})) return false;
    auto mb = withScalarConstant(*add);
    if (!mb) return false;
    Value *t = mb->first;
    Node *mul = producerIs(t, "Mul");
    if (!mul || !usesExactly(uc, {{t, 1}})) return false;
    auto xa = withScalarConstant(*mul);
    if (!xa) return false;
    Value *x = xa->first;
    if (!sameShapeAndType(x, y))
      return false;
    makeHardSigmoid(g, n, x, xa->second, mb->second);
    return true;
  }
  return false;
}

class RecognizeHardSigmoidPass : public Pass {
public:
  const char *name() const override { return "recognize-hardsigmoid"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    return runMatcher(m, ctx, "hardsigmoid-recognized", match);
  }
};

} // namespace

std::unique_ptr<Pass> createRecognizeHardSigmoidPass() {
  return std::make_unique<RecognizeHardSigmoidPass>();
}

} // namespace edgec
