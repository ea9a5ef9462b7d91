#include "ir/Verifier.h"

#include <set>

namespace edgec {

namespace {

/// Values visible in enclosing scopes at the point a subgraph is used.
struct Scope {
  const Scope *parent = nullptr;
  std::set<const Value *> defined;
  bool has(const Value *v) const {
    for (const Scope *s = this; s; s = s->parent)
      if (s->defined.count(v)) return true;
    return false;
  }
};

Status checkConstant(const Value &v) {
  if (!v.constant) return Status::ok();
  const Tensor &t = *v.constant;
  if (v.type.dtype != DataType::Undefined && v.type.dtype != t.dtype())
    return Error(ErrorCode::InvalidModel,
                 "value '" + v.name + "': declared type " + v.type.str() +
                     " but constant data is " + describe(t));
  if (v.type.hasRank) {
    bool ok = v.type.rank() == t.rank();
    for (size_t i = 0; ok && i < t.rank(); ++i)
      if (v.type.dims[i].isStatic() && v.type.dims[i].value != t.dim(i))
        ok = false;
    if (!ok)
      return Error(ErrorCode::InvalidModel,
                   "value '" + v.name + "': declared type " + v.type.str() +
                       " but constant data is " + describe(t));
  }
  return Status::ok();
}

Status verify(const Graph &g, const Scope *outer) {
  Scope scope;
  scope.parent = outer;
  const std::string gname = "graph '" + g.name + "'";
  for (const auto &v : g.values()) {
    if (v->owner() != &g)
      return Error(ErrorCode::Internal, gname + ": value '" + v->name +
                                            "' has the wrong owner");
    EDGEC_TRY(checkConstant(*v));
    if (v->isGraphInput() || v->isInitializer())
      scope.defined.insert(v.get());
  }
  for (const Value *v : g.inputs)
    if (!v || v->owner() != &g)
      return Error(ErrorCode::InvalidModel, gname + ": bad graph input");
  for (const auto &n : g.nodes()) {
    if (n->owner() != &g)
      return Error(ErrorCode::Internal, n->label() + " has the wrong owner");
    for (const Value *v : n->inputs) {
      if (!v) continue;
      if (!scope.has(v))
        return Error(ErrorCode::InvalidModel,
                     n->label() + ": input '" + v->name +
                         "' is used before it is defined");
    }
    for (Graph *sg : n->subgraphs()) {
      if (sg->parent != &g)
        return Error(ErrorCode::Internal,
                     n->label() + ": subgraph has the wrong parent");
      EDGEC_TRY(verify(*sg, &scope));
    }
    if (n->outputs.empty())
      return Error(ErrorCode::InvalidModel, n->label() + ": has no outputs");
    for (size_t i = 0; i < n->outputs.size(); ++i) {
      const Value *o = n->outputs[i];
      if (!o) continue;
      if (o->producer() != n.get() || o->producerOutput() != (int)i)
        return Error(ErrorCode::Internal,
                     n->label() + ": output '" + o->name +
                         "' does not point back to its producer");
      if (scope.defined.count(o))
        return Error(ErrorCode::InvalidModel,
                     n->label() + ": output '" + o->name +
                         "' is defined more than once");
      scope.defined.insert(o);
    }
  }
  for (const Value *v : g.outputs) {
    if (!v) return Error(ErrorCode::InvalidModel, gname + ": null output");
    if (!scope.has(v))
      return Error(ErrorCode::InvalidModel,
                   gname + ": output '" + v->name + "' is never computed");
  }
  // Dangling: a node output value of this graph without a producer that is
  // still used.
  for (const auto &n : g.nodes())
    for (const Value *v : n->inputs)
      if (v && v->owner() == &g && !v->producer() && !v->isGraphInput() &&
          !v->isInitializer())
        return Error(ErrorCode::InvalidModel,
                     n->label() + ": input '" + v->name +
                         "' has no producer (dangling value)");
  return Status::ok();
}

} // namespace

Status verifyGraph(const Graph &g) { return verify(g, nullptr); }

} // namespace edgec
