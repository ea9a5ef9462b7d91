// fold-pad: a constant-mode Pad with zero fill and non-negative pads on the
// spatial dims only, feeding a Conv (or an AveragePool that counts padding,
// or a MaxPool when the fill is -inf), is folded into that op's `pads`.
#include "passes/Pass.h"
#include "passes/PatternUtil.h"

#include <cmath>

namespace edgec {
namespace {

class FoldPadPass : public Pass {
public:
  const char *name() const override { return "fold-pad"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    bool changed = false;
    forEachGraph(*m.graph, [&](Graph &g) {
      std::vector<Node *> consumers;
      for (const auto &n : g.nodes())
        if (isOp(n.get(), "Conv") || isOp(n.get(), "AveragePool") ||
            isOp(n.get(), "MaxPool"))
          consumers.push_back(n.get());
      for (Node *n : consumers)
        if (fold(g, n)) {
          ctx.stats.add("pads-folded");
          changed = true;
        }
      if (changed) removeDeadNodes(g);
    });
    return changed;
  }

private:
  bool fold(Graph &g, Node *n) {
    Value *x = n->input(0);
    Node *pad = producerIs(x, "Pad");
    if (!pad || pad->owner() != &g || !UseCounts(g).singleUse(x)) return false;
    Value *src = pad->input(0);
    if (!src || !src->type.hasRank) return false;
    size_t rank = src->type.rank();
    if (rank < 3) return false;
    if (const Attribute *mode = pad->attr("mode"); mode && mode->s != "constant")
      return false;
    std::vector<int64_t> pads;
    double fill = 0;
    if (pad->opsetVersion < 11) {
      const Attribute *pa = pad->attr("pads");
      if (!pa) return false;
      pads = pa->ints;
      if (const Attribute *v = pad->attr("value")) fill = v->f;
    } else {
      const Tensor *pt = constantOf(pad->input(1));
      if (!pt) return false;
      pads = pt->toInt64Vector();
      if (Value *cv = pad->input(2)) {
        auto u = uniformConstant(cv);
        if (!u) return false;
        fill = *u;
      }
      if (Value *axes = pad->input(3)) {
        const Tensor *at = constantOf(axes);
        if (!at) return false;
        std::vector<int64_t> ax = at->toInt64Vector();
        if (pads.size() != 2 * ax.size()) return false;
        std::vector<int64_t> full(2 * rank, 0);
        for (size_t i = 0; i < ax.size(); ++i) {
          int64_t a = ax[i] < 0 ? ax[i] + (int64_t)rank : ax[i];
          if (a < 0 || a >= (int64_t)rank) return false;
          full[(size_t)a] = pads[i];
          full[(size_t)a + rank] = pads[i + ax.size()];
        }
        pads = full;
      }
    }
    if (pads.size() != 2 * rank) return false;
    if (pads[0] || pads[1] || pads[rank] || pads[rank + 1]) return false;
    for (int64_t p : pads)
      if (p < 0) return false;
    bool isMax = n->opType == "MaxPool";
    if (isMax ? !(std::isinf(fill) && fill < 0) : fill != 0) return false;
    if (n->opType == "AveragePool") {
      const Attribute *cip = n->attr("count_include_pad");
      if (!cip || cip->i == 0) return false;
    }
    if (const Attribute *ap = n->attr("auto_pad"); ap && ap->s != "NOTSET" && !ap->s.empty())
      return false;
    size_t sp = rank - 2;
    std::vector<int64_t> cur(2 * sp, 0);
    if (const Attribute *pa = n->attr("pads")) {
      if (pa->ints.size() != 2 * sp) return false;
      cur = pa->ints;
    }
    for (size_t i = 0; i < sp; ++i) {
      cur[i] += pads[2 + i];
      cur[sp + i] += pads[rank + 2 + i];
    }
    n->attrs["pads"] = Attribute::makeInts(cur);
    n->inputs[0] = src;
    return true;
  }
};

} // namespace

std::unique_ptr<Pass> createFoldPadPass() { return std::make_unique<FoldPadPass>(); }

} // namespace edgec
