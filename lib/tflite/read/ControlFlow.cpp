// Control flow: IF as If with the referenced subgraphs as branches, WHILE
// as Loop without a trip count, CALL_ONCE inlined.
#include "tflite/read/Converters.h"

namespace edgec::tflite {

Status convertIf(OpBuilder &b) {
  if (b.numInputs() < 1) return b.error("has no condition input");
  EDGEC_TRY(b.arity(1, b.numInputs(), -1));
  EDGEC_ASSIGN_OR_RETURN(const fb::IfOptions *o, b.options<fb::IfOptions>());
  EDGEC_ASSIGN_OR_RETURN(Value * cond, b.input(0));
  std::vector<Value *> operands;
  for (size_t i = 1; i < b.numInputs(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(Value * v, b.input(i));
    operands.push_back(v);
  }
  EDGEC_ASSIGN_OR_RETURN(std::shared_ptr<Graph> thenG,
                         b.body(o->then_subgraph_index(), operands));
  EDGEC_ASSIGN_OR_RETURN(std::shared_ptr<Graph> elseG,
                         b.body(o->else_subgraph_index(), operands));
  if (thenG->outputs.size() != b.numOutputs() ||
      elseG->outputs.size() != b.numOutputs())
    return b.error("branches return " + std::to_string(thenG->outputs.size()) +
                   " and " + std::to_string(elseG->outputs.size()) +
                   " values for " + std::to_string(b.numOutputs()) +
                   " outputs");
  // TFLite's condition is any single-element tensor.
  if (cond->type.hasRank && cond->type.rank() != 0) {
    Value *s = b.temp("cond", TensorType(cond->type.dtype, TensorShape{}));
    b.emit("Reshape", {cond, b.int64Constant("cond_shape", {})}, {s});
    cond = s;
  }
  std::vector<Value *> outs;
  for (size_t i = 0; i < b.numOutputs(); ++i)
    outs.push_back(b.output(i));
  Node *n = b.emit("If", {cond}, outs);
  Attribute t, e;
  t.kind = e.kind = Attribute::Kind::Graph;
  t.g = thenG;
  e.g = elseG;
  n->attrs["then_branch"] = t;
  n->attrs["else_branch"] = e;
  thenG->parent = &b.graph();
  elseG->parent = &b.graph();
  return Status::ok();
}

namespace {

/// `c` (a single-element bool tensor, TFLite's condition) as the scalar an
/// ONNX Loop condition must be, computed in graph g.
Expected<Value *> scalarCondition(OpBuilder &b, Graph &g, Value *c) {
  if (c->type.dtype != DataType::Bool)
    return b.error("condition subgraph returns " +
                   std::string(dataTypeName(c->type.dtype)) + ", not bool");
  if (c->type.hasRank && c->type.rank() == 0) return c;
  int64_t count = 1;
  if (c->type.isStatic())
    for (int64_t d : c->type.staticShape()) count *= d;
  if (c->type.isStatic() && count != 1)
    return b.error("condition subgraph returns " + c->type.str() +
                   ", not a single element");
  Value *shape = g.addInitializer(g.uniqueName(c->name + "/scalar_shape"),
                                  Tensor(DataType::Int64, TensorShape{0}));
  Value *s = g.addValue(g.uniqueName(c->name + "/scalar"),
                        TensorType(DataType::Bool, TensorShape{}));
  Node *n = g.addNode("Reshape", {c, shape}, {s}, s->name);
  n->opsetVersion = kImportOpset;
  return s;
}

} // namespace

/// WHILE(v...) = ONNX Loop without a trip count: the condition subgraph runs
/// once on the operands in the enclosing graph (the Loop's initial
/// condition); the Loop body runs the body subgraph and then the condition
/// subgraph on its results, and returns (condition, results...).
Status convertWhile(OpBuilder &b) {
  EDGEC_ASSIGN_OR_RETURN(const fb::WhileOptions *o, b.options<fb::WhileOptions>());
  const size_t nv = b.numInputs();
  if (nv == 0) return b.error("has no loop-carried operands");
  EDGEC_TRY(b.arity(nv, nv, (int)nv));
  std::vector<Value *> init;
  for (size_t i = 0; i < nv; ++i) {
    EDGEC_ASSIGN_OR_RETURN(Value * v, b.input(i));
    init.push_back(v);
  }
  const int64_t condIndex = o->cond_subgraph_index(), bodyIndex = o->body_subgraph_index();
  Graph &outer = b.graph();
  EDGEC_ASSIGN_OR_RETURN(std::vector<Value *> c0, b.inlineSubgraph(condIndex, outer, init));
  if (c0.size() != 1)
    return b.error("condition subgraph " + std::to_string(condIndex) + " returns " +
                   std::to_string(c0.size()) + " values, 1 expected");
  EDGEC_ASSIGN_OR_RETURN(Value * cond0, scalarCondition(b, outer, c0[0]));

  auto body = std::make_shared<Graph>();
  body->parent = &outer;
  body->name = b.opName() + "_body";
  auto fresh = [&](const std::string &base) {
    std::string n = base;
    for (int k = 1;; ++k) {
      bool taken = false;
      for (const Graph *s = body.get(); s && !taken; s = s->parent)
        taken = s->findValue(n) != nullptr;
      if (!taken) return n;
      n = base + "_" + std::to_string(k);
    }
  };
  body->addInput(fresh(b.opName() + "_iter"), TensorType(DataType::Int64, TensorShape{}));
  body->addInput(fresh(b.opName() + "_cond_in"), TensorType(DataType::Bool, TensorShape{}));
  std::vector<Value *> carried;
  for (Value *v : init) {
    Value *c = body->addInput(fresh(v->name + "_in"), v->type);
    c->quant = v->quant;
    carried.push_back(c);
  }
  EDGEC_ASSIGN_OR_RETURN(std::vector<Value *> next, b.inlineSubgraph(bodyIndex, *body, carried));
  if (next.size() != nv)
    return b.error("body subgraph " + std::to_string(bodyIndex) + " returns " +
                   std::to_string(next.size()) + " values for " + std::to_string(nv) +
                   " loop-carried operands");
  EDGEC_ASSIGN_OR_RETURN(std::vector<Value *> c1, b.inlineSubgraph(condIndex, *body, next));
  if (c1.size() != 1)
    return b.error("condition subgraph " + std::to_string(condIndex) + " returns " +
                   std::to_string(c1.size()) + " values, 1 expected");
  EDGEC_ASSIGN_OR_RETURN(Value * cond1, scalarCondition(b, *body, c1[0]));
  // Body results that are not computed by the body (a body input or an
  // outer value) get an Identity: a Loop body's outputs are its own values.
  auto own = [&](Value *v) {
    if (v->producer() && v->owner() == body.get()) return v;
    Value *copy = body->addValue(fresh(v->name + "_out"), v->type);
    copy->quant = v->quant;
    Node *n = body->addNode("Identity", {v}, {copy}, copy->name);
    n->opsetVersion = kImportOpset;
    return copy;
  };
  body->outputs.push_back(own(cond1));
  for (size_t i = 0; i < nv; ++i) {
    Value *r = own(next[i]);
    // A loop-carried value whose shape changes between iterations: the
    // body input's shape is not known in advance.
    if (r->type.hasRank && carried[i]->type.hasRank && !(r->type == carried[i]->type) &&
        r->type.dtype == carried[i]->type.dtype)
      carried[i]->type = TensorType(carried[i]->type.dtype,
                                     std::vector<Dim>(carried[i]->type.rank(), Dim::unknown()));
    body->outputs.push_back(r);
  }
  EDGEC_TRY(body->sortTopologically());
  std::vector<Value *> ins{nullptr, cond0};
  ins.insert(ins.end(), init.begin(), init.end());
  std::vector<Value *> outs;
  for (size_t i = 0; i < nv; ++i) outs.push_back(b.output(i));
  Node *n = b.emit("Loop", ins, outs);
  Attribute a;
  a.kind = Attribute::Kind::Graph;
  a.g = body;
  n->attrs["body"] = a;
  return Status::ok();
}

/// CALL_ONCE runs its init subgraph (which takes and returns nothing, it
/// initializes resource variables): its operators are inlined, so an init
/// subgraph of supported operators is a no-op and resource-variable
/// operators are reported as unsupported by the operator check.
Status convertCallOnce(OpBuilder &b) {
  EDGEC_ASSIGN_OR_RETURN(const fb::CallOnceOptions *o, b.options<fb::CallOnceOptions>());
  if (b.numInputs() != 0 || b.numOutputs() != 0)
    return b.error("CALL_ONCE takes no inputs and has no outputs");
  EDGEC_ASSIGN_OR_RETURN(std::vector<Value *> r,
                         b.inlineSubgraph(o->init_subgraph_index(), b.graph(), {}));
  (void)r;
  return Status::ok();
}

} // namespace edgec::tflite
