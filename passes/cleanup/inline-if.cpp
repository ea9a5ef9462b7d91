// inline-if: an If whose two branches produce outputs of one static type
// each becomes both branches inlined into the graph, followed by one
// Where(cond, then_k, else_k) per output. Back ends without control flow
// (mcu, npu) run this branch-free form: both branches are computed and the
// condition selects. ONNX ops have no side effects, so the result is the
// If's. Not inlined (and left to the back end to report): branches with
// nested subgraphs, outputs whose types differ between the branches or are
// not static. Not in the -O pipelines: targets call it from prepare().
#include "passes/Pass.h"
#include "passes/PatternUtil.h"

#include <map>

namespace edgec {
namespace {

bool staticTypeOk(const Value *a, const Value *b, const Value *out) {
  if (!a || !b || !a->type.hasRank || !a->type.isStatic()) return false;
  if (!(a->type == b->type)) return false;
  if (out->type.hasRank && out->type.isStatic() && !(out->type == a->type)) return false;
  return a->quant.has_value() == b->quant.has_value() && (!a->quant || *a->quant == *b->quant);
}

/// Copies branch b's nodes into g before `at`; returns the values standing
/// for b's outputs (outer values referenced by b map to themselves).
std::vector<Value *> inlineBranch(Graph &g, Node *at, const Graph &b) {
  std::map<const Value *, Value *> vm;
  for (Value *v : b.initializers()) vm[v] = g.addInitializer(g.uniqueName(v->name), v->constant->clone());
  auto map = [&](Value *v) -> Value * {
    if (!v) return nullptr;
    auto it = vm.find(v);
    return it == vm.end() ? v : it->second;
  };
  for (const auto &n : b.nodes()) {
    std::vector<Value *> ins, outs;
    for (Value *v : n->inputs) ins.push_back(map(v));
    for (Value *v : n->outputs) {
      if (!v) {
        outs.push_back(nullptr);
        continue;
      }
      Value *nv = g.addValue(g.uniqueName(v->name), v->type);
      nv->quant = v->quant;
      vm[v] = nv;
      outs.push_back(nv);
    }
    Node *c = g.addNodeBefore(at, n->opType, ins, outs, n->name.empty() ? "" : g.uniqueName(n->name),
                              n->domain);
    c->attrs = n->attrs;
    c->opsetVersion = n->opsetVersion;
  }
  std::vector<Value *> r;
  for (Value *v : b.outputs) r.push_back(map(v));
  return r;
}

class InlineIfPass : public Pass {
public:
  const char *name() const override { return "inline-if"; }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    Graph &g = *m.graph;
    bool changed = false;
    std::vector<Node *> ifs;
    for (const auto &n : g.nodes())
      if (n->domain.empty() && n->opType == "If") ifs.push_back(n.get());
    for (Node *n : ifs) {
      const Attribute *t = n->attr("then_branch"), *e = n->attr("else_branch");
      if (!t || !e || !t->g || !e->g || n->inputs.empty() || !n->inputs[0]) continue;
      const Graph &tb = *t->g, &eb = *e->g;
      bool ok = tb.outputs.size() == n->outputs.size() && eb.outputs.size() == n->outputs.size();
      for (size_t k = 0; ok && k < n->outputs.size(); ++k)
        ok = n->outputs[k] && staticTypeOk(tb.outputs[k], eb.outputs[k], n->outputs[k]);
      for (const Graph *b : {&tb, &eb})
        for (const auto &x : b->nodes()) ok = ok && x->subgraphs().empty();
      if (!ok) {
        ctx.stats.add("if-kept");
        continue;
      }
      std::vector<Value *> tv = inlineBranch(g, n, tb);
      std::vector<Value *> ev = inlineBranch(g, n, eb);
      Value *cond = n->inputs[0];
      std::vector<Value *> outs = n->outputs;
      std::string base = n->name.empty() ? "if" : n->name;
      g.removeNode(n);
      for (size_t k = 0; k < outs.size(); ++k) {
        if (!(outs[k]->type.hasRank && outs[k]->type.isStatic())) outs[k]->type = tv[k]->type;
        if (!outs[k]->quant) outs[k]->quant = tv[k]->quant;
        Node *w = g.addNode("Where", {cond, tv[k], ev[k]}, {outs[k]}, g.uniqueName(base + "/select"));
        w->opsetVersion = 16;
      }
      ctx.stats.add("if-inlined");
      changed = true;
    }
    if (changed) EDGEC_TRY(g.sortTopologically());
    return changed;
  }
};

} // namespace

std::unique_ptr<Pass> createInlineIfPass() { return std::make_unique<InlineIfPass>(); }

} // namespace edgec
