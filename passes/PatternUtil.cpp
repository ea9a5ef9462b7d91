#include "passes/PatternUtil.h"

#include <cmath>

namespace edgec {

static void countUses(const Graph &g, std::map<const Value *, int> &uses) {
  for (const auto &n : g.nodes()) {
    for (const Value *v : n->inputs)
      if (v) ++uses[v];
    for (Graph *sg : n->subgraphs()) countUses(*sg, uses);
  }
  for (const Value *v : g.outputs) ++uses[v];
}

UseCounts::UseCounts(const Graph &g) : g_(g) { countUses(g, uses_); }

int UseCounts::uses(const Value *v) const {
  auto it = uses_.find(v);
  return it == uses_.end() ? 0 : it->second;
}

bool UseCounts::singleUse(const Value *v) const {
  return uses(v) == 1 && !g_.isGraphOutput(v);
}

std::optional<double> uniformConstant(const Value *v) {
  const Tensor *t = constantOf(v);
  if (!t || t->numElements() == 0 || isStorageOnlyType(t->dtype()))
    return std::nullopt;
  double x = t->getDouble(0);
  for (int64_t i = 1; i < t->numElements(); ++i)
    if (t->getDouble(i) != x) return std::nullopt;
  return x;
}

bool isConstantNear(const Value *v, double x, double relTol) {
  std::optional<double> u = uniformConstant(v);
  if (!u) return false;
  return std::fabs(*u - x) <= relTol * std::max(1.0, std::fabs(x));
}

Node *producerIs(const Value *v, const char *op) {
  if (!v) return nullptr;
  Node *p = v->producer();
  return isOp(p, op) ? p : nullptr;
}

Value *addConstant(Graph &g, const std::string &base, Tensor t) {
  return g.addInitializer(g.uniqueName(base), std::move(t));
}

Node *replaceNode(Graph &g, Node *old, const std::string &opType,
                  std::vector<Value *> inputs, std::string domain) {
  Node *n = g.addNodeBefore(old, opType, std::move(inputs), {}, old->name,
                            std::move(domain));
  n->opsetVersion = old->opsetVersion;
  std::vector<Value *> outs = old->outputs;
  g.removeNode(old);
  n->outputs.resize(outs.size());
  for (size_t i = 0; i < outs.size(); ++i) g.setNodeOutput(n, i, outs[i]);
  return n;
}

void takeOverOutput(Graph &g, Node *last, Node *replacement) {
  Value *target = last->outputs[0];
  Value *old = replacement->outputs[0];
  g.setNodeOutput(last, 0, nullptr);
  g.setNodeOutput(replacement, 0, target);
  if (old) g.replaceAllUsesWith(old, target);
}

static void collectRefs(const Graph &g, std::map<const Value *, int> &refs) {
  for (const auto &n : g.nodes()) {
    for (const Value *v : n->inputs)
      if (v) ++refs[v];
    for (const Value *v : n->outputs)
      if (v) ++refs[v];
    for (Graph *sg : n->subgraphs()) collectRefs(*sg, refs);
  }
  for (const Value *v : g.outputs) ++refs[v];
  for (const Value *v : g.inputs) ++refs[v];
}

int removeDeadNodes(Graph &g) {
  int removed = 0;
  bool again = true;
  while (again) {
    again = false;
    UseCounts uc(g);
    std::vector<Node *> dead;
    for (auto it = g.nodes().rbegin(); it != g.nodes().rend(); ++it) {
      Node *n = it->get();
      bool used = false;
      for (const Value *o : n->outputs)
        if (o && uc.uses(o) > 0) used = true;
      if (!used) dead.push_back(n);
    }
    for (Node *n : dead) {
      g.removeNode(n);
      ++removed;
      again = true;
    }
  }
  std::map<const Value *, int> refs;
  collectRefs(g, refs);
  std::vector<Value *> orphans;
  for (const auto &v : g.values())
    if (!refs.count(v.get())) orphans.push_back(v.get());
  for (Value *v : orphans) g.removeValue(v);
  return removed;
}

std::optional<TensorShape> staticShape(const Value *v) {
  if (!v) return std::nullopt;
  if (v->constant) return v->constant->shape();
  if (!v->type.isStatic()) return std::nullopt;
  return v->type.staticShape();
}

TensorShape rightAlignedShape(const TensorShape &s, size_t rank) {
  TensorShape r(rank > s.size() ? rank - s.size() : 0, 1);
  r.insert(r.end(), s.begin(), s.end());
  return r;
}

void forEachGraph(Graph &g, const std::function<void(Graph &)> &f) {
  f(g);
  for (const auto &n : g.nodes())
    for (Graph *sg : n->subgraphs()) forEachGraph(*sg, f);
}

} // namespace edgec

namespace edgec {

bool forwardValue(Graph &g, Value *out, Value *in) {
  if (out == in) return false;
  if (!g.isGraphOutput(out)) {
    g.replaceAllUsesWith(out, in);
    return true;
  }
  Node *p = in->producer();
  if (!p || p->owner() != &g || g.isGraphOutput(in) || in->isGraphInput())
    return false;
  // `out` takes `in`'s place: its producer is detached first so that the
  // node that computed `out` before becomes dead.
  if (Node *old = out->producer())
    for (size_t i = 0; i < old->outputs.size(); ++i)
      if (old->outputs[i] == out) g.setNodeOutput(old, i, nullptr);
  int slot = in->producerOutput();
  TensorType t = in->type;
  g.setNodeOutput(p, (size_t)slot, out);
  g.replaceAllUsesWith(in, out);
  if (out->type.dtype == DataType::Undefined) out->type = t;
  return true;
}

} // namespace edgec
