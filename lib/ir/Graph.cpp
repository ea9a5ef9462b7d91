#include "ir/Graph.h"

#include <algorithm>
#include <set>

namespace edgec {

const char *attributeKindName(Attribute::Kind k) {
  switch (k) {
  case Attribute::Kind::Int: return "int";
  case Attribute::Kind::Float: return "float";
  case Attribute::Kind::String: return "string";
  case Attribute::Kind::Tensor: return "tensor";
  case Attribute::Kind::Graph: return "graph";
  case Attribute::Kind::Ints: return "ints";
  case Attribute::Kind::Floats: return "floats";
  case Attribute::Kind::Strings: return "strings";
  case Attribute::Kind::Tensors: return "tensors";
  case Attribute::Kind::Graphs: return "graphs";
  }
  return "?";
}

std::string Node::label() const {
  std::string op = domain.empty() ? opType : domain + "." + opType;
  return "node '" + name + "' (" + op + ")";
}

int64_t Node::attrInt(const std::string &n, int64_t dflt) const {
  const Attribute *a = attr(n);
  if (!a) return dflt;
  if (a->kind == Attribute::Kind::Float) return (int64_t)a->f;
  return a->i;
}

float Node::attrFloat(const std::string &n, float dflt) const {
  const Attribute *a = attr(n);
  if (!a) return dflt;
  if (a->kind == Attribute::Kind::Int) return (float)a->i;
  return a->f;
}

std::string Node::attrString(const std::string &n,
                             const std::string &dflt) const {
  const Attribute *a = attr(n);
  return a ? a->s : dflt;
}

std::vector<int64_t> Node::attrInts(const std::string &n,
                                    std::vector<int64_t> dflt) const {
  const Attribute *a = attr(n);
  if (!a) return dflt;
  if (a->kind == Attribute::Kind::Int) return {a->i};
  return a->ints;
}

std::vector<float> Node::attrFloats(const std::string &n,
                                    std::vector<float> dflt) const {
  const Attribute *a = attr(n);
  if (!a) return dflt;
  if (a->kind == Attribute::Kind::Float) return {a->f};
  return a->floats;
}

std::vector<Graph *> Node::subgraphs() const {
  std::vector<Graph *> r;
  for (const auto &[n, a] : attrs) {
    if (a.kind == Attribute::Kind::Graph && a.g)
      r.push_back(a.g.get());
    for (const auto &g : a.graphs)
      r.push_back(g.get());
  }
  return r;
}

Value *Graph::addValue(std::string name, TensorType type) {
  auto v = std::make_unique<Value>();
  v->name = std::move(name);
  v->type = std::move(type);
  v->owner_ = this;
  Value *p = v.get();
  values_.push_back(std::move(v));
  if (!p->name.empty())
    byName_[p->name] = p;
  return p;
}

Value *Graph::addInput(std::string name, TensorType type) {
  Value *v = addValue(std::move(name), std::move(type));
  v->isGraphInput_ = true;
  inputs.push_back(v);
  return v;
}

Value *Graph::addInitializer(std::string name, Tensor data) {
  Value *v = addValue(std::move(name), TensorType(data.dtype(), data.shape()));
  v->constant = std::move(data);
  return v;
}

void Graph::markAsInput(Value *v) {
  assert(v->owner_ == this && "markAsInput: value of another graph");
  v->isGraphInput_ = true;
  inputs.push_back(v);
}

Node *Graph::addNode(std::string opType, std::vector<Value *> ins,
                     std::vector<Value *> outs, std::string name,
                     std::string domain) {
  auto n = std::make_unique<Node>();
  n->opType = std::move(opType);
  n->inputs = std::move(ins);
  n->outputs = std::move(outs);
  n->name = std::move(name);
  n->domain = std::move(domain);
  n->owner_ = this;
  for (size_t i = 0; i < n->outputs.size(); ++i) {
    if (Value *o = n->outputs[i]) {
      o->producer_ = n.get();
      o->producerOutput_ = (int)i;
    }
  }
  nodes_.push_back(std::move(n));
  return nodes_.back().get();
}

Node *Graph::addNodeBefore(Node *before, std::string opType,
                           std::vector<Value *> ins, std::vector<Value *> outs,
                           std::string name, std::string domain) {
  Node *n = addNode(std::move(opType), std::move(ins), std::move(outs),
                    std::move(name), std::move(domain));
  auto pos = std::find_if(nodes_.begin(), nodes_.end(),
                          [&](const auto &p) { return p.get() == before; });
  assert(pos != nodes_.end() && "addNodeBefore: anchor not in this graph");
  std::unique_ptr<Node> owned = std::move(nodes_.back());
  nodes_.pop_back();
  nodes_.insert(pos, std::move(owned));
  return n;
}

static void replaceInputs(Graph &g, Value *from, Value *to) {
  for (const auto &n : g.nodes()) {
    for (Value *&v : n->inputs)
      if (v == from) v = to;
    for (Graph *sg : n->subgraphs()) replaceInputs(*sg, from, to);
  }
}

void Graph::replaceAllUsesWith(Value *from, Value *to) {
  replaceInputs(*this, from, to);
  for (Value *&v : outputs)
    if (v == from) v = to;
}

void Graph::setNodeOutput(Node *n, size_t i, Value *v) {
  assert(n->owner_ == this && i < n->outputs.size() && "setNodeOutput: bad slot");
  if (Value *old = n->outputs[i]; old && old->producer_ == n) {
    old->producer_ = nullptr;
    old->producerOutput_ = -1;
  }
  n->outputs[i] = v;
  if (v) {
    v->producer_ = n;
    v->producerOutput_ = (int)i;
  }
}

void Graph::removeValue(Value *v) {
  assert(v->owner_ == this && "removeValue: value of another graph");
  auto it = std::find_if(values_.begin(), values_.end(),
                         [&](const auto &p) { return p.get() == v; });
  assert(it != values_.end() && "removeValue: value not in this graph");
  auto bn = byName_.find(v->name);
  if (bn != byName_.end() && bn->second == v) byName_.erase(bn);
  values_.erase(it);
}

std::string Graph::uniqueName(const std::string &base) const {
  auto taken = [&](const std::string &n) {
    for (const Graph *g = this; g; g = g->parent)
      if (g->findValue(n)) return true;
    return false;
  };
  if (!base.empty() && !taken(base)) return base;
  for (int i = 1;; ++i) {
    std::string n = base + "_" + std::to_string(i);
    if (!taken(n)) return n;
  }
}

bool Graph::isGraphOutput(const Value *v) const {
  return std::find(outputs.begin(), outputs.end(), v) != outputs.end();
}

void Graph::removeNode(Node *n) {
  for (Value *o : n->outputs)
    if (o && o->producer_ == n) {
      o->producer_ = nullptr;
      o->producerOutput_ = -1;
    }
  auto it = std::find_if(nodes_.begin(), nodes_.end(),
                         [&](const auto &p) { return p.get() == n; });
  assert(it != nodes_.end() && "removeNode: node not in this graph");
  nodes_.erase(it);
}

std::vector<Value *> Graph::initializers() const {
  std::vector<Value *> r;
  for (const auto &v : values_)
    if (v->isInitializer())
      r.push_back(v.get());
  return r;
}

std::vector<Value *> Graph::runtimeInputs() const {
  std::vector<Value *> r;
  for (Value *v : inputs)
    if (!v->isInitializer())
      r.push_back(v);
  return r;
}

Value *Graph::findValue(const std::string &name) const {
  auto it = byName_.find(name);
  return it == byName_.end() ? nullptr : it->second;
}

static void collectInputs(const Node &n, std::vector<const Value *> &out) {
  for (Value *v : n.inputs)
    if (v) out.push_back(v);
  for (Graph *g : n.subgraphs())
    for (const auto &sn : g->nodes())
      collectInputs(*sn, out);
}

std::vector<Node *> Graph::usersOf(const Value *v) const {
  std::vector<Node *> r;
  for (const auto &n : nodes_) {
    std::vector<const Value *> ins;
    collectInputs(*n, ins);
    if (std::find(ins.begin(), ins.end(), v) != ins.end())
      r.push_back(n.get());
  }
  return r;
}

int Graph::depth() const {
  int d = 0;
  for (const Graph *g = parent; g; g = g->parent) ++d;
  return d;
}

Status Graph::sortTopologically() {
  // Kahn's algorithm keeping the original order among ready nodes.
  size_t n = nodes_.size();
  std::map<const Node *, size_t> index;
  for (size_t i = 0; i < n; ++i) index[nodes_[i].get()] = i;
  std::vector<std::vector<size_t>> succ(n);
  std::vector<size_t> indeg(n, 0);
  for (size_t i = 0; i < n; ++i) {
    std::vector<const Value *> ins;
    collectInputs(*nodes_[i], ins);
    std::set<size_t> preds;
    for (const Value *v : ins) {
      Node *p = v->producer();
      if (p && p->owner() == this && index.count(p))
        preds.insert(index[p]);
    }
    for (size_t p : preds) {
      if (p == i)
        return Error(ErrorCode::InvalidModel,
                     nodes_[i]->label() + " uses its own output (cycle)");
      succ[p].push_back(i);
      ++indeg[i];
    }
  }
  std::set<size_t> ready;
  for (size_t i = 0; i < n; ++i)
    if (indeg[i] == 0) ready.insert(i);
  std::vector<size_t> order;
  while (!ready.empty()) {
    size_t i = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(i);
    for (size_t s : succ[i])
      if (--indeg[s] == 0) ready.insert(s);
  }
  if (order.size() != n) {
    for (size_t i = 0; i < n; ++i)
      if (indeg[i] != 0)
        return Error(ErrorCode::InvalidModel,
                     "graph '" + name + "' has a cycle through " +
                         nodes_[i]->label());
  }
  std::vector<std::unique_ptr<Node>> sorted;
  sorted.reserve(n);
  for (size_t i : order) sorted.push_back(std::move(nodes_[i]));
  nodes_ = std::move(sorted);
  return Status::ok();
}

} // namespace edgec
