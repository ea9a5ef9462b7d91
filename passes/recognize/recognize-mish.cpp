// recognize-mish: x * Tanh(Softplus(x)), with Softplus also spelled
// Log(Exp(x) + 1), becomes Mish(x) (opset 18).
#include "passes/recognize/MatchUtil.h"

namespace edgec {
namespace {

/// Softplus(x) or Log(Exp(x) + 1) producing v: x.
Value *matchSoftplus(const UseCounts &uc, const Value *v) {
  if (Node *sp = producerIs(v, "Softplus")) return sp->input(0);
  Node *log = producerIs(v, "Log");
  if (!log) return nullptr;
  Value *s = log->input(0);
  Node *add = producerIs(s, "Add");
  if (!add || !usesExactly(uc, {{s, 1}})) return nullptr;
  auto e1 = withScalarConstant(*add);
  if (!e1 || e1->second != 1.0) return nullptr;
  Node *exp = producerIs(e1->first, "Exp");
  if (!exp || !usesExactly(uc, {{e1->first, 1}})) return nullptr;
  return exp->input(0);
}

bool match(Graph &g, Node *n) {
  if (!isOp(n, "Mul") || n->inputs.size() != 2 || !n->outputs[0]) return false;
  UseCounts uc(g);
  for (int side = 0; side < 2; ++side) {
    Value *x = n->input((size_t)side), *t = n->input((size_t)(1 - side));
    Node *tanh = producerIs(t, "Tanh");
    if (!x || !tanh || !usesExactly(uc, {{t, 1}, {tanh->input(0), 1}})) continue;
    if (matchSoftplus(uc, tanh->input(0)) != x) continue;
    Value *y = n->outputs[0];
    if (!sameShapeAndType(x, y) ||
        !isFloatType(y->type.dtype))
      continue;
    replaceWithOp(g, n, "Mish", {x}, 18);
    return true;
  }
  return false;
}

class RecognizeMishPass : public Pass {
public:
  const char *name() const override { return "recognize-mish"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    return runMatcher(m, ctx, "mish-recognized", match);
  }
};

} // namespace

std::unique_ptr<Pass> createRecognizeMishPass() {
  return std::make_unique<RecognizeMishPass>();
}

} // namespace edgec
