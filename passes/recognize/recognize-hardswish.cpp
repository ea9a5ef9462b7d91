// recognize-hardswish: spellings of HardSwish become the op:
//   x * HardSigmoid(x; alpha=1/6, beta=0.5)   (either operand order)
//   x * Clip(x + 3, 0, 6) / 6  and  (x * Clip(x + 3, 0, 6)) * (1/6)
#include "passes/recognize/MatchUtil.h"

#include <cmath>

namespace edgec {
namespace {

bool near(double a, double b) { return std::fabs(a - b) <= 1e-6 * std::max(1.0, std::fabs(b)); }


/// x*HardSigmoid(x) with the HardSwish constants, or x*Clip(x+3,0,6): x.
Value *matchProduct(const UseCounts &uc, Node *mul, bool wantClip) {
  if (!isOp(mul, "Mul") || mul->inputs.size() != 2) return nullptr;
  for (int side = 0; side < 2; ++side) {
    Value *x = mul->input((size_t)side), *h = mul->input((size_t)(1 - side));
    if (!x || !h || !usesExactly(uc, {{h, 1}})) continue;
    if (!wantClip) {
      Node *hs = producerIs(h, "HardSigmoid");
      if (!hs || hs->input(0) != x) continue;
      const Attribute *a = hs->attr("alpha");
      const Attribute *b = hs->attr("beta");
      if (!a || !b || !near(a->f, 1.0 / 6) || !near(b->f, 0.5)) continue;
      return x;
    }
    Node *clip = producerIs(h, "Clip");
    if (!clip) continue;
    auto bnd = clipBounds(*clip);
    if (!bnd || bnd->first != 0 || bnd->second != 6) continue;
    Value *s = clip->input(0);
    Node *add = producerIs(s, "Add");
    if (!add || !usesExactly(uc, {{s, 1}})) continue;
    auto xc = withScalarConstant(*add);
    if (!xc || xc->first != x || xc->second != 3) continue;
    return x;
  }
  return nullptr;
}

bool match(Graph &g, Node *n) {
  UseCounts uc(g);
  Value *y = n->outputs.empty() ? nullptr : n->outputs[0];
  if (!y || !isFloatType(y->type.dtype)) return false;
  Value *x = nullptr;
  if (isOp(n, "Mul")) x = matchProduct(uc, n, false);
  if (!x && (isOp(n, "Div") || isOp(n, "Mul"))) {
    auto u = uniformConstant(n->input(1));
    bool scale = u && (isOp(n, "Div") ? near(*u, 6) : near(*u, 1.0 / 6));
    Value *p = n->input(0);
    if (scale && usesExactly(uc, {{p, 1}}) && p->producer())
      x = matchProduct(uc, p->producer(), true);
  }
  if (!x || !sameShapeAndType(x, y)) return false;
  replaceWithOp(g, n, "HardSwish", {x}, 14);
  return true;
}

class RecognizeHardSwishPass : public Pass {
public:
  const char *name() const override { return "recognize-hardswish"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    return runMatcher(m, ctx, "hardswish-recognized", match);
  }
};

} // namespace

std::unique_ptr<Pass> createRecognizeHardSwishPass() {
  return std::make_unique<RecognizeHardSwishPass>();
}

} // namespace edgec
