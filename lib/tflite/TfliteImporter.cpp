// TFLite model import: verification, tensors to values, subgraphs to
// graphs (control-flow bodies included), operators through the converters of
// read/ (findConverter, TfliteOps.h).
#include "tflite/TfliteImporter.h"

#include "ir/Annotations.h"
#include "shape/ShapeInference.h"
#include "ir/Verifier.h"
#include "support/FileIO.h"
#include "tflite/TfliteOps.h"
#include "tflite/TfliteVerify.h"

#include <cstring>
#include <filesystem>
#include <map>
#include <set>

namespace edgec {

using namespace tflite;

bool looksLikeTflite(const void *data, size_t size) {
  return size >= 8 &&
         std::memcmp(static_cast<const uint8_t *>(data) + 4, "TFL3", 4) == 0;
}

namespace tflite {

DataType irType(fb::TensorType t) {
  switch (t) {
  case fb::TensorType::FLOAT32: return DataType::Float32;
  case fb::TensorType::FLOAT16: return DataType::Float16;
  case fb::TensorType::BFLOAT16: return DataType::BFloat16;
  case fb::TensorType::FLOAT64: return DataType::Float64;
  case fb::TensorType::INT8: return DataType::Int8;
  case fb::TensorType::UINT8: return DataType::UInt8;
  case fb::TensorType::INT16: return DataType::Int16;
  case fb::TensorType::UINT16: return DataType::UInt16;
  case fb::TensorType::INT32: return DataType::Int32;
  case fb::TensorType::UINT32: return DataType::UInt32;
  case fb::TensorType::INT64: return DataType::Int64;
  case fb::TensorType::UINT64: return DataType::UInt64;
  case fb::TensorType::BOOL: return DataType::Bool;
  default: return DataType::Undefined;
  }
}

/// Expanded control-flow bodies may not exceed this many operators in total
/// (a chain of subgraphs each calling the next twice grows exponentially).
constexpr size_t kMaxImportedOperators = size_t(1) << 20;

class ModelImporter {
public:
  ModelImporter(const fb::Model &m, const uint8_t *file, size_t size,
                const ImportOptions &opts, Model &out)
      : m(m), file(file), size(size), opts(opts), out(out) {}

  Status run();
  Expected<std::shared_ptr<Graph>> importBody(int64_t index, Graph &parent,
                                              const std::vector<Value *> &bind,
                                              int depth);

  const fb::Model &m;
  const uint8_t *file;
  size_t size;
  const ImportOptions &opts;
  Model &out;
  /// Drop op-output shapes (and let inference recompute them) when input
  /// shapes are overridden.
  bool relaxShapes = false;
  size_t importedOps = 0;

private:
  Status checkSupported();
};

class SubgraphImporter {
public:
  SubgraphImporter(ModelImporter &mi, int64_t index, Graph &g, int depth)
      : mi(mi), index(index),
        sg(*mi.m.subgraphs()->Get((flatbuffers::uoffset_t)index)), g(g),
        depth(depth), values(sg.tensors() ? sg.tensors()->size() : 0, nullptr) {
  }

  /// Converts the subgraph into g. `bind` (bodies) supplies its inputs;
  /// without it the subgraph inputs become graph inputs.
  Status run(const std::vector<Value *> *bind);

  const fb::Tensor &tensor(int32_t t) const {
    return *sg.tensors()->Get((flatbuffers::uoffset_t)t);
  }
  std::string tensorLabel(int32_t t) const {
    std::string r = "tensor " + std::to_string(t);
    const fb::Tensor &tt = tensor(t);
    if (tt.name() && tt.name()->size()) r += " '" + tt.name()->str() + "'";
    return r;
  }
  std::string valueName(int32_t t) {
    const fb::Tensor &tt = tensor(t);
    std::string base = tt.name() && tt.name()->size() ? tt.name()->str()
                                                      : "t" + std::to_string(t);
    if (!nameTaken(base)) return base;
    return g.uniqueName(base + "_t" + std::to_string(t));
  }
  bool nameTaken(const std::string &n) const {
    for (const Graph *s = &g; s; s = s->parent)
      if (s->findValue(n)) return true;
    return false;
  }
  TensorType declaredType(int32_t t, bool graphInput) const;
  std::optional<QuantParams> quantOf(int32_t t) const;
  Expected<std::optional<Tensor>> constantOf(int32_t t) const;
  /// The value of a tensor read by an operator (initializers on demand).
  Expected<Value *> read(int32_t t, const std::string &where);

