// recognize-swish: x * Sigmoid(x) and x * Sigmoid(alpha * x) become
// Swish(x, alpha) (opset 24; the exporter spells it back for older opsets).
#include "passes/recognize/MatchUtil.h"

namespace edgec {
namespace {

bool match(Graph &g, Node *n) {
  if (!isOp(n, "Mul") || n->inputs.size() != 2 || !n->outputs[0]) return false;
  UseCounts uc(g);
  for (int side = 0; side < 2; ++side) {
    Value *x = n->input((size_t)side), *s = n->input((size_t)(1 - side));
    Node *sig = producerIs(s, "Sigmoid");
    if (!x || !sig || !usesExactly(uc, {{s, 1}})) continue;
    double alpha = 1.0;
    Value *arg = sig->input(0);
    if (arg != x) {
      Node *sc = producerIs(arg, "Mul");
      auto xa = sc ? withScalarConstant(*sc) : std::nullopt;
      if (!xa || xa->first != x || !usesExactly(uc, {{arg, 1}})) continue;
      alpha = xa->second;
    }
    Value *y = n->outputs[0];
    if (!sameShapeAndType(x, y) ||
        !isFloatType(y->type.dtype))
      continue;
    Node *sw = replaceWithOp(g, n, "Swish", {x}, 24);
    sw->attrs["alpha"] = Attribute::makeFloat((float)alpha);
    return true;
  }
  return false;
}

class RecognizeSwishPass : public Pass {
public:
  const char *name() const override { return "recognize-swish"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    return runMatcher(m, ctx, "swish-recognized", match);
  }
};

} // namespace

std::unique_ptr<Pass> createRecognizeSwishPass() {
  return std::make_unique<RecognizeSwishPass>();
}

} // namespace edgec
