// fuse-activation: a Conv, ConvTranspose, Gemm, MatMul, LayerNormalization
// or BatchNormalization (one not folded away) whose only consumer
// is Relu, Clip (constant bounds), LeakyRelu, HardSwish, HardSigmoid,
// Sigmoid or Tanh carries the activation as the `edgec.activation`
// annotation (ir/Annotations.h) and the activation node goes away. With
// PassOptions::fuseQuantizableActivationsOnly (quantization) only Relu,
// Clip and LeakyRelu are fused.
#include "ir/Annotations.h"
#include "passes/Pass.h"
#include "passes/PatternUtil.h"

namespace edgec {
namespace {

bool isAnchor(const Node *n) {
  return isOp(n, "Conv") || isOp(n, "ConvTranspose") || isOp(n, "Gemm") ||
         isOp(n, "MatMul") || isOp(n, "LayerNormalization") ||
         isOp(n, "BatchNormalization");
}

class FuseActivationPass : public Pass {
public:
  const char *name() const override { return "fuse-activation"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    bool changed = false;
    forEachGraph(*m.graph, [&](Graph &g) {
      std::vector<Node *> acts;
      for (const auto &n : g.nodes())
        if (n->domain.empty() && isFusibleActivation(n->opType) &&
            (!ctx.options.fuseQuantizableActivationsOnly ||
             n->opType == "Relu" || n->opType == "Clip" ||
             n->opType == "LeakyRelu"))
          acts.push_back(n.get());
      for (Node *act : acts) {
        std::string op = act->opType; // act is gone after a fusion
        if (fuse(g, act)) {
          ctx.stats.add("fused-" + op);
          changed = true;
        }
      }
      if (changed) removeDeadNodes(g);
    });
    return changed;
  }

private:
  bool fuse(Graph &g, Node *act) {
    Value *x = act->input(0);
    Node *anchor = x ? x->producer() : nullptr;
    if (!isAnchor(anchor) || anchor->owner() != &g || hasFusedActivation(*anchor) ||
        !act->outputs[0] || act->outputs.size() != 1)
      return false;
    for (size_t i = 1; i < anchor->outputs.size(); ++i)
      if (anchor->outputs[i]) return false; // e.g. LayerNorm mean/inv-std used
    if (!UseCounts(g).singleUse(x)) return false;
    if (x->type.dtype != act->outputs[0]->type.dtype ||
        !isFloatType(x->type.dtype))
      return false;
    std::map<std::string, Attribute> params;
    const std::string &op = act->opType;
    auto floatAttr = [&](const char *n, float dflt) {
      const Attribute *a = act->attr(n);
      return Attribute::makeFloat(a ? a->f : dflt);
    };
    if (op == "LeakyRelu") params["alpha"] = floatAttr("alpha", 0.01f);
    if (op == "HardSigmoid") {
      params["alpha"] = floatAttr("alpha", 0.2f);
      params["beta"] = floatAttr("beta", 0.5f);
    }
    if (op == "Clip") {
      if (act->opsetVersion < 11) {
        if (const Attribute *a = act->attr("min")) params["min"] = *a;
        if (const Attribute *a = act->attr("max")) params["max"] = *a;
      } else {
        const char *names[] = {"min", "max"};
        for (size_t i = 1; i < 3; ++i) {
          Value *b = act->input(i);
          if (!b) continue;
          auto u = uniformConstant(b);
          if (!u || constantOf(b)->numElements() != 1) return false;
          params[names[i - 1]] = Attribute::makeFloat((float)*u);
        }
      }
    }
    anchor->attrs[kFusedActivationAttr] = Attribute::makeString(op);
    for (auto &[k, v] : params)
      anchor->attrs[std::string(kFusedActivationAttr) + "." + k] = v;
    Value *y = act->outputs[0];
    g.setNodeOutput(act, 0, nullptr);
    g.setNodeOutput(anchor, 0, y);
    g.removeNode(act);
    return true;
  }
};

} // namespace

std::unique_ptr<Pass> createFuseActivationPass() {
  return std::make_unique<FuseActivationPass>();
}

} // namespace edgec