  ModelImporter &mi;
  int64_t index;
  const fb::SubGraph &sg;
  Graph &g;
  int depth;
  std::vector<Value *> values;
  /// Inlining (WHILE, CALL_ONCE): the subgraph's results go here instead of
  /// becoming outputs of g.
  std::vector<Value *> *results = nullptr;
  /// Constant data cache (initializers are created once per tensor).
  std::string where(size_t op, const std::string &name) const {
    return "subgraph " + std::to_string(index) + " operator " +
           std::to_string(op) + " (" + name + ")";
  }
};

TensorType SubgraphImporter::declaredType(int32_t t, bool graphInput) const {
  const fb::Tensor &tt = tensor(t);
  DataType dt = irType(tt.type());
  TensorShape shape;
  if (tt.shape())
    for (int32_t d : *tt.shape())
      shape.push_back(d);
  if (graphInput) {
    auto it = mi.opts.inputShapes.find(tt.name() ? tt.name()->str() : "");
    if (it != mi.opts.inputShapes.end()) return TensorType(dt, it->second);
    return TensorType(dt, shape);
  }
  if (mi.relaxShapes) return TensorType(dt);
  return TensorType(dt, shape);
}

std::optional<QuantParams> SubgraphImporter::quantOf(int32_t t) const {
  const fb::Tensor &tt = tensor(t);
  const fb::QuantizationParameters *q = tt.quantization();
  if (!q || !q->scale() || q->scale()->size() == 0) return std::nullopt;
  DataType dt = irType(tt.type());
  if (dt != DataType::Int8 && dt != DataType::UInt8 && dt != DataType::Int16 &&
      dt != DataType::Int32)
    return std::nullopt;
  QuantParams p;
  for (float s : *q->scale())
    p.scale.push_back(s);
  if (q->zero_point())
    for (int64_t z : *q->zero_point())
      p.zeroPoint.push_back(z);
  p.axis = p.scale.size() > 1 ? q->quantized_dimension() : -1;
  return p;
}

Expected<std::optional<Tensor>> SubgraphImporter::constantOf(int32_t t) const {
  const fb::Tensor &tt = tensor(t);
  BufferView data = tensorData(mi.m, tt, mi.file, mi.size);
  TensorShape shape;
  if (tt.shape())
    for (int32_t d : *tt.shape())
      shape.push_back(d);
  // A tensor without data is a constant only when it has no elements (an
  // empty shape vector, say); other data-less tensors are written by ops.
  const bool empty = !shape.empty() && checkedNumElements(shape).isOk() &&
                     *checkedNumElements(shape) == 0;
  if (!data.size && !empty) return std::optional<Tensor>();
  EDGEC_ASSIGN_OR_RETURN(Tensor c, Tensor::create(irType(tt.type()), shape));
  // Sizes were checked by the verifier.
  if (c.byteSize() != data.size)
    return Error(ErrorCode::InvalidModel,
                 "subgraph " + std::to_string(index) + " " + tensorLabel(t) +
                     ": buffer size does not match the shape");
  if (c.dtype() == DataType::Bool) {
    bool *p = c.data<bool>();
    for (size_t i = 0; i < data.size; ++i)
      p[i] = data.data[i] != 0;
  } else if (data.size) {
    std::memcpy(c.raw(), data.data, data.size);
  }
  return std::optional<Tensor>(std::move(c));
}

Expected<Value *> SubgraphImporter::read(int32_t t, const std::string &where) {
  if (values[(size_t)t]) return values[(size_t)t];
  EDGEC_ASSIGN_OR_RETURN(std::optional<Tensor> c, constantOf(t));
  if (c) {
    Value *v = g.addInitializer(valueName(t), std::move(*c));
    v->quant = quantOf(t);
    values[(size_t)t] = v;
    return v;
  }
  if (tensor(t).is_variable())
    return Error(ErrorCode::Unsupported, where + ": variable (stateful) " +
                                             tensorLabel(t) +
                                             " is not supported");
  return Error(ErrorCode::InvalidModel,
               where + ": input " + tensorLabel(t) +
                   " is read before any operator writes it");
}

Status SubgraphImporter::run(const std::vector<Value *> *bind) {
  const std::string sgName = "subgraph " + std::to_string(index);
  if (sg.inputs()) {
    if (bind && bind->size() != sg.inputs()->size())
      return Error(ErrorCode::InvalidModel,
                   sgName + ": called with " + std::to_string(bind->size()) +
                       " operands but has " +
                       std::to_string(sg.inputs()->size()) + " inputs");
    for (size_t i = 0; i < sg.inputs()->size(); ++i) {
      int32_t t = sg.inputs()->Get((flatbuffers::uoffset_t)i);
      if (bind) {
        values[(size_t)t] = (*bind)[i];
      } else {
        Value *v = g.addInput(valueName(t), declaredType(t, true));
        v->quant = quantOf(t);
        values[(size_t)t] = v;
      }
    }
  } else if (bind && !bind->empty()) {
    return Error(ErrorCode::InvalidModel,
                 sgName + ": called with operands but has no inputs");
  }
  const size_t nops = sg.operators() ? sg.operators()->size() : 0;
  mi.importedOps += nops;
  if (mi.importedOps > kMaxImportedOperators)
    return Error(ErrorCode::InvalidModel,
                 "control-flow bodies expand to more than " +
                     std::to_string(kMaxImportedOperators) + " operators");
  for (size_t k = 0; k < nops; ++k) {
    const fb::Operator &op = *sg.operators()->Get((flatbuffers::uoffset_t)k);
    const fb::OperatorCode &oc = *mi.m.operator_codes()->Get(op.opcode_index());
    const int32_t code = builtinCode(oc);
    const std::string name = opCodeName(oc);
    ConvertFn fn = findConverter(oc);
    if (!fn)
      return Error(ErrorCode::Unsupported,
                   where(k, name) + ": operator is not supported");
    std::vector<int32_t> outs;
    if (op.outputs())
      for (int32_t t : *op.outputs())
        if (t >= 0) {
          Value *v = g.addValue(valueName(t), declaredType(t, false));
          v->quant = quantOf(t);
          values[(size_t)t] = v;
          outs.push_back(t);
        }
    OpBuilder b(*this, k, op, code, name);
    EDGEC_TRY(fn(b));
    for (int32_t t : outs)
      if (!values[(size_t)t]->producer())
        return Error(ErrorCode::Internal, where(k, name) +
                                              ": conversion left output " +
                                              tensorLabel(t) + " unproduced");
  }
  if (sg.outputs())
    for (int32_t t : *sg.outputs()) {
      EDGEC_ASSIGN_OR_RETURN(Value * v,
                             read(t, sgName + " output " + std::to_string(t)));
      if (results) {
        results->push_back(v);
        continue;
      }
      if (bind && (!v->producer() || v->owner() != &g)) {
        // A body returning an outer value or one of its inputs: make the
        // result a value of the body.
        Value *copy = g.addValue(g.uniqueName(v->name + "_out"), v->type);
        copy->quant = v->quant;
        Node *n = g.addNode("Identity", {v}, {copy}, copy->name);
        n->opsetVersion = kImportOpset;
        v = copy;
      }
      g.outputs.push_back(v);
    }
  return Status::ok();
}

Status ModelImporter::checkSupported() {
  // Subgraphs reachable from the main one.
  const size_t ns = m.subgraphs()->size();
  std::vector<bool> seen(ns, false);
  std::vector<size_t> todo{0};
  seen[0] = true;
  struct Missing {
    int64_t count = 0;
    std::string first;
  };
  std::map<std::string, Missing> missing;
  while (!todo.empty()) {
    size_t s = todo.back();
    todo.pop_back();
    const fb::SubGraph &sg = *m.subgraphs()->Get((flatbuffers::uoffset_t)s);
    const size_t nops = sg.operators() ? sg.operators()->size() : 0;
    for (size_t k = 0; k < nops; ++k) {
      const fb::Operator &op = *sg.operators()->Get((flatbuffers::uoffset_t)k);
      const fb::OperatorCode &oc = *m.operator_codes()->Get(op.opcode_index());
      if (!findConverter(oc)) {
        Missing &mm = missing[opCodeName(oc)];
        if (mm.count++ == 0)
          mm.first = "subgraph " + std::to_string(s) + " operator " +
                     std::to_string(k);
      }
      std::vector<int64_t> called;
      if (const auto *o = op.builtin_options_as_IfOptions())
        called = {o->then_subgraph_index(), o->else_subgraph_index()};
      else if (const auto *w = op.builtin_options_as_WhileOptions())
        called = {w->cond_subgraph_index(), w->body_subgraph_index()};
      else if (const auto *c = op.builtin_options_as_CallOnceOptions())
        called = {c->init_subgraph_index()};
      else if (const auto *c2 = op.builtin_options_as_CallOptions())
        called = {(int64_t)c2->subgraph()};
      for (int64_t c : called)
        if (c >= 0 && (size_t)c < ns && !seen[(size_t)c]) {
          seen[(size_t)c] = true;
          todo.push_back((size_t)c);
        }
    }
  }
  if (missing.empty()) return Status::ok();
  std::string msg = std::to_string(missing.size()) +
                    " unsupported TFLite operator" +
                    (missing.size() == 1 ? "" : "s") + ": ";
  bool first = true;
  for (const auto &[op, mm] : missing) {
    if (!first) msg += "; ";
    first = false;
    msg += op + " (" + std::to_string(mm.count) + " operator" +
           (mm.count == 1 ? "" : "s") + ", first " + mm.first + ")";
  }
  return Error(ErrorCode::Unsupported, msg);
}

Expected<std::shared_ptr<Graph>>
ModelImporter::importBody(int64_t index, Graph &parent,
                          const std::vector<Value *> &bind, int depth) {
  if (depth > opts.maxSubgraphDepth)
    return Error(ErrorCode::InvalidModel,
                 "subgraphs nested deeper than " +
                     std::to_string(opts.maxSubgraphDepth));
  auto g = std::make_shared<Graph>();
  g->parent = &parent;
  const fb::SubGraph &sg = *m.subgraphs()->Get((flatbuffers::uoffset_t)index);
  g->name = sg.name() && sg.name()->size() ? sg.name()->str()
                                           : "subgraph" + std::to_string(index);
  SubgraphImporter si(*this, index, *g, depth);
  EDGEC_TRY(si.run(&bind));
  EDGEC_TRY(g->sortTopologically());
  return g;
}

Status ModelImporter::run() {
  EDGEC_TRY(checkSupported());
  relaxShapes = !opts.inputShapes.empty();
  const fb::SubGraph &sg = *m.subgraphs()->Get(0);
  Graph &g = *out.graph;
  g.name = sg.name() && sg.name()->size() ? sg.name()->str() : "main";
  SubgraphImporter si(*this, 0, g, 0);
  EDGEC_TRY(si.run(nullptr));
  for (const auto &[name, shape] : opts.inputShapes) {
    bool found = false;
    for (const Value *v : g.inputs)
      found = found || v->name == name;
    if (!found)
      return Error(ErrorCode::Usage,
                   "--input-shape: the model has no input named '" + name +
                       "'");
  }
  EDGEC_TRY(g.sortTopologically());
  return Status::ok();
}

// ---------------------------------------------------------------------------
// OpBuilder

OpBuilder::OpBuilder(SubgraphImporter &si, size_t opIndex,
                     const fb::Operator &op, int32_t code, std::string opName)
    : si_(si), opIndex_(opIndex), op_(op), code_(code),
      opName_(std::move(opName)) {}

size_t OpBuilder::numInputs() const {
  return op_.inputs() ? op_.inputs()->size() : 0;
}
size_t OpBuilder::numOutputs() const {
  return op_.outputs() ? op_.outputs()->size() : 0;
}
int32_t OpBuilder::tensorIndex(size_t slot) const {
  return slot < numInputs() ? op_.inputs()->Get((flatbuffers::uoffset_t)slot)
                            : -1;
}
bool OpBuilder::hasInput(size_t i) const { return tensorIndex(i) >= 0; }
int32_t OpBuilder::outputTensorIndex(size_t i) const {
  return i < numOutputs() ? op_.outputs()->Get((flatbuffers::uoffset_t)i) : -1;
}
std::vector<uint8_t> OpBuilder::metadata(const std::string &name) const {
  const fb::Model &m = si_.mi.m;
  if (!m.metadata() || !m.buffers()) return {};
  for (const fb::Metadata *md : *m.metadata()) {
    if (!md || !md->name() || md->name()->str() != name) continue;
    if (md->buffer() >= m.buffers()->size()) return {};
    const fb::Buffer *b = m.buffers()->Get(md->buffer());
    if (!b) return {};
    if (b->data()) return std::vector<uint8_t>(b->data()->begin(), b->data()->end());
    // Large models keep buffers outside the flatbuffer: (offset, size).
    const uint64_t off = b->offset(), sz = b->size();
    if (off > 1 && sz && off <= si_.mi.size && sz <= si_.mi.size - off)
      return std::vector<uint8_t>(si_.mi.file + off, si_.mi.file + off + sz);
    return {};
  }
  return {};
}
std::string OpBuilder::customCode() const {
  const fb::OperatorCode &oc = *si_.mi.m.operator_codes()->Get(op_.opcode_index());
  return oc.custom_code() ? oc.custom_code()->str() : std::string();
}
const fb::Tensor *OpBuilder::inputTensor(size_t i) const {
  int32_t t = tensorIndex(i);
  return t < 0 ? nullptr : &si_.tensor(t);
}

Expected<Value *> OpBuilder::input(size_t i) {
  int32_t t = tensorIndex(i);
  if (t < 0) return error("input " + std::to_string(i) + " is missing");
  return si_.read(t, si_.where(opIndex_, opName_));
}

Expected<Value *> OpBuilder::optionalInput(size_t i) {
  if (!hasInput(i)) return (Value *)nullptr;
  return input(i);
}

std::optional<Tensor> OpBuilder::constInput(size_t i) {
  int32_t t = tensorIndex(i);
  if (t < 0) return std::nullopt;
  if (Value *v = si_.values[(size_t)t]) {
    if (v->constant) return *v->constant;
    return std::nullopt;
  }
  auto c = si_.constantOf(t);
  if (!c) return std::nullopt;
  return *c;
}

Expected<std::vector<int64_t>> OpBuilder::constInts(size_t i,
                                                    const std::string &what) {
  if (!hasInput(i))
    return error(what + " (input " + std::to_string(i) + ") is missing");
  std::optional<Tensor> c = constInput(i);
  if (!c)
    return unsupported(what + " (input " + std::to_string(i) +
                       ") must be a constant");
  DataType dt = c->dtype();
  if (dt != DataType::Int32 && dt != DataType::Int64 && dt != DataType::Int16 &&
      dt != DataType::Int8 && dt != DataType::UInt8)
    return error(what + " must be an integer tensor, got " +
                 std::string(dataTypeName(dt)));
  return c->toInt64Vector();
}

Value *OpBuilder::output(size_t i) {
  if (i >= numOutputs()) return nullptr;
  int32_t t = op_.outputs()->Get((flatbuffers::uoffset_t)i);
  return t < 0 ? nullptr : si_.values[(size_t)t];
}

Status OpBuilder::arity(size_t min, size_t max, int outs) {
  size_t n = numInputs();
  if (n < min || n > max)
    return error("expects " +
                 (min == max
                      ? std::to_string(min)
                      : std::to_string(min) + " to " + std::to_string(max)) +
                 " inputs, got " + std::to_string(n));
  if (outs >= 0 && numOutputs() != (size_t)outs)
    return error("expects " + std::to_string(outs) + " output" +
                 (outs == 1 ? "" : "s") + ", got " +
                 std::to_string(numOutputs()));
  if (outs < 0 && numOutputs() == 0) return error("has no outputs");
  for (size_t i = 0; i < numOutputs(); ++i)
    if (!output(i)) return unsupported("omitted output " + std::to_string(i));
  return Status::ok();
}

Graph &OpBuilder::graph() { return si_.g; }

Node *OpBuilder::emit(const std::string &opType, std::vector<Value *> ins,
                      std::vector<Value *> outs) {
  std::string name = !outs.empty() && outs[0] ? outs[0]->name : opName_;
  Node *n = si_.g.addNode(opType, std::move(ins), std::move(outs), name);
  n->opsetVersion = kImportOpset;
  return n;
}

Value *OpBuilder::temp(const std::string &suffix, TensorType t,
                       std::optional<QuantParams> q) {
  Value *o = output(0);
  std::string base = (o ? o->name : opName_) + "/" + suffix;
  Value *v = si_.g.addValue(si_.g.uniqueName(base), std::move(t));
  v->quant = std::move(q);
  return v;
}

Value *OpBuilder::constant(const std::string &suffix, Tensor t,
                           std::optional<QuantParams> q) {
  Value *o = output(0);
  std::string base = (o ? o->name : opName_) + "/" + suffix;
  Value *v = si_.g.addInitializer(si_.g.uniqueName(base), std::move(t));
  v->quant = std::move(q);
  return v;
}

Value *OpBuilder::namedConstant(int32_t tensor, Tensor t,
                                std::optional<QuantParams> q) {
  Value *v = si_.g.addInitializer(si_.valueName(tensor), std::move(t));
  v->quant = std::move(q);
  return v;
}

Value *OpBuilder::int64Constant(const std::string &suffix,
                                std::vector<int64_t> v) {
  int64_t n = (int64_t)v.size();
  return constant(suffix, Tensor::fromVector<int64_t>({n}, v));
}

Value *OpBuilder::floatConstant(const std::string &suffix, float v) {
  return constant(suffix, Tensor::scalar<float>(v));
}

Expected<Value *> OpBuilder::weights(size_t i, const std::vector<int64_t> &perm,
                                     bool dequantize) {
  // A constant is rearranged without creating the original initializer
  // (it would stay behind unused and count twice in the statistics).
  const int32_t ti = tensorIndex(i);
  if (ti < 0)
    return error("weights (input " + std::to_string(i) + ") are missing");
  Value *w = nullptr;
  Value detached;
  if (std::optional<Tensor> c =
          si_.values[(size_t)ti] ? std::nullopt : constInput(i)) {
    detached.type = TensorType(c->dtype(), c->shape());
    detached.constant = std::move(*c);
    detached.quant = si_.quantOf(ti);
    w = &detached;
  } else {
    EDGEC_ASSIGN_OR_RETURN(w, input(i));
  }
  if (w->type.hasRank && w->type.rank() != perm.size())
    return error("weights (input " + std::to_string(i) + ") must have rank " +
                 std::to_string(perm.size()) + ", got " + w->type.str());
  std::optional<QuantParams> q = w->quant;
  if (q && q->perAxis()) {
    int64_t na = -1;
    for (size_t j = 0; j < perm.size(); ++j)
      if (perm[j] == q->axis) na = (int64_t)j;
    q->axis = (int)na;
  }
  bool identity = true;
  for (size_t j = 0; j < perm.size(); ++j)
    identity = identity && perm[j] == (int64_t)j;
  const bool deq = dequantize && w->quant && w->constant &&
                   w->constant->dtype() != DataType::Float32;
  if (w->constant) {
    if (w->constant->rank() != perm.size())
      return error("weights (input " + std::to_string(i) + ") must have rank " +
                   std::to_string(perm.size()));
    if (identity && !deq) {
      if (w == &detached) return input(i);
      return w;
    }
    Tensor t = identity ? *w->constant : permuteTensor(*w->constant, perm);
    if (deq) {
      // Hybrid model: dequantize the integer weights once, at import.
      const QuantParams &p = *q;
      Tensor f(DataType::Float32, t.shape());
      float *d = f.data<float>();
      const int64_t n = t.numElements();
      int64_t inner = 1, axisLen = 1;
      if (p.perAxis()) {
        axisLen = t.dim((size_t)p.axis);
        for (size_t k = (size_t)p.axis + 1; k < t.rank(); ++k)
          inner *= t.dim(k);
      }
      for (int64_t e = 0; e < n; ++e) {
        size_t c = p.perAxis() ? (size_t)((e / inner) % axisLen) : 0;
        int64_t zp = c < p.zeroPoint.size() ? p.zeroPoint[c] : 0;
        d[e] = (float)((double)(t.getInt64(e) - zp) * (double)p.scale[c]);
      }
      return namedConstant(ti, std::move(f), std::nullopt);
    }
    return namedConstant(ti, std::move(t), q);
  }
  if (deq || (dequantize && w->quant))
    return unsupported("non-constant quantized weights in a float operator");
  if (identity) return w;
  Value *tw = temp("weights", TensorType(w->type.dtype), q);
  Node *n = emit("Transpose", {w}, {tw});
  n->attrs["perm"] = Attribute::makeInts(perm);
  return tw;
}

Status OpBuilder::fuseActivation(Node *n, fb::ActivationFunctionType act) {
  using A = fb::ActivationFunctionType;
  auto clip = [&](float lo, float hi) {
    n->attrs[kFusedActivationAttr] = Attribute::makeString("Clip");
    n->attrs[std::string(kFusedActivationAttr) + ".min"] =
        Attribute::makeFloat(lo);
    n->attrs[std::string(kFusedActivationAttr) + ".max"] =
        Attribute::makeFloat(hi);
  };
  switch (act) {
  case A::NONE: return Status::ok();
  case A::RELU:
    n->attrs[kFusedActivationAttr] = Attribute::makeString("Relu");
    return Status::ok();
  case A::RELU6: clip(0.0f, 6.0f); return Status::ok();
  case A::RELU_N1_TO_1: clip(-1.0f, 1.0f); return Status::ok();
  case A::TANH:
    n->attrs[kFusedActivationAttr] = Attribute::makeString("Tanh");
    return Status::ok();
  default: return unsupported("fused activation " + std::to_string((int)act));
  }
}

Error OpBuilder::error(const std::string &msg) const {
  return Error(ErrorCode::InvalidModel,
               si_.where(opIndex_, opName_) + ": " + msg);
}
Error OpBuilder::unsupported(const std::string &msg) const {
  return Error(ErrorCode::Unsupported,
               si_.where(opIndex_, opName_) + ": " + msg);
}
Error OpBuilder::optionsMismatch(int got, int want) const {
  auto name = [](int t) {
    const char *n = fb::EnumNameBuiltinOptions((fb::BuiltinOptions)t);
    return n && *n ? std::string(n) : "options type " + std::to_string(t);
  };
  return error("has builtin options " + name(got) + ", expected " + name(want));
}

Expected<std::shared_ptr<Graph>>
OpBuilder::body(int64_t index, const std::vector<Value *> &bindings) {
  auto r = si_.mi.importBody(index, si_.g, bindings, si_.depth + 1);
  if (!r) {
    const std::string &m = r.error().message();
    if (m.rfind("subgraph ", 0) == 0) return r.error();
    return r.error().withContext(si_.where(opIndex_, opName_) + ": ");
  }
  return r;
}

Expected<std::vector<Value *>>
OpBuilder::inlineSubgraph(int64_t index, Graph &into,
                          const std::vector<Value *> &bindings) {
  ModelImporter &mi = si_.mi;
  const int depth = si_.depth + 1;
  if (depth > mi.opts.maxSubgraphDepth)
    return Error(ErrorCode::InvalidModel,
                 si_.where(opIndex_, opName_) + ": subgraphs nested deeper than " +
                     std::to_string(mi.opts.maxSubgraphDepth));
  SubgraphImporter sub(mi, index, into, depth);
  std::vector<Value *> results;
  sub.results = &results;
  Status st = sub.run(&bindings);
  if (!st.isOk()) {
    const std::string &m = st.error().message();
    if (m.rfind("subgraph ", 0) == 0) return st.error();
    return st.error().withContext(si_.where(opIndex_, opName_) + ": ");
  }
  return results;
}

} // namespace tflite

Expected<std::unique_ptr<Model>>
importTfliteBytes(const void *data, size_t size, const ImportOptions &opts) {
  // Copy into an aligned buffer: the flatbuffer's scalars are read in place.
  std::vector<uint64_t> aligned((size + 7) / 8 + 1, 0);
  if (size) std::memcpy(aligned.data(), data, size);
  const auto *bytes = reinterpret_cast<const uint8_t *>(aligned.data());
  EDGEC_ASSIGN_OR_RETURN(const fb::Model *fm, verifyTflite(bytes, size));
  auto model = std::make_unique<Model>();
  model->opsets[""] = kImportOpset;
  model->irVersion = 8;
  model->producerName = "tflite";
  if (fm->description()) model->producerVersion = fm->description()->str();
  ModelImporter mi(*fm, bytes, size, opts, *model);
  EDGEC_TRY(mi.run());
  // Nodes outside the default domain (edgec.npu.EthosU) need their opset.
  for (const auto &n : model->graph->nodes())
    if (!n->domain.empty() && !model->opsets.count(n->domain)) model->opsets[n->domain] = 1;
  EDGEC_TRY(verifyGraph(*model->graph));
  if (opts.inferShapes) {
    ShapeInferenceOptions so;
    so.evaluator = opts.evaluator;
    EDGEC_TRY(inferShapes(*model, so));
  }
  return model;
}

Expected<std::unique_ptr<Model>> importTfliteFile(const std::string &path,
                                                  const ImportOptions &opts) {
  std::error_code ec;
  auto st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st))
    return Error(ErrorCode::Io, path + ": cannot open file");
  if (!std::filesystem::is_regular_file(st))
    return Error(ErrorCode::Io, path + ": not a regular file");
  EDGEC_ASSIGN_OR_RETURN(std::string bytes, readFileBytes(path));
  if (bytes.empty())
    return Error(ErrorCode::InvalidModel, path + ": file is empty");
  auto r = importTfliteBytes(bytes.data(), bytes.size(), opts);
  if (!r.isOk()) return r.error().withContext(path + ": ");
  std::unique_ptr<Model> m = r.take();
  m->path = path;
  return m;
}

} // namespace edgec
