// infer-shapes: runs edgec's shape and type inference (shape/ShapeInference)
// with the interpreter evaluating constant subexpressions, so that later
// passes see static shapes wherever the inputs are static.
#include "interp/ConstantEvaluation.h"
#include "passes/InferShapes.h"
#include "passes/Pass.h"
#include "passes/PatternUtil.h"

namespace edgec {
namespace {

std::vector<std::string> typeSnapshot(Graph &g) {
  std::vector<std::string> r;
  forEachGraph(g, [&](Graph &sg) {
    for (const auto &v : sg.values()) r.push_back(v->type.str());
  });
  return r;
}

class InferShapesPass : public Pass {
public:
  const char *name() const override { return "infer-shapes"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    std::vector<std::string> before = typeSnapshot(*m.graph);
    std::vector<Error> diags = inferShapesCollect(m, interpreterShapeInference());
    ctx.stats.add("diagnostics", (int64_t)diags.size());
    std::vector<std::string> after = typeSnapshot(*m.graph);
    int64_t refined = 0;
    for (size_t i = 0; i < before.size() && i < after.size(); ++i)
      if (before[i] != after[i]) ++refined;
    ctx.stats.add("types-refined", refined);
    return refined > 0;
  }
};

} // namespace

Status inferShapesWithConstants(Model &m) {
  return inferShapes(m, interpreterShapeInference());
}

std::unique_ptr<Pass> createInferShapesPass() {
  return std::make_unique<InferShapesPass>();
}

} // namespace edgec
