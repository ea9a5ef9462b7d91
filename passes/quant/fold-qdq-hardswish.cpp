// fold-qdq-hardswish: a HardSwish that a QDQ model keeps in float between
// DequantizeLinear and QuantizeLinear (e.g. expanded for opset < 14, after
// fold-qdq has folded everything around it):
//
//   x = DequantizeLinear(q); y = QuantizeLinear(Mul(x, HardSigmoid(x)))
//
// with HardSigmoid's alpha 1/6 and beta 0.5 (either Mul operand order)
// becomes the integer HardSwish(q) -> y, which the interpreter runs with
// its integer kernel and the TFLite writer writes as TFLite's int8
// HARD_SWISH: no float island that would keep transposes inside an NHWC
// network. Runs after fold-qdq; the float nodes left behind are dead
// (eliminate-dead-code).
#include "passes/Pass.h"

#include "ir/Annotations.h"

#include <cmath>
#include <optional>

namespace edgec {
namespace {

/// The integer HardSwish the match rooted at `mul` stands for: its input
/// (DequantizeLinear's integer input), its QuantizeLinear and that node's
/// output. Nothing is changed while matching.
struct Match {
  Value *xq = nullptr;
  Node *q = nullptr;
  Value *yq = nullptr;
};

std::optional<Match> match(const Graph &g, Node *mul) {
  Value *a = mul->input(0), *b = mul->input(1);
  if (!a || !b || !mul->outputs[0]) return std::nullopt;
  Node *hs = b->producer();
  if (!hs || hs->opType != "HardSigmoid" || hs->input(0) != a) {
    std::swap(a, b);
    hs = b->producer();
  }
  if (!hs || hs->opType != "HardSigmoid" || hs->input(0) != a) return std::nullopt;
  const Attribute *alpha = hs->attr("alpha"), *beta = hs->attr("beta");
  if (std::fabs((alpha ? alpha->f : 0.2f) - 1.0f / 6) > 1e-6f ||
      std::fabs((beta ? beta->f : 0.5f) - 0.5f) > 1e-6f)
    return std::nullopt;
  Node *dq = a->producer();
  if (!dq || dq->opType != "DequantizeLinear" || !dq->input(0) || !dq->input(0)->quant)
    return std::nullopt;
  Value *y = mul->outputs[0];
  std::vector<Node *> users = g.usersOf(y);
  if (users.size() != 1 || users[0]->opType != "QuantizeLinear" || g.isGraphOutput(y))
    return std::nullopt;
  Node *q = users[0];
  Value *yq = q->outputs.empty() ? nullptr : q->outputs[0];
  if (!yq || !yq->quant || yq->type.dtype != dq->input(0)->type.dtype) return std::nullopt;
  return Match{dq->input(0), q, yq};
}

class FoldQdqHardSwishPass : public Pass {
public:
  const char *name() const override { return "fold-qdq-hardswish"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    Graph &g = *m.graph;
    std::vector<Node *> muls;
    for (const auto &n : g.nodes())
      if (n->opType == "Mul" && n->domain.empty() && !hasFusedActivation(*n))
        muls.push_back(n.get());
    int64_t folded = 0;
    for (Node *mul : muls) {
      std::optional<Match> mt = match(g, mul);
      if (!mt) continue;
      g.removeNode(mt->q);
      Node *n = g.addNode("HardSwish", {mt->xq}, {mt->yq}, mul->name + "/int");
      n->opsetVersion = 14;
      ++folded;
    }
    ctx.stats.add("hardswishes-folded", folded);
    if (folded) EDGEC_TRY(g.sortTopologically());
    return folded > 0;
  }
};

} // namespace

std::unique_ptr<Pass> createFoldQdqHardSwishPass() {
  return std::make_unique<FoldQdqHardSwishPass>();
}

} // namespace edgec
