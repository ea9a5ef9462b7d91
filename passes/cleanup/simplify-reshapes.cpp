// simplify-reshapes: shortens chains of data-movement ops.
//  - A reshape-like op (Reshape, Flatten, Squeeze, Unsqueeze) fed by another
//    reshape-like op becomes one Reshape of the chain's input to the static
//    output shape (Flatten/Reshape before Gemm, Squeeze/Unsqueeze chains).
//  - Transpose(Transpose(x, p1), p2) becomes one Transpose (or nothing).
//  - A Transpose that only moves size-1 dims is a Reshape.
#include "passes/Pass.h"
#include "passes/PatternUtil.h"

#include <algorithm>

namespace edgec {
namespace {

bool isReshapeLike(const Node *n) {
  return n && n->domain.empty() &&
         (n->opType == "Reshape" || n->opType == "Flatten" ||
          n->opType == "Squeeze" || n->opType == "Unsqueeze");
}

std::vector<int64_t> permOf(const Node &n, size_t rank) {
  if (const Attribute *a = n.attr("perm")) return a->ints;
  std::vector<int64_t> p(rank);
  for (size_t i = 0; i < rank; ++i) p[i] = (int64_t)(rank - 1 - i);
  return p;
}

Tensor shapeConstant(const TensorShape &s) {
  return Tensor::fromVector<int64_t>({(int64_t)s.size()},
                                     std::vector<int64_t>(s.begin(), s.end()));
}

class SimplifyReshapesPass : public Pass {
public:
  const char *name() const override { return "simplify-reshapes"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    bool changed = false;
    forEachGraph(*m.graph, [&](Graph &g) {
      std::vector<Node *> nodes;
      for (const auto &n : g.nodes()) nodes.push_back(n.get());
      for (Node *n : nodes) {
        if (isReshapeLike(n)) changed = mergeReshapes(g, n, ctx) || changed;
        else if (isOp(n, "Transpose"))
          changed = simplifyTranspose(g, n, ctx) || changed;
      }
      if (changed) removeDeadNodes(g);
    });
    return changed;
  }

private:
  bool mergeReshapes(Graph &g, Node *n, PassContext &ctx) {
    Value *x = n->input(0);
    Node *p = x ? x->producer() : nullptr;
    if (!isReshapeLike(p) || p->owner() != &g || !n->outputs[0]) return false;
    auto out = staticShape(n->outputs[0]);
    if (!out || std::count(out->begin(), out->end(), 0)) return false;
    Value *src = p->input(0);
    if (!src) return false;
    Value *shape = addConstant(g, n->name + "/shape", shapeConstant(*out));
    Node *r = replaceNode(g, n, "Reshape", {src, shape});
    r->opsetVersion = std::max<int64_t>(r->opsetVersion, 5);
    ctx.stats.add("reshape-chains-merged");
    return true;
  }

  bool simplifyTranspose(Graph &g, Node *n, PassContext &ctx) {
    Value *x = n->input(0);
    if (!x || !x->type.hasRank || !n->outputs[0]) return false;
    size_t rank = x->type.rank();
    std::vector<int64_t> p2 = permOf(*n, rank);
    if (p2.size() != rank) return false;
    Node *p = producerIs(x, "Transpose");
    if (p && p->owner() == &g && p->input(0) && p->input(0)->type.hasRank &&
        p->input(0)->type.rank() == rank) {
      std::vector<int64_t> p1 = permOf(*p, rank);
      if (p1.size() != rank) return false;
      std::vector<int64_t> q(rank);
      bool identity = true;
      for (size_t i = 0; i < rank; ++i) {
        q[i] = p1[(size_t)p2[i]];
        if (q[i] != (int64_t)i) identity = false;
      }
      if (identity) {
        if (!forwardValue(g, n->outputs[0], p->input(0))) return false;
        ctx.stats.add("transpose-pairs-cancelled");
        return true;
      }
      Node *t = replaceNode(g, n, "Transpose", {p->input(0)});
      t->attrs["perm"] = Attribute::makeInts(q);
      ctx.stats.add("transposes-merged");
      return true;
    }
    // Only size-1 dims move: the data order is unchanged, so it's a Reshape.
    auto in = staticShape(x);
    auto out = staticShape(n->outputs[0]);
    if (!in || !out || std::count(out->begin(), out->end(), 0)) return false;
    std::vector<int64_t> kept;
    for (int64_t d : p2)
      if ((*in)[(size_t)d] != 1) kept.push_back(d);
    for (size_t i = 1; i < kept.size(); ++i)
      if (kept[i] < kept[i - 1]) return false;
    Value *shape = addConstant(g, n->name + "/shape", shapeConstant(*out));
    Node *r = replaceNode(g, n, "Reshape", {x, shape});
    r->opsetVersion = std::max<int64_t>(r->opsetVersion, 5);
    ctx.stats.add("transposes-to-reshape");
    return true;
  }
};

} // namespace

std::unique_ptr<Pass> createSimplifyReshapesPass() {
  return std::make_unique<SimplifyReshapesPass>();
}

} // namespace edgec
