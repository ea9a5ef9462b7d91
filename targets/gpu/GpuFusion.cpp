// Pointwise chain fusion (see GpuFusion.h).
#include "targets/gpu/GpuFusion.h"

#include <unordered_set>

namespace edgec::gpu {

const Node *FusionPlan::producerOf(const Node &n) const {
  auto it = from_.find(&n);
  return it == from_.end() ? nullptr : it->second;
}

const Node *FusionPlan::consumerOf(const Node &n) const {
  auto it = into_.find(&n);
  return it == into_.end() ? nullptr : it->second;
}

void FusionPlan::fuse(const Node &producer, const Node &consumer) {
  from_[&consumer] = &producer;
  into_[&producer] = &consumer;
}

FusionPlan planPointwiseFusion(const Model &m, const target::Partition &p, const std::string &target,
                               const std::function<bool(const Node &)> &pointwise) {
  FusionPlan plan;
  const Graph &g = *m.graph;
  std::unordered_set<const Value *> graphOutputs(g.outputs.begin(), g.outputs.end());
  // Readers of each value (lookup only).
  std::unordered_map<const Value *, std::unordered_set<const Node *>> readers;
  for (const auto &n : g.nodes())
    for (const Value *v : n->inputs)
      if (v) readers[v].insert(n.get());
  const Node *prev = nullptr;
  for (const auto &node : g.nodes()) {
    const Node &n = *node;
    const bool ok = p.placementOf(&n).target == target && pointwise(n);
    if (ok && prev && prev->outputs.size() == 1 && prev->outputs[0]) {
      const Value *v = prev->outputs[0];
      const auto &r = readers[v];
      if (!graphOutputs.count(v) && r.size() == 1 && r.count(&n) && n.outputs.size() == 1 &&
          n.outputs[0] && v->type == n.outputs[0]->type)
        plan.fuse(*prev, n);
    }
    prev = ok ? &n : nullptr;
  }
  return plan;
}

} // namespace edgec::gpu
