// eliminate-dead-code: removes nodes no graph output depends on, then values
// (unused initializers included) that nothing refers to. Graph inputs stay:
// they are the model's interface.
#include "passes/Pass.h"
#include "passes/PatternUtil.h"

namespace edgec {
namespace {

class EliminateDeadCodePass : public Pass {
public:
  const char *name() const override { return "eliminate-dead-code"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    bool changed = false;
    forEachGraph(*m.graph, [&](Graph &g) {
      size_t values = g.values().size();
      int n = removeDeadNodes(g);
      int64_t v = (int64_t)values - (int64_t)g.values().size();
      ctx.stats.add("dead-nodes", n);
      ctx.stats.add("dead-values", v);
      changed = changed || n > 0 || v > 0;
    });
    return changed;
  }
};

} // namespace

std::unique_ptr<Pass> createEliminateDeadCodePass() {
  return std::make_unique<EliminateDeadCodePass>();
}

} // namespace edgec
