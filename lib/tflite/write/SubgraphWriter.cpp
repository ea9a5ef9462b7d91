// The writer's core (SubgraphWriter.h): tensors, buffers, operator codes,
// the per-node loop and the subgraph table.
#include "tflite/write/SubgraphWriter.h"

#include "ir/Annotations.h"

#include <algorithm>
#include <cmath>

namespace edgec::tflite {

std::optional<fb::TensorType> fbType(DataType t) {
  switch (t) {
  case DataType::Float32: return fb::TensorType::FLOAT32;
  case DataType::Float16: return fb::TensorType::FLOAT16;
  case DataType::BFloat16: return fb::TensorType::BFLOAT16;
  case DataType::Float64: return fb::TensorType::FLOAT64;
  case DataType::Int8: return fb::TensorType::INT8;
  case DataType::UInt8: return fb::TensorType::UINT8;
  case DataType::Int16: return fb::TensorType::INT16;
  case DataType::UInt16: return fb::TensorType::UINT16;
  case DataType::Int32: return fb::TensorType::INT32;
  case DataType::UInt32: return fb::TensorType::UINT32;
  case DataType::Int64: return fb::TensorType::INT64;
  case DataType::UInt64: return fb::TensorType::UINT64;
  case DataType::Bool: return fb::TensorType::BOOL;
  default: return std::nullopt;
  }
}

bool isQuantType(DataType t) {
  return t == DataType::Int8 || t == DataType::UInt8 || t == DataType::Int16 ||
         t == DataType::Int32;
}

/// Operator versions as the TFLite converter assigns them for the element
/// type (float: 1; 8-bit quantized: 2, convolutions 3, fully connected 4;
/// 16-bit activations higher).
int opVersion(BO code, DataType t) {
  const bool q8 = t == DataType::Int8 || t == DataType::UInt8;
  const bool q16 = t == DataType::Int16;
  if (!q8 && !q16) return 1;
  switch (code) {
  case BO::CONV_2D:
  case BO::DEPTHWISE_CONV_2D: return q16 ? 4 : 3;
  case BO::FULLY_CONNECTED: return q16 ? 7 : 4;
  case BO::RESHAPE:
  case BO::SQUEEZE:
  case BO::EXPAND_DIMS:
  case BO::SHAPE:
  case BO::HARD_SWISH:
  case BO::QUANTIZE: return 1;
  case BO::DEQUANTIZE: return q16 ? 4 : 2;
  default: return q16 ? 3 : 2;
  }
}

QuantParams accumulatorParams(const QuantParams &input,
                              const QuantParams &weights) {
  QuantParams p;
  for (float s : weights.scale)
    p.scale.push_back((float)((double)input.scale[0] * (double)s));
  p.zeroPoint.assign(p.scale.size(), 0);
  p.axis = weights.perAxis() ? 0 : -1;
  return p;
}

// ---------------------------------------------------------------------------
// ModelWriter

ModelWriter::ModelWriter(const TfliteProfile &profile, bool keepData)
    : profile(profile), keepData(keepData) {
  buffers.push_back(fb::CreateBuffer(fbb));
}

uint32_t ModelWriter::opcode(BO code, int version) {
  const std::pair<int32_t, int> key{(int32_t)code, version};
  for (size_t i = 0; i < opcodes.size(); ++i)
    if (opcodes[i] == key) return (uint32_t)i;
  opcodes.push_back(key);
  return (uint32_t)(opcodes.size() - 1);
}

uint32_t ModelWriter::customOpcode(const std::string &name, int version) {
  for (const auto &[i, n] : customNames)
    if (n == name && opcodes[i].second == version) return i;
  opcodes.push_back({(int32_t)BO::CUSTOM, version});
  const uint32_t i = (uint32_t)(opcodes.size() - 1);
  customNames[i] = name;
  return i;
}

uint32_t ModelWriter::buffer(const uint8_t *data, size_t size) {
  if (!keepData) {
    buffers.push_back(Offset<fb::Buffer>());
    return (uint32_t)(buffers.size() - 1);
  }
  fbb.ForceVectorAlignment(size, 1, 16);
  auto v = fbb.CreateVector(data, size);
  buffers.push_back(fb::CreateBuffer(fbb, v));
  return (uint32_t)(buffers.size() - 1);
}

// ---------------------------------------------------------------------------
// Values read through

const Value *SubgraphWriter::aliasedInput(const Node &n) const {
  if (!n.domain.empty() || n.outputs.empty()) return nullptr;
  if (n.opType == "Identity" || n.opType == "Dropout") {
  } else if (n.opType.rfind("Reduce", 0) == 0 && table().count(n.opType)) {
    auto axes = reduceAxes(n);
    if (!n.input(0) || !shapeOf(n.input(0)) || !axes || !axes->empty() ||
        !n.attrInt("noop_with_empty_axes", 0))
      return nullptr;
  } else {
    return nullptr;
  }
  const Value *x = n.input(0);
  const Value *y = n.outputs[0];
  if (!x || !y) return nullptr;
  const bool requant = y->quant && x->quant && !(*y->quant == *x->quant);
  if (requant || g.isGraphOutput(y) || x->isGraphInput()) return nullptr;
  return x;
}

const Value *SubgraphWriter::resolve(const Value *v) const {
  while (v) {
    const Node *p = v->producer();
    const Value *x = p && p->owner() == &g ? aliasedInput(*p) : nullptr;
    if (!x) break;
    v = x;
  }
  return v;
}

bool SubgraphWriter::sqrtFoldsIntoRsqrt(const Node &n) const {
  if (n.opType != "Sqrt" || !n.domain.empty() || n.outputs.empty() || !n.outputs[0])
    return false;
  const Value *y = n.outputs[0];
  std::vector<Node *> users = g.usersOf(y);
  return users.size() == 1 && users[0]->opType == "Reciprocal" && users[0]->domain.empty() &&
         !g.isGraphOutput(y) && !isQuantizedNode(n) && !hasFusedActivation(n);
}

Expected<std::vector<int64_t>> SubgraphWriter::reduceAxes(const Node &n) const {
  if (n.input(1)) return constIntsInput(n, 1, "axes");
  return n.attrInts("axes", {});
}

// ---------------------------------------------------------------------------
// Tensors

Expected<TensorShape> SubgraphWriter::shapeOf(const Value *v) const {
  if (!v->type.hasRank) return unsupported("value '" + v->name + "' has unknown rank");
  TensorShape s;
  for (const Dim &d : v->type.dims) {
    if (!d.isStatic())
      return unsupported("value '" + v->name + "' has a non-static shape " +
                         v->type.str() + " (fix it with --input-shape)");
    s.push_back(d.value);
  }
  return s;
}

int32_t SubgraphWriter::addTensor(TensorDef d) {
  tensors.push_back(std::move(d));
  return (int32_t)(tensors.size() - 1);
}

Expected<int32_t> SubgraphWriter::constTensor(const std::string &name, const Tensor &t,
                                              std::optional<QuantParams> q) {
  auto ft = fbType(t.dtype());
  if (!ft)
    return unsupported("constant '" + name + "' has element type " +
                       std::string(dataTypeName(t.dtype())) +
                       ", which TFLite cannot store");
  TensorDef d;
  d.name = name;
  for (int64_t x : t.shape()) d.shape.push_back((int32_t)x);
  d.type = *ft;
  d.quant = std::move(q);
  if (t.dtype() == DataType::Bool) {
    std::vector<uint8_t> b((size_t)t.numElements());
    for (int64_t i = 0; i < t.numElements(); ++i) b[(size_t)i] = t.data<bool>()[i] ? 1 : 0;
    d.buffer = w.buffer(b.data(), b.size());
  } else if (t.byteSize()) {
    d.buffer = w.buffer(static_cast<const uint8_t *>(t.raw()), t.byteSize());
  } else {
    d.buffer = w.buffer(nullptr, 0);
  }
  return addTensor(std::move(d));
}

int32_t SubgraphWriter::int32Const(const std::string &name, const std::vector<int64_t> &v,
                                   bool scalar) {
  std::vector<int32_t> x;
  for (int64_t e : v)
    x.push_back((int32_t)std::clamp<int64_t>(e, INT32_MIN, INT32_MAX));
  Tensor t = scalar ? Tensor::scalar<int32_t>(x.at(0))
                    : Tensor::fromVector<int32_t>({(int64_t)x.size()}, x);
  return *constTensor(name, t, std::nullopt);
}

Expected<int32_t> SubgraphWriter::tensorOf(const Value *v0) {
  const Value *v = resolve(v0);
  auto it = tensorIds.find(v);
  if (it != tensorIds.end()) return it->second;
  int32_t id;
  if (v->constant) {
    EDGEC_ASSIGN_OR_RETURN(id, constTensor(v->name, *v->constant, v->quant));
  } else {
    auto ft = fbType(v->type.dtype);
    if (!ft)
      return unsupported("value '" + v->name + "' has element type " +
                         std::string(dataTypeName(v->type.dtype)));
    TensorDef d;
    d.name = v->name;
    d.type = *ft;
    d.quant = v->quant;
    if (!v->type.hasRank)
      return unsupported("value '" + v->name + "' has unknown rank");
    bool dynamic = false;
    for (const Dim &dim : v->type.dims) {
      d.shape.push_back(dim.isStatic() ? (int32_t)dim.value : 1);
      d.signature.push_back(dim.isStatic() ? (int32_t)dim.value : -1);
      dynamic = dynamic || !dim.isStatic();
    }
    if (v->isGraphInput()) {
      auto it = metadata ? metadata->find("edgec.tflite.dynamic." + v->name) : decltype(metadata->end()){};
      if (metadata && it != metadata->end()) {
        size_t pos = 0;
        const std::string &list = it->second;
        while (pos < list.size()) {
          size_t c = list.find(',', pos);
          const size_t k = (size_t)std::stoul(list.substr(pos, c - pos));
          if (k < d.signature.size()) d.signature[k] = -1;
          dynamic = true;
          pos = c + 1;
        }
      }
    }
    if (!dynamic) d.signature.clear();
    if (dynamic && !v->isGraphInput()) {
      EDGEC_TRY(shapeOf(v).status());
    }
    id = addTensor(std::move(d));
  }
  tensorIds[v] = id;
  return id;
}

int32_t SubgraphWriter::temp(const std::string &base, DataType dt, const TensorShape &shape,
                             std::optional<QuantParams> q) {
  TensorDef d;
  d.name = base;
  d.type = fbType(dt).value_or(fb::TensorType::FLOAT32);
  for (int64_t x : shape) d.shape.push_back((int32_t)x);
  d.quant = std::move(q);
  return addTensor(std::move(d));
}

Expected<int32_t> SubgraphWriter::weights(const Node &n, size_t slot,
                                          const std::vector<int64_t> &perm) {
  const Value *v = n.input(slot) ? resolve(n.input(slot)) : nullptr;
  if (!v || !v->constant)
    return unsupported("weights (input " + std::to_string(slot) +
                       ") must be a constant");
  if (v->constant->rank() != perm.size())
    return unsupported("weights (input " + std::to_string(slot) +
                       ") must have rank " + std::to_string(perm.size()));
  std::optional<QuantParams> q = v->quant;
  if (q && q->perAxis()) {
    for (size_t j = 0; j < perm.size(); ++j)
      if (perm[j] == q->axis) {
        q->axis = (int)j;
        break;
      }
  }
  return constTensor(v->name, permuteTensor(*v->constant, perm), q);
}

Expected<int32_t> SubgraphWriter::zeroBias(const Node &n, DataType input, int64_t units,
                                           const std::optional<QuantParams> &q) {
  Tensor z(q ? (input == DataType::Int16 ? DataType::Int64 : DataType::Int32) : input, {units});
  return constTensor(n.name + "/bias", z, q);
}

TensorShape SubgraphWriter::shapeOfTensor(int32_t t) const {
  TensorShape s;
  for (int32_t x : def(t).shape) s.push_back(x);
  return s;
}

// ---------------------------------------------------------------------------
// Operators

Status SubgraphWriter::op(BO code, std::vector<int32_t> ins, std::vector<int32_t> outs,
                          DataType t, BOpt optType, Offset<void> options) {
  const int version = opVersion(code, t);
  if (refusal.empty()) {
    const std::string name = fb::EnumNameBuiltinOperator(code);
    refusal = checkTfliteOperator(w.profile, name, version);
    for (const std::vector<int32_t> *list : {&ins, &outs})
      for (int32_t x : *list) {
        if (x < 0 || !refusal.empty()) continue;
        const TensorDef &d = def(x);
        refusal = checkTfliteTensor(w.profile, name, d.name, irType(d.type), d.shape.size(),
                                    d.buffer != 0);
      }
  }
  OpDef d;
  d.opcode = w.opcode(code, version);
  d.inputs = std::move(ins);
  d.outputs = std::move(outs);
  d.optType = optType;
  d.options = options;
  ops.push_back(std::move(d));
  if (principal < 0 && preparing == 0) principal = (int)ops.size() - 1;
  return Status::ok();
}

int32_t SubgraphWriter::requantized(int32_t in, const std::optional<QuantParams> &q) {
  const TensorDef &d = def(in);
  if (!q || !d.quant || *d.quant == *q) return in;
  Preparation prep(*this);
  int32_t t = temp(d.name + "/requantized", dtypeOfTensor(in), shapeOfTensor(in), q);
  (void)op(BO::QUANTIZE, {in}, {t}, dtypeOfTensor(in), BOpt::QuantizeOptions,
           fb::CreateQuantizeOptions(w.fbb).Union());
  return t;
}

SubgraphWriter::OutPlan SubgraphWriter::sameParamsOut(int32_t out,
                                                      const std::optional<QuantParams> &inQuant) {
  // An integer output without parameters (e.g. a Transpose a pass added)
  // has its input's.
  if (inQuant && !def(out).quant && isQuantType(dtypeOfTensor(out)))
    tensors[(size_t)out].quant = inQuant;
  const TensorDef &d = def(out);
  if (!inQuant || !d.quant || *d.quant == *inQuant) return {out, out};
  int32_t t = temp(d.name + "/in_params", dtypeOfTensor(out), shapeOfTensor(out), inQuant);
  return {t, out};
}

void SubgraphWriter::finishOut(const OutPlan &p) {
  if (p.write == p.final) return;
  (void)op(BO::QUANTIZE, {p.write}, {p.final}, dtypeOfTensor(p.final),
           BOpt::QuantizeOptions, fb::CreateQuantizeOptions(w.fbb).Union());
}

Expected<int32_t> SubgraphWriter::scalarLike(const std::string &name, float value, DataType dt,
                                             const std::optional<QuantParams> &q,
                                             const TensorShape &shape) {
  int64_t count = 1;
  for (int64_t d : shape) count *= d;
  if (!q || !isQuantType(dt)) {
    Tensor t(DataType::Float32, shape);
    for (int64_t i = 0; i < count; ++i) t.data<float>()[i] = value;
    return constTensor(name, t, std::nullopt);
  }
  const double s = q->scale.at(0);
  const int64_t zp = q->zeroPoint.empty() ? 0 : q->zeroPoint[0];
  int64_t lo = dt == DataType::Int8 ? -128 : dt == DataType::UInt8 ? 0 : -32768;
  int64_t hi = dt == DataType::Int8 ? 127 : dt == DataType::UInt8 ? 255 : 32767;
  int64_t v = std::clamp<int64_t>((int64_t)std::llround(value / s) + zp, lo, hi);
  Tensor t(dt, shape);
  for (int64_t i = 0; i < count; ++i) t.setInt64(i, v);
  QuantParams pq;
  pq.scale = {q->scale[0]};
  pq.zeroPoint = {zp};
  return constTensor(name, t, pq);
}

Status SubgraphWriter::zeroPad(int32_t in, const std::vector<int64_t> &pairs, int32_t outT,
                               const std::string &base) {
  const DataType dt = dtypeOfTensor(in);
  const std::optional<QuantParams> q = def(in).quant; // a copy: tensors grows
  const int64_t zp = q && !q->zeroPoint.empty() ? q->zeroPoint[0] : 0;
  const size_t r = pairs.size() / 2;
  if (!(w.profile.quantizedPadAsConcat && isQuantType(dt) && zp != 0)) {
    int32_t pt = int32Const(base + "/paddings", pairs);
    tensors[(size_t)pt].shape = {(int32_t)r, 2};
    return op(BO::PAD, {in, pt}, {outT}, dt, BOpt::PadOptions,
              fb::CreatePadOptions(w.fbb).Union());
  }
  size_t last = r;
  for (size_t i = 0; i < r; ++i)
    if (pairs[2 * i] || pairs[2 * i + 1]) last = i;
  if (last == r) // nothing to pad: a copy
    return op(BO::RESHAPE, {in, int32Const(base + "/shape", shapeOfTensor(outT))}, {outT}, dt,
              BOpt::ReshapeOptions, fb::CreateReshapeOptions(w.fbb).Union());
  // The CONCATENATIONs: per padded dimension [before, x, after], or with
  // padConcatTwoInputs per padded side [before, x] then [x', after].
  struct Part {
    size_t axis;
    int64_t before, after;
  };
  std::vector<Part> parts;
  for (size_t i = 0; i <= last; ++i) {
    const int64_t before = pairs[2 * i], after = pairs[2 * i + 1];
    if (!before && !after) continue;
    if (w.profile.padConcatTwoInputs && before && after) {
      parts.push_back({i, before, 0});
      parts.push_back({i, 0, after});
    } else {
      parts.push_back({i, before, after});
    }
  }
  int32_t cur = in;
  for (size_t k = 0; k < parts.size(); ++k) {
    const size_t i = parts[k].axis;
    const int64_t before = parts[k].before, after = parts[k].after;
    TensorShape s = shapeOfTensor(cur);
    std::vector<int32_t> ins;
    auto block = [&](int64_t len) -> Expected<int32_t> {
      TensorShape bs = s;
      bs[i] = len;
      Tensor t(dt, bs);
      for (int64_t e = 0; e < t.numElements(); ++e) t.setInt64(e, zp);
      return constTensor(base + "/pad" + std::to_string(i) + "_" + std::to_string(len), t, q);
    };
    std::optional<int32_t> same;
    if (before) {
      EDGEC_ASSIGN_OR_RETURN(int32_t b, block(before));
      ins.push_back(b);
      if (after == before) same = b;
    }
    ins.push_back(cur);
    if (after) {
      if (same) {
        ins.push_back(*same);
      } else {
        EDGEC_ASSIGN_OR_RETURN(int32_t a, block(after));
        ins.push_back(a);
      }
    }
    s[i] += before + after;
    const int32_t next = k + 1 == parts.size()
                             ? outT
                             : temp(base + "/padded" + std::to_string(k), dt, s, q);
    EDGEC_TRY(op(BO::CONCATENATION, ins, {next}, dt, BOpt::ConcatenationOptions,
                 fb::CreateConcatenationOptions(w.fbb, (int32_t)i, Act::NONE).Union()));
    cur = next;
  }
  return Status::ok();
}

// ---------------------------------------------------------------------------
// Node inputs and outputs

Expected<std::vector<int64_t>> SubgraphWriter::constIntsInput(const Node &n, size_t slot,
                                                              const char *what) const {
  const Value *v = n.input(slot) ? resolve(n.input(slot)) : nullptr;
  if (!v) return unsupported(std::string(what) + " is missing");
  if (!v->constant)
    return unsupported(std::string(what) + " must be a constant");
  return v->constant->toInt64Vector();
}

Expected<int32_t> SubgraphWriter::in(const Node &n, size_t i) {
  if (!n.input(i)) return unsupported("input " + std::to_string(i) + " is missing");
  return tensorOf(n.input(i));
}

Expected<int32_t> SubgraphWriter::out(const Node &n, size_t i) {
  if (i >= n.outputs.size() || !n.outputs[i])
    return unsupported("output " + std::to_string(i) + " is missing");
  EDGEC_TRY(shapeOf(n.outputs[i]).status());
  return tensorOf(n.outputs[i]);
}

// ---------------------------------------------------------------------------
// The graph

void collectCaptures(const Graph &body, const Graph &g,
                     std::vector<const Value *> &out) {
  for (const auto &n : g.nodes()) {
    for (const Value *v : n->inputs) {
      if (!v || v->constant) continue;
      bool inside = false;
      for (const Graph *o = v->owner(); o; o = o->parent)
        if (o == &body) inside = true;
      if (!inside && std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
    }
    for (const Graph *sg : n->subgraphs()) collectCaptures(body, *sg, out);
  }
  for (const Value *v : g.outputs) {
    if (&g != &body || !v || v->constant) continue;
    bool inside = false;
    for (const Graph *o = v->owner(); o; o = o->parent)
      if (o == &body) inside = true;
    if (!inside && std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  }
}

Expected<int32_t> SubgraphWriter::body(const Graph &b, const std::vector<const Value *> &caps) {
  const size_t index = w.subgraphs.size();
  w.subgraphs.push_back(Offset<fb::SubGraph>());
  SubgraphWriter sw(w, b, caps);
  EDGEC_TRY(sw.run());
  if (!sw.problems.empty()) {
    std::string msg = "its subgraph '" + b.name + "' cannot be written: ";
    for (size_t i = 0; i < sw.problems.size(); ++i) msg += (i ? "; " : "") + sw.problems[i];
    return unsupported(msg);
  }
  w.subgraphs[index] = sw.finish();
  return (int32_t)index;
}

Status SubgraphWriter::run() {
  std::vector<int32_t> inputs, outputs;
  for (const Value *v : captures) {
    auto t = tensorOf(v);
    if (!t) {
      problems.push_back("captured value '" + v->name + "': " + t.error().message());
      continue;
    }
    inputs.push_back(*t);
  }
  for (const Value *v : g.inputs) {
    if (v->constant) continue;
    auto t = tensorOf(v);
    if (!t) {
      problems.push_back("graph input '" + v->name + "': " + t.error().message());
      continue;
    }
    inputs.push_back(*t);
  }
  for (const auto &np : g.nodes()) {
    const Node &n = *np;
    NodeResult r;
    r.node = &n;
    r.firstOp = ops.size();
    preparing = 0;
    principal = -1;
    refusal.clear();
    Status s = Status::ok();
    const Attribute *a = n.attr("value");
    if (n.opType == "Constant" && n.domain.empty() && n.outputs.size() == 1 && a &&
        a->kind == Attribute::Kind::Tensor) {
      auto t = constTensor(n.outputs[0]->name, a->t, n.outputs[0]->quant);
      if (t) tensorIds[n.outputs[0]] = *t;
      else s = t.status();
    } else {
      s = convertNode(n);
    }
    r.endOp = ops.size();
    r.principal = principal;
    r.reason = !refusal.empty() ? refusal : s.isOk() ? "" : s.error().message();
    if (!r.reason.empty()) problems.push_back(n.label() + ": " + r.reason);
    nodes.push_back(std::move(r));
  }
  for (const Value *v : g.outputs) {
    auto t = tensorOf(v);
    if (!t) {
      problems.push_back("graph output '" + v->name + "': " + t.error().message());
      continue;
    }
    outputs.push_back(*t);
  }
  subgraphInputs = inputs;
  subgraphOutputs = outputs;
  return Status::ok();
}

Offset<fb::SubGraph> SubgraphWriter::finish() {
  auto &fbb = w.fbb;
  std::vector<Offset<fb::Tensor>> ts;
  for (const TensorDef &d : tensors) {
    Offset<fb::QuantizationParameters> q;
    if (d.quant && !d.quant->scale.empty()) {
      std::vector<int64_t> zp = d.quant->zeroPoint;
      if (zp.size() < d.quant->scale.size()) zp.resize(d.quant->scale.size(), 0);
      q = fb::CreateQuantizationParametersDirect(
          fbb, nullptr, nullptr, &d.quant->scale, &zp, fb::QuantizationDetails::NONE, 0,
          d.quant->perAxis() ? d.quant->axis : 0);
    }
    ts.push_back(fb::CreateTensorDirect(fbb, &d.shape, d.type, d.buffer, d.name.c_str(), q, false,
                                        0, d.signature.empty() ? nullptr : &d.signature));
  }
  std::vector<Offset<fb::Operator>> os;
  for (const OpDef &o : ops)
    os.push_back(fb::CreateOperatorDirect(fbb, o.opcode, &o.inputs, &o.outputs, o.optType,
                                          o.options,
                                          o.customOptions.empty() ? nullptr : &o.customOptions));
  return fb::CreateSubGraphDirect(fbb, &ts, &subgraphInputs, &subgraphOutputs, &os,
                                  g.name.empty() ? "main" : g.name.c_str());
}

} // namespace edgec::tflite
