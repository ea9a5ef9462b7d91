// Preparing a model for the Edge TPU (see EdgeTpuPrepare.h).
#include "targets/edgetpu/EdgeTpuPrepare.h"

#include "export/TfliteExport.h"

#include <optional>

namespace edgec::edgetpu {

namespace {

/// The per-tensor parameters a QuantizeLinear/DequantizeLinear node applies
/// (from its integer side `q`, else from its constant inputs).
std::optional<QuantParams> edgeParams(const Node &n, const Value *q) {
  std::optional<QuantParams> p = q->quant;
  if (!p) {
    const Value *s = n.input(1), *z = n.input(2);
    if (!s || !s->constant) return std::nullopt;
    p = QuantParams{};
    for (double v : s->constant->toDoubleVector()) p->scale.push_back((float)v);
    if (z && z->constant) p->zeroPoint = z->constant->toInt64Vector();
    else p->zeroPoint.assign(p->scale.size(), 0);
  }
  if (p->scale.size() != 1 || p->zeroPoint.size() != 1) return std::nullopt;
  p->axis = -1;
  return p;
}

bool isInt8Or16(DataType t) {
  return t == DataType::Int8 || t == DataType::UInt8 || t == DataType::Int16;
}

bool isQdq(const Node *n, const char *op) {
  return n && n->domain.empty() && n->opType == op && n->outputs.size() == 1 && n->outputs[0];
}

/// A float input read only by one QuantizeLinear becomes the integer input.
void integerInput(Graph &g, Value *x, std::vector<std::string> &notes) {
  std::vector<Node *> users = g.usersOf(x);
  if (users.size() != 1 || !isQdq(users[0], "QuantizeLinear") || users[0]->input(0) != x) return;
  Node *q = users[0];
  Value *y = q->outputs[0];
  std::optional<QuantParams> p = edgeParams(*q, y);
  if (!p || g.isGraphOutput(y) || !isInt8Or16(y->type.dtype)) return;
  x->type.dtype = y->type.dtype;
  x->quant = p;
  g.removeNode(q);
  g.replaceAllUsesWith(y, x);
  g.removeValue(y);
  notes.push_back("input '" + x->name + "' is " + x->type.str() +
                  " (its QuantizeLinear is removed: the Edge TPU cannot map a float input)");
}

/// A float output written only by a DequantizeLinear of an integer value
/// becomes that integer value, under the output's name.
void integerOutput(Graph &g, Value *y, std::vector<std::string> &notes) {
  Node *d = y->producer();
  if (!isQdq(d, "DequantizeLinear")) return;
  Value *t = d->input(0);
  if (!t || !isInt8Or16(t->type.dtype) || t->isGraphInput() || g.isGraphOutput(t) ||
      !t->producer() || t->constant)
    return;
  std::optional<QuantParams> p = edgeParams(*d, t);
  if (!p) return;
  for (Node *u : g.usersOf(y))
    if (u) return; // read inside the graph too: keep it
  Node *src = t->producer();
  int slot = t->producerOutput();
  g.removeNode(d);
  y->type = t->type;
  y->quant = p;
  g.setNodeOutput(src, (size_t)slot, y);
  g.replaceAllUsesWith(t, y);
  g.removeValue(t);
  notes.push_back("output '" + y->name + "' is " + y->type.str() +
                  " (its DequantizeLinear is removed)");
}

bool isTranspose(const Node *n, const std::vector<int64_t> &perm) {
  return n && n->domain.empty() && n->opType == "Transpose" && n->outputs.size() == 1 &&
         n->outputs[0] && n->attrInts("perm", {}) == perm;
}

bool sameQuant(const Value *a, const Value *b) {
  return a->quant.has_value() == b->quant.has_value() && (!a->quant || *a->quant == *b->quant);
}

/// io-layout=nhwc: an input read only by the NCHW -> NHWC TRANSPOSE takes
/// the transposed shape and the TRANSPOSE goes.
void nhwcInput(Graph &g, Value *x, std::vector<std::string> &notes) {
  std::vector<Node *> users = g.usersOf(x);
  if (users.size() != 1 || !isTranspose(users[0], {0, 2, 3, 1})) return;
  Node *t = users[0];
  Value *y = t->outputs[0];
  if (g.isGraphOutput(y) || !sameQuant(x, y) || !y->type.isStatic()) return;
  std::string before = x->type.str();
  g.removeNode(t);
  x->type = y->type;
  g.replaceAllUsesWith(y, x);
  g.removeValue(y);
  notes.push_back("io-layout=nhwc: input '" + x->name + "' is " + x->type.str() +
                  " (channels-last; the model's " + before + " TRANSPOSE is removed)");
}

/// io-layout=nhwc: an output written by the NHWC -> NCHW TRANSPOSE of a
/// value nothing else reads becomes that value, under the output's name.
void nhwcOutput(Graph &g, Value *y, std::vector<std::string> &notes) {
  Node *t = y->producer();
  if (!isTranspose(t, {0, 3, 1, 2})) return;
  Value *u = t->input(0);
  if (!u || !u->producer() || u->isGraphInput() || g.isGraphOutput(u) || u->constant ||
      g.usersOf(u).size() != 1 || !sameQuant(u, y) || !u->type.isStatic())
    return;
  for (Node *r : g.usersOf(y))
    if (r) return;
  std::string before = y->type.str();
  Node *src = u->producer();
  size_t slot = (size_t)u->producerOutput();
  g.removeNode(t);
  y->type = u->type;
  g.setNodeOutput(src, slot, y);
  g.removeValue(u);
  notes.push_back("io-layout=nhwc: output '" + y->name + "' is " + y->type.str() +
                  " (channels-last; the model's " + before + " TRANSPOSE is removed)");
}

QuantParams shiftedToUint8(QuantParams p) {
  p.zeroPoint[0] += 128;
  return p;
}

/// io=uint8: an int8 input x becomes uint8 (zero point + 128) followed by a
/// requantizing Identity to the int8 value the network reads.
void uint8Input(Graph &g, Value *x) {
  if (x->type.dtype != DataType::Int8 || !x->quant || x->quant->perAxis()) return;
  Value *inner = g.addValue(g.uniqueName(x->name + "_int8"), x->type);
  inner->quant = x->quant;
  g.replaceAllUsesWith(x, inner);
  x->type.dtype = DataType::UInt8;
  x->quant = shiftedToUint8(*x->quant);
  g.addNodeBefore(g.nodes().front().get(), "Identity", {x}, {inner},
                  g.uniqueName(x->name + "_to_int8"));
}

/// io=uint8: an int8 output y is written by a requantizing Identity from the
/// int8 value the network computes.
void uint8Output(Graph &g, Value *y) {
  Node *src = y->producer();
  if (y->type.dtype != DataType::Int8 || !y->quant || y->quant->perAxis() || !src) return;
  Value *inner = g.addValue(g.uniqueName(y->name + "_int8"), y->type);
  inner->quant = y->quant;
  for (Node *u : g.usersOf(y))
    for (Value *&in : u->inputs)
      if (in == y) in = inner;
  g.setNodeOutput(src, (size_t)y->producerOutput(), inner);
  y->type.dtype = DataType::UInt8;
  y->quant = shiftedToUint8(*y->quant);
  g.addNode("Identity", {inner}, {y}, g.uniqueName(y->name + "_to_uint8"));
}

} // namespace

Expected<PreparedModel> prepareForEdgeTpu(Model &m, const EdgeTpuOptions &o) {
  PreparedModel r;
  Graph &g = *m.graph;
  std::set<std::string> dynamic;
  for (Value *v : g.inputs) {
    if (v->isInitializer()) continue;
    if (!v->type.hasRank) {
      dynamic.insert(v->name);
      continue;
    }
    bool restStatic = true;
    for (size_t i = 1; i < v->type.dims.size(); ++i)
      restStatic = restStatic && v->type.dims[i].isStatic();
    if (!v->type.dims.empty() && !v->type.dims[0].isStatic() && restStatic) {
      v->type.dims[0] = Dim::fixed(1);
      r.notes.push_back("input '" + v->name +
                        "' has a dynamic batch dimension; writing batch 1 (the Edge TPU "
                        "needs batch 1; --input-shape sets it)");
    } else if (!v->type.isStatic()) {
      dynamic.insert(v->name);
      r.notes.push_back("input '" + v->name + "' " + v->type.str() +
                        " is dynamic: written with 1 for each unknown dimension, and the Edge "
                        "TPU needs static shapes (give --input-shape NAME=D0,D1,...)");
    }
  }
  EDGEC_TRY(prepareForTflite(m));
  for (Value *x : std::vector<Value *>(g.inputs))
    if (!x->isInitializer() && isFloatType(x->type.dtype)) integerInput(g, x, r.notes);
  for (Value *y : std::vector<Value *>(g.outputs))
    if (y && isFloatType(y->type.dtype)) integerOutput(g, y, r.notes);
  if (o.nhwcIo) {
    for (Value *x : std::vector<Value *>(g.inputs))
      if (!x->isInitializer()) nhwcInput(g, x, r.notes);
    for (Value *y : std::vector<Value *>(g.outputs))
      if (y) nhwcOutput(g, y, r.notes);
  }
  if (o.io == DataType::UInt8) {
    for (Value *x : std::vector<Value *>(g.inputs))
      if (!x->isInitializer() && !g.nodes().empty()) uint8Input(g, x);
    for (Value *y : std::vector<Value *>(g.outputs))
      if (y) uint8Output(g, y);
  }
  for (const Value *x : g.inputs)
    if (!x->isInitializer() && isFloatType(x->type.dtype))
      r.notes.push_back("input '" + x->name + "' stays " + x->type.str() +
                        ": the Edge TPU maps only int8/uint8 models (quantize it: --quantize "
                        "with --calib DIR or --calib-random N)");
  EDGEC_TRY(g.sortTopologically());
  for (const auto &n : g.nodes()) {
    bool reads = false;
    for (const Value *x : n->inputs) reads = reads || (x && dynamic.count(x->name));
    if (reads)
      for (const Value *y : n->outputs)
        if (y) dynamic.insert(y->name);
  }
  r.dynamicValues = std::move(dynamic);
  return r;
}

} // namespace edgec::edgetpu
