// fuse-batchnorm: BatchNormalization (inference form) after a Conv,
// ConvTranspose or Gemm with constant weights is folded into them:
//   f = scale / sqrt(var + eps),  W' = W * f (per output channel),
//   B' = (B - mean) * f + bn_bias.
// It applies only when the anchor's output feeds nothing else and every
// BatchNormalization parameter is constant.
#include "passes/Pass.h"
#include "passes/PatternUtil.h"
#include "passes/fusion/WeightUtil.h"

#include <cmath>

namespace edgec {
namespace {

class FuseBatchNormPass : public Pass {
public:
  const char *name() const override { return "fuse-batchnorm"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    bool changed = false;
    forEachGraph(*m.graph, [&](Graph &g) {
      std::vector<Node *> bns;
      for (const auto &n : g.nodes())
        if (isOp(n.get(), "BatchNormalization")) bns.push_back(n.get());
      for (Node *bn : bns) {
        if (fuse(g, bn)) {
          ctx.stats.add("batchnorms-fused");
          changed = true;
        } else {
          ctx.stats.add("not-fusible");
        }
      }
      if (changed) removeDeadNodes(g);
    });
    return changed;
  }

private:
  bool fuse(Graph &g, Node *bn) {
    for (size_t i = 1; i < bn->outputs.size(); ++i)
      if (bn->outputs[i]) return false; // training outputs requested
    if (const Attribute *t = bn->attr("training_mode"); t && t->i) return false;
    Value *x = bn->input(0);
    if (x && isOp(x->producer(), "MatMul") && constantOf(x->producer()->input(1)) &&
        UseCounts(g).singleUse(x))
      matMulAsGemm(g, x->producer());
    auto a = matchLinearAnchor(g, x);
    if (!a) return false;
    const Tensor *scale = constantOf(bn->input(1));
    const Tensor *b = constantOf(bn->input(2));
    const Tensor *mean = constantOf(bn->input(3));
    const Tensor *var = constantOf(bn->input(4));
    if (!scale || !b || !mean || !var) return false;
    int64_t c = a->channels;
    if (scale->numElements() != c || b->numElements() != c ||
        mean->numElements() != c || var->numElements() != c)
      return false;
    const Attribute *ea = bn->attr("epsilon");
    double eps = ea ? ea->f : 1e-5;
    std::vector<double> f((size_t)c), bias((size_t)c);
    for (int64_t i = 0; i < c; ++i) {
      double fi = scale->getDouble(i) / std::sqrt(var->getDouble(i) + eps);
      f[(size_t)i] = fi;
      bias[(size_t)i] = (a->bias[(size_t)i] - mean->getDouble(i)) * fi + b->getDouble(i);
    }
    rebuildAnchor(g, *a, bn, f, bias);
    return true;
  }
};

} // namespace

std::unique_ptr<Pass> createFuseBatchNormPass() {
  return std::make_unique<FuseBatchNormPass>();
}

} // namespace edgec
