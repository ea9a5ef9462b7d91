// A part of a model as a model of its own (see ModelSlice.h).
#include "targets/common/ModelSlice.h"

#include <map>
#include <set>

namespace edgec::target {

Expected<std::unique_ptr<Model>> sliceModel(const Model &m, const std::vector<const Node *> &nodes) {
  auto out = std::make_unique<Model>();
  out->opsets = m.opsets;
  out->irVersion = m.irVersion;
  out->producerName = m.producerName;
  out->producerVersion = m.producerVersion;
  out->path = m.path;
  out->metadata = m.metadata;
  Graph &g = *out->graph;
  g.name = m.graph->name;
  std::set<const Node *> inSlice(nodes.begin(), nodes.end());
  std::set<const Value *> written;
  for (const Node *n : nodes) {
    if (!n->subgraphs().empty())
      return Error(ErrorCode::Unsupported,
                   n->label() + " holds a subgraph and cannot be moved to another target");
    for (const Value *y : n->outputs)
      if (y) written.insert(y);
  }
  std::map<const Value *, Value *> copy;
  auto get = [&](const Value *v) -> Value * {
    if (!v) return nullptr;
    auto it = copy.find(v);
    if (it != copy.end()) return it->second;
    Value *c;
    if (v->constant && !written.count(v)) {
      c = g.addInitializer(v->name, *v->constant);
      c->type = v->type;
    } else if (!written.count(v)) {
      c = g.addInput(v->name, v->type);
    } else {
      c = g.addValue(v->name, v->type);
    }
    c->quant = v->quant;
    copy[v] = c;
    return c;
  };
  for (const Node *n : nodes) {
    std::vector<Value *> ins, outs;
    for (const Value *x : n->inputs) ins.push_back(get(x));
    for (const Value *y : n->outputs) outs.push_back(get(y));
    Node *k = g.addNode(n->opType, ins, outs, n->name, n->domain);
    k->attrs = n->attrs;
    k->opsetVersion = n->opsetVersion;
  }
  std::set<const Value *> isOutput;
  for (const Value *y : m.graph->outputs)
    if (y && written.count(y) && isOutput.insert(y).second) g.outputs.push_back(copy[y]);
  for (const auto &n : m.graph->nodes()) {
    if (inSlice.count(n.get())) continue;
    for (const Value *x : n->inputs)
      if (x && written.count(x) && isOutput.insert(x).second) g.outputs.push_back(copy[x]);
  }
  return out;
}

} // namespace edgec::target
