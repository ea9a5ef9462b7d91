// recognize-gelu: the exporters' GELU spellings become Gelu (opset 20):
//   erf form:  0.5 * x * (1 + Erf(x / sqrt(2)))        (or x * 0.70710678)
//   tanh form: 0.5 * x * (1 + Tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))
// with the final products in any association: (x*a)*0.5, x*(a*0.5),
// (x*0.5)*a.
#include "passes/recognize/MatchUtil.h"

#include <cmath>

namespace edgec {
namespace {

bool near(double a, double b, double tol = 1e-5) {
  return std::fabs(a - b) <= tol * std::max(1.0, std::fabs(b));
}

/// x / sqrt(2) or x * (1/sqrt(2)): x.
Value *matchScaledInput(const Value *v) {
  Node *p = v ? v->producer() : nullptr;
  if (!p) return nullptr;
  auto xc = withScalarConstant(*p);
  if (!xc) return nullptr;
  if (isOp(p, "Div") && p->input(0) == xc->first && near(xc->second, std::sqrt(2.0)))
    return xc->first;
  if (isOp(p, "Mul") && near(xc->second, 1.0 / std::sqrt(2.0))) return xc->first;
  return nullptr;
}

/// sqrt(2/pi) * (x + 0.044715 * x^3): x. Intermediates must be single use
/// except x.
Value *matchTanhArgument(const UseCounts &uc, const Value *v) {
  Node *outer = producerIs(v, "Mul");
  if (!outer) return nullptr;
  auto sc = withScalarConstant(*outer);
  if (!sc || !near(sc->second, std::sqrt(2.0 / M_PI), 1e-4)) return nullptr;
  Value *inner = sc->first;
  Node *add = producerIs(inner, "Add");
  if (!add || !usesExactly(uc, {{inner, 1}})) return nullptr;
  for (int side = 0; side < 2; ++side) {
    Value *x = add->input((size_t)side), *cube = add->input((size_t)(1 - side));
    Node *k = producerIs(cube, "Mul");
    if (!k || !usesExactly(uc, {{cube, 1}})) continue;
    auto kc = withScalarConstant(*k);
    if (!kc || !near(kc->second, 0.044715, 1e-4)) continue;
    Value *p3 = kc->first;
    if (!usesExactly(uc, {{p3, 1}})) continue;
    Node *pw = p3->producer();
    if (isOp(pw, "Pow") && pw->input(0) == x && isConstantNear(pw->input(1), 3.0))
      return x;
    if (isOp(pw, "Mul")) { // x * (x * x) or (x * x) * x
      Value *a = pw->input(0), *b = pw->input(1);
      Value *sq = a == x ? b : (b == x ? a : nullptr);
      Node *sqn = producerIs(sq, "Mul");
      if (sqn && sqn->input(0) == x && sqn->input(1) == x && usesExactly(uc, {{sq, 1}}))
        return x;
    }
  }
  return nullptr;
}

bool match(Graph &g, Node *n) {
  if (!isOp(n, "Erf") && !isOp(n, "Tanh")) return false;
  UseCounts uc(g);
  bool erf = isOp(n, "Erf");
  Value *x = erf ? matchScaledInput(n->input(0)) : matchTanhArgument(uc, n->input(0));
  if (!x || !usesExactly(uc, {{n->input(0), 1}, {n->outputs[0], 1}})) return false;
  // 1 + f(x)
  std::vector<Node *> users = g.usersOf(n->outputs[0]);
  if (users.size() != 1 || !isOp(users[0], "Add")) return false;
  Node *plus = users[0];
  auto one = withScalarConstant(*plus);
  if (!one || one->second != 1.0 || !usesExactly(uc, {{plus->outputs[0], 1}}))
    return false;
  Value *a = plus->outputs[0];
  std::vector<Node *> u1 = g.usersOf(a);
  if (u1.size() != 1 || !isOp(u1[0], "Mul")) return false;
  Node *m1 = u1[0];
  Value *other = otherOperand(*m1, a);
  Node *root = nullptr;
  if (other == x) { // (x * a) * 0.5
    std::vector<Node *> u2 = g.usersOf(m1->outputs[0]);
    if (u2.size() != 1 || !isOp(u2[0], "Mul") ||
        !usesExactly(uc, {{m1->outputs[0], 1}}))
      return false;
    auto h = withScalarConstant(*u2[0]);
    if (!h || h->second != 0.5) return false;
    root = u2[0];
  } else if (isConstantNear(other, 0.5)) { // x * (a * 0.5)
    std::vector<Node *> u2 = g.usersOf(m1->outputs[0]);
    if (u2.size() != 1 || !isOp(u2[0], "Mul") ||
        !usesExactly(uc, {{m1->outputs[0], 1}}) ||
        otherOperand(*u2[0], m1->outputs[0]) != x)
      return false;
    root = u2[0];
  } else if (Node *half = producerIs(other, "Mul")) { // (x * 0.5) * a
    auto h = withScalarConstant(*half);
    if (!h || h->first != x || h->second != 0.5 || !usesExactly(uc, {{other, 1}}))
      return false;
    root = m1;
  } else {
    return false;
  }
  Value *y = root->outputs[0];
  if (!y || !sameShapeAndType(x, y) ||
      !isFloatType(y->type.dtype))
    return false;
  Node *gelu = replaceWithOp(g, root, "Gelu", {x}, 20);
  gelu->attrs["approximate"] = Attribute::makeString(erf ? "none" : "tanh");
  return true;
}

class RecognizeGeluPass : public Pass {
public:
  const char *name() const override { return "recognize-gelu"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    return runMatcher(m, ctx, "gelu-recognized", match);
  }
};

} // namespace

std::unique_ptr<Pass> createRecognizeGeluPass() {
  return std::make_unique<RecognizeGeluPass>();
}

} // namespace edgec
