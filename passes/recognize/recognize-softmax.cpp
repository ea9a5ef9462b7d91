// recognize-softmax: Exp(z) / ReduceSum(Exp(z), axes=[a], keepdims=1), with
// z = x or z = x - ReduceMax(x, axes=[a], keepdims=1), becomes
// Softmax(x, axis=a) (opset-13 semantics: one axis).
#include "passes/recognize/MatchUtil.h"

namespace edgec {
namespace {

bool match(Graph &g, Node *n) {
  if (!isOp(n, "Div") || n->inputs.size() != 2 || !n->outputs[0]) return false;
  UseCounts uc(g);
  Value *e = n->input(0), *s = n->input(1);
  Node *exp = producerIs(e, "Exp");
  Node *sum = producerIs(s, "ReduceSum");
  if (!exp || !sum || sum->input(0) != e || !usesExactly(uc, {{e, 2}, {s, 1}}))
    return false;
  Value *z = exp->input(0);
  if (!z || !z->type.hasRank) return false;
  size_t rank = z->type.rank();
  auto ri = reduceInfo(*sum, rank);
  if (!ri || ri->axes.size() != 1 || !ri->keepdims) return false;
  int64_t axis = ri->axes[0];
  Value *x = z;
  if (Node *sub = producerIs(z, "Sub")) {
    Value *mx = sub->input(1);
    Node *rmax = producerIs(mx, "ReduceMax");
    if (rmax && rmax->input(0) == sub->input(0) && usesExactly(uc, {{z, 1}, {mx, 1}})) {
      auto mi = reduceInfo(*rmax, rank);
      if (mi && mi->keepdims && mi->axes == ri->axes) x = sub->input(0);
    }
  }
  if (!isFloatType(n->outputs[0]->type.dtype)) return false;
  Node *sm = replaceWithOp(g, n, "Softmax", {x}, 13);
  sm->attrs["axis"] = Attribute::makeInt(axis);
  return true;
}

class RecognizeSoftmaxPass : public Pass {
public:
  const char *name() const override { return "recognize-softmax"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    return runMatcher(m, ctx, "softmax-recognized", match);
  }
};

} // namespace

std::unique_ptr<Pass> createRecognizeSoftmaxPass() {
  return std::make_unique<RecognizeSoftmaxPass>();
}

} // namespace edgec
