// fold-constants: evaluates, with the reference interpreter, every node whose
// inputs are all constant (Constant nodes included) and Shape/Size of
// static-shaped values, and turns the results into initializers. A size cap
// (PassOptions::foldMaxElements / foldMaxGrowthBytes) keeps folding from
// inflating the model: Expand/Tile/ConstantOfShape of a small constant into a
// huge one is left alone. Random ops and nodes with subgraphs are not folded.
// Values that are graph outputs stay computed by their node.
#include "interp/Interpreter.h"
#include "shape/ShapeInference.h"
#include "passes/Pass.h"
#include "passes/PatternUtil.h"

namespace edgec {
namespace {

bool isNondeterministic(const Node &n) {
  return n.opType.rfind("Random", 0) == 0 || n.opType == "Bernoulli" ||
         n.opType == "Multinomial";
}

class FoldConstantsPass : public Pass {
public:
  const char *name() const override { return "fold-constants"; }

  Expected<bool> run(Model &m, PassContext &ctx) override {
    Interpreter interp(m);
    bool changed = false;
    forEachGraph(*m.graph, [&](Graph &g) {
      changed = foldGraph(g, interp, ctx) || changed;
    });
    return changed;
  }

private:
  bool foldGraph(Graph &g, Interpreter &interp, PassContext &ctx) {
    const PassOptions &o = ctx.options;
    std::vector<Node *> folded;
    for (const auto &np : g.nodes()) {
      Node &n = *np;
      if (!n.subgraphs().empty() || isNondeterministic(n)) continue;
      bool outputIsGraphOutput = false;
      for (const Value *v : n.outputs)
        if (v && g.isGraphOutput(v)) outputIsGraphOutput = true;
      if (outputIsGraphOutput) continue;

      std::vector<Tensor> results;
      if ((n.opType == "Shape" || n.opType == "Size") && n.domain.empty() &&
          n.inputs.size() == 1 && n.inputs[0] &&
          staticShape(n.inputs[0]).has_value()) {
        results.push_back(shapeOrSizeValue(n, *staticShape(n.inputs[0])));
      } else {
        std::vector<const Tensor *> ins;
        bool allConst = true;
        int64_t inBytes = 0;
        for (const Value *v : n.inputs) {
          if (!v) {
            ins.push_back(nullptr);
            continue;
          }
          const Tensor *t = constantOf(v);
          if (!t) {
            allConst = false;
            break;
          }
          inBytes += (int64_t)t->byteSize();
          ins.push_back(t);
        }
        if (!allConst) continue;
        if (const Attribute *a = n.attr("value"); a && n.opType == "Constant")
          inBytes += (int64_t)a->t.byteSize();
        if (!KernelRegistry::builtin().find(n.domain, n.opType)) continue;
        Expected<std::vector<Tensor>> r = [&] {
          ScopedTensorSizeLimit limit(
              (uint64_t)(inBytes + o.foldMaxGrowthBytes));
          return interp.runNode(n, ins);
        }();
        if (!r.isOk()) {
          ctx.stats.add("evaluation-failed");
          continue;
        }
        results = std::move(*r);
        bool fits = true;
        int64_t outBytes = 0;
        for (const Tensor &t : results) {
          if (t.numElements() > o.foldMaxElements) fits = false;
          outBytes += (int64_t)t.byteSize();
        }
        if (!fits || outBytes > inBytes + o.foldMaxGrowthBytes) {
          ctx.stats.add("skipped-too-large");
          continue;
        }
      }
      for (size_t i = 0; i < n.outputs.size() && i < results.size(); ++i) {
        Value *v = n.outputs[i];
        if (!v || !results[i].isValid()) continue;
        v->type = TensorType(results[i].dtype(), results[i].shape());
        v->constant = std::move(results[i]);
      }
      folded.push_back(&n);
    }
    for (Node *n : folded) {
      ctx.stats.add(n->opType == "Constant" ? "constant-nodes-folded"
                                            : "nodes-folded");
      g.removeNode(n);
    }
    return !folded.empty();
  }
};

} // namespace

std::unique_ptr<Pass> createFoldConstantsPass() {
  return std::make_unique<FoldConstantsPass>();
}

} // namespace edgec
