// eliminate-common-subexpressions: two nodes with the same op, attributes and
// inputs compute the same values, so the later one is dropped; identical
// constants (same type, shape and bytes) are merged into the first. Nodes
// with subgraphs and random ops are left alone, as are values that are graph
// outputs (their names are the model's interface).
#include "ir/Printer.h"
#include "passes/Pass.h"
#include "passes/PatternUtil.h"


namespace edgec {
namespace {

std::string nodeKey(const Node &n) {
  std::string k = n.domain + "|" + n.opType + "|" + std::to_string(n.opsetVersion);
  for (const Value *v : n.inputs)
    k += "|" + (v ? std::to_string(reinterpret_cast<uintptr_t>(v)) : "-");
  k += "|" + std::to_string(n.outputs.size());
  for (const auto &[name, a] : n.attrs) {
    k += "|" + name + "=";
    if (a.kind == Attribute::Kind::Tensor) {
      k += describe(a.t) + ":";
      if (a.t.raw())
        k.append(static_cast<const char *>(a.t.raw()), a.t.byteSize());
    } else {
      k += printAttribute(a);
    }
  }
  return k;
}

uint64_t hashBytes(const Tensor &t) {
  uint64_t h = 1469598103934665603ull;
  const auto *p = static_cast<const unsigned char *>(t.raw());
  for (size_t i = 0; p && i < t.byteSize(); ++i) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h;
}

class CsePass : public Pass {
public:
  const char *name() const override {
    return "eliminate-common-subexpressions";
  }
  Expected<bool> run(Model &m, PassContext &ctx) override {
    bool changed = false;
    forEachGraph(*m.graph, [&](Graph &g) {
      changed = mergeConstants(g, ctx) || changed;
      changed = mergeNodes(g, ctx) || changed;
    });
    return changed;
  }

private:
  bool mergeConstants(Graph &g, PassContext &ctx) {
    // Keyed by content hash; values compared exactly on collision.
    std::map<std::pair<std::string, uint64_t>, std::vector<Value *>> seen;
    bool changed = false;
    std::vector<Value *> inits = g.initializers();
    for (Value *v : inits) {
      if (v->isGraphInput() || g.isGraphOutput(v) || v->quant) continue;
      const Tensor &t = *v->constant;
      auto &bucket = seen[{describe(t), hashBytes(t)}];
      Value *same = nullptr;
      for (Value *c : bucket)
        if (c->constant->identical(t)) same = c;
      if (!same) {
        bucket.push_back(v);
        continue;
      }
      g.replaceAllUsesWith(v, same);
      ctx.stats.add("constants-merged");
      changed = true;
    }
    return changed;
  }

  bool mergeNodes(Graph &g, PassContext &ctx) {
    // Pointer identity of inputs is stable for the duration of this pass and
    // only used for equality, never for ordering output.
    std::map<std::string, Node *> seen;
    bool changed = false;
    for (const auto &np : g.nodes()) {
      Node &n = *np;
      if (!n.subgraphs().empty() || n.opType.rfind("Random", 0) == 0 ||
          n.opType == "Bernoulli" || n.opType == "Multinomial")
        continue;
      std::string key = nodeKey(n);
      auto it = seen.find(key);
      if (it == seen.end()) {
        seen.emplace(key, &n);
        continue;
      }
      Node &first = *it->second;
      bool ok = true;
      for (size_t i = 0; i < n.outputs.size(); ++i)
        if (n.outputs[i] && (g.isGraphOutput(n.outputs[i]) || !first.outputs[i]))
          ok = false;
      if (!ok) continue;
      for (size_t i = 0; i < n.outputs.size(); ++i)
        if (n.outputs[i]) g.replaceAllUsesWith(n.outputs[i], first.outputs[i]);
      ctx.stats.add("nodes-merged");
      changed = true;
    }
    return changed;
  }
};

} // namespace

std::unique_ptr<Pass> createEliminateCommonSubexpressionsPass() {
  return std::make_unique<CsePass>();
}

} // namespace edgec
