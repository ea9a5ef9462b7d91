// fuse-mul-add: a Mul, Div, Add or Sub by a per-channel (or scalar) constant
// right after a Conv, ConvTranspose or Gemm with constant weights is folded
// into the weights and bias. The constant must not broadcast the output to a
// larger shape; the anchor's output must feed nothing else.
#include "passes/Pass.h"
#include "passes/PatternUtil.h"
#include "passes/fusion/WeightUtil.h"

namespace edgec {
namespace {

class FuseMulAddPass : public Pass {
public:
  const char *name() const override { return "fuse-mul-add"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    bool changed = false;
    forEachGraph(*m.graph, [&](Graph &g) {
      std::vector<Node *> ops;
      for (const auto &n : g.nodes())
        if (isOp(n.get(), "Mul") || isOp(n.get(), "Div") ||
            isOp(n.get(), "Add") || isOp(n.get(), "Sub"))
          ops.push_back(n.get());
      for (Node *n : ops) {
        std::string op = n->opType; // n is replaced by a fusion
        if (fuse(g, n)) {
          ctx.stats.add("fused-" + op);
          changed = true;
        }
      }
      if (changed) removeDeadNodes(g);
    });
    return changed;
  }

private:
  bool fuse(Graph &g, Node *n) {
    if (n->inputs.size() != 2 || !n->outputs[0]) return false;
    for (int side = 0; side < 2; ++side) {
      Value *x = n->input((size_t)side), *c = n->input((size_t)(1 - side));
      const Tensor *ct = constantOf(c);
      if (!x || !ct || x->constant) continue;
      if ((n->opType == "Div") && side == 1) continue; // c / conv
      auto a = matchLinearAnchor(g, x);
      if (!a || ct->dtype() != a->weight->dtype()) continue;
      auto pc = perChannel(*ct, a->outRank, 1, a->channels);
      if (!pc) continue;
      std::vector<double> scale((size_t)a->channels, 1.0), bias = a->bias;
      for (size_t o = 0; o < scale.size(); ++o) {
        double k = (*pc)[o];
        if (n->opType == "Mul") {
          scale[o] = k;
          bias[o] *= k;
        } else if (n->opType == "Div") {
          if (k == 0) return false;
          scale[o] = 1.0 / k;
          bias[o] /= k;
        } else if (n->opType == "Add") {
          bias[o] += k;
        } else if (side == 0) { // conv - c
          bias[o] -= k;
        } else { // c - conv
          scale[o] = -1.0;
          bias[o] = k - bias[o];
        }
      }
      rebuildAnchor(g, *a, n, scale, bias);
      return true;
    }
    return false;
  }
};

} // namespace

std::unique_ptr<Pass> createFuseMulAddPass() {
  return std::make_unique<FuseMulAddPass>();
}

} // namespace edgec
