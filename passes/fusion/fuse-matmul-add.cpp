// fuse-matmul-add: MatMul(A, B) with A and B of rank 2 followed by
// Add(bias), where the bias broadcasts to the [M, N] result without
// enlarging it, becomes Gemm(A, B, bias).
#include "passes/Pass.h"
#include "passes/PatternUtil.h"
#include "passes/fusion/WeightUtil.h"

namespace edgec {
namespace {

class FuseMatMulAddPass : public Pass {
public:
  const char *name() const override { return "fuse-matmul-add"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    bool changed = false;
    forEachGraph(*m.graph, [&](Graph &g) {
      std::vector<Node *> adds;
      for (const auto &n : g.nodes())
        if (isOp(n.get(), "Add")) adds.push_back(n.get());
      for (Node *add : adds)
        if (fuse(g, add)) {
          ctx.stats.add("matmul-add-to-gemm");
          changed = true;
        }
      if (changed) removeDeadNodes(g);
    });
    return changed;
  }

private:
  bool fuse(Graph &g, Node *add) {
    if (add->inputs.size() != 2 || !add->outputs[0]) return false;
    UseCounts uc(g);
    for (int side = 0; side < 2; ++side) {
      Value *mm = add->input((size_t)side), *bias = add->input((size_t)(1 - side));
      Node *p = producerIs(mm, "MatMul");
      if (!p || p->owner() != &g || !bias || !uc.singleUse(mm)) continue;
      Value *a = p->input(0), *b = p->input(1);
      auto sa = staticShape(a), sb = staticShape(b), sc = staticShape(bias);
      if (!sa || !sb || !sc || sa->size() != 2 || sb->size() != 2) continue;
      if (a->type.dtype != bias->type.dtype || sc->size() > 2) continue;
      TensorShape c = rightAlignedShape(*sc, 2);
      int64_t m = (*sa)[0], n = (*sb)[1];
      if ((c[0] != 1 && c[0] != m) || (c[1] != 1 && c[1] != n)) continue;
      Node *gemm = replaceNode(g, add, "Gemm", {a, b, bias});
      gemm->name = p->name;
      gemm->opsetVersion = std::max<int64_t>(p->opsetVersion, 11);
      return true;
    }
    return false;
  }
};

} // namespace

std::unique_ptr<Pass> createFuseMatMulAddPass() {
  return std::make_unique<FuseMatMulAddPass>();
}

} // namespace edgec
