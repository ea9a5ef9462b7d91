// The TFLite writer (TfliteExporter.h; docs/tflite.md, "Writing"): IR nodes
// to TFLite builtin operators, values to tensors, constants to buffers.
#include "tflite/TfliteExporter.h"

#include "ir/Annotations.h"
#include "passes/InferShapes.h"
#include "passes/PassManager.h"
#include "support/FileIO.h"
#include "tflite/TfliteOps.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <map>

namespace edgec {
namespace tflite {
namespace {

using BO = fb::BuiltinOperator;
using BOpt = fb::BuiltinOptions;
using Act = fb::ActivationFunctionType;
using flatbuffers::Offset;

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


struct TensorDef {
  std::string name;
  std::vector<int32_t> shape;
  std::vector<int32_t> signature; ///< empty when fully static
  fb::TensorType type = fb::TensorType::FLOAT32;
  uint32_t buffer = 0;
  std::optional<QuantParams> quant;
};

struct OpDef {
  uint32_t opcode = 0;
  std::vector<int32_t> inputs, outputs;
  BOpt optType = BOpt::NONE;
  Offset<void> options;
};

/// Model-wide state: the builder, buffers and operator codes.
class ModelWriter {
public:
  flatbuffers::FlatBufferBuilder fbb{1 << 16};
  std::vector<Offset<fb::Buffer>> buffers;
  std::vector<std::pair<int32_t, int>> opcodes;
  /// Subgraph tables by index (0: the main graph, then control-flow bodies
  /// in the order they are met).
  std::vector<Offset<fb::SubGraph>> subgraphs{Offset<fb::SubGraph>()};

  /// TfliteExportOptions::quantizedPadAsConcat.
  bool quantizedPadAsConcat = true;

  ModelWriter() { buffers.push_back(fb::CreateBuffer(fbb)); }

  uint32_t opcode(BO code, int version) {
    const std::pair<int32_t, int> key{(int32_t)code, version};
    for (size_t i = 0; i < opcodes.size(); ++i)
      if (opcodes[i] == key) return (uint32_t)i;
    opcodes.push_back(key);
    return (uint32_t)(opcodes.size() - 1);
  }

  uint32_t buffer(const uint8_t *data, size_t size) {
    fbb.ForceVectorAlignment(size, 1, 16);
    auto v = fbb.CreateVector(data, size);
    buffers.push_back(fb::CreateBuffer(fbb, v));
    return (uint32_t)(buffers.size() - 1);
  }
};

int64_t attrInt(const Node &n, const char *name, int64_t dflt) {
  const Attribute *a = n.attr(name);
  return a ? a->i : dflt;
}
float attrFloat(const Node &n, const std::string &name, float dflt) {
  const Attribute *a = n.attr(name);
  return a ? a->f : dflt;
}
std::string attrStr(const Node &n, const char *name, const std::string &dflt) {
  const Attribute *a = n.attr(name);
  return a ? a->s : dflt;
}
std::vector<int64_t> attrInts(const Node &n, const char *name,
                              std::vector<int64_t> dflt) {
  const Attribute *a = n.attr(name);
  return a ? a->ints : dflt;
}

/// A failure to write one node (collected; reported together).
struct NodeError {
  std::string msg;
};

class SubgraphWriter {
public:
  SubgraphWriter(ModelWriter &w, const Graph &g,
                 std::vector<const Value *> captures = {})
      : w(w), g(g), captures(std::move(captures)) {}

  Status run();
  Offset<fb::SubGraph> finish();

  std::vector<std::string> problems;
  std::vector<int32_t> subgraphInputs, subgraphOutputs;

private:
  using Fn = std::function<Status(SubgraphWriter &, const Node &)>;
  static const std::map<std::string, Fn> &table();

  // --- errors ---
  Error unsupported(const std::string &msg) const {
    return Error(ErrorCode::Unsupported, msg);
  }

  // --- tensors ---
  Expected<TensorShape> shapeOf(const Value *v) const {
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

  const Value *resolve(const Value *v) const {
    for (auto it = alias.find(v); it != alias.end(); it = alias.find(v))
      v = it->second;
    return v;
  }

  int32_t addTensor(TensorDef d) {
    tensors.push_back(std::move(d));
    return (int32_t)(tensors.size() - 1);
  }

  Expected<int32_t> constTensor(const std::string &name, const Tensor &t,
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

  int32_t int32Const(const std::string &name, const std::vector<int64_t> &v,
                     bool scalar = false) {
    std::vector<int32_t> x;
    for (int64_t e : v)
      x.push_back((int32_t)std::clamp<int64_t>(e, INT32_MIN, INT32_MAX));
    Tensor t = scalar ? Tensor::scalar<int32_t>(x.at(0))
                      : Tensor::fromVector<int32_t>({(int64_t)x.size()}, x);
    return *constTensor(name, t, std::nullopt);
  }

  /// The tensor of an IR value (created on first use; constants keep their
  /// data as is).
  Expected<int32_t> tensorOf(const Value *v0) {
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

  /// A fresh intermediate tensor.
  int32_t temp(const std::string &base, DataType dt, const TensorShape &shape,
               std::optional<QuantParams> q) {
    TensorDef d;
    d.name = base;
    d.type = fbType(dt).value_or(fb::TensorType::FLOAT32);
    for (int64_t x : shape) d.shape.push_back((int32_t)x);
    d.quant = std::move(q);
    return addTensor(std::move(d));
  }

  /// Constant weights of input `slot`, permuted (quantization axis remapped).
  Expected<int32_t> weights(const Node &n, size_t slot,
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

  Status op(BO code, std::vector<int32_t> ins, std::vector<int32_t> outs,
            DataType t, BOpt optType = BOpt::NONE,
            Offset<void> options = Offset<void>()) {
    OpDef d;
    d.opcode = w.opcode(code, opVersion(code, t));
    d.inputs = std::move(ins);
    d.outputs = std::move(outs);
    d.optType = optType;
    d.options = options;
    ops.push_back(std::move(d));
    return Status::ok();
  }

  const TensorDef &def(int32_t t) const { return tensors[(size_t)t]; }
  DataType dtypeOfTensor(int32_t t) const { return irType(def(t).type); }
  TensorShape shapeOfTensor(int32_t t) const {
    TensorShape s;
    for (int32_t x : def(t).shape) s.push_back(x);
    return s;
  }

  /// Requantizes tensor `in` to parameters `q` when its own differ (a
  /// QUANTIZE operator); returns the tensor to read.
  int32_t requantized(int32_t in, const std::optional<QuantParams> &q) {
    const TensorDef &d = def(in);
    if (!q || !d.quant || *d.quant == *q) return in;
    int32_t t = temp(d.name + "/requantized", dtypeOfTensor(in), shapeOfTensor(in), q);
    (void)op(BO::QUANTIZE, {in}, {t}, dtypeOfTensor(in), BOpt::QuantizeOptions,
             fb::CreateQuantizeOptions(w.fbb).Union());
    return t;
  }

  /// For data-movement ops on quantized tensors (TFLite keeps the input's
  /// parameters): the tensor the operator writes, with `inQuant`; a
  /// QUANTIZE to `out` follows when out's parameters differ.
  struct OutPlan {
    int32_t write;
    int32_t final;
  };
  OutPlan sameParamsOut(int32_t out, const std::optional<QuantParams> &inQuant) {
    // An integer output without parameters (e.g. a Transpose a pass added)
    // has its input's.
    if (inQuant && !def(out).quant && isQuantType(dtypeOfTensor(out)))
      tensors[(size_t)out].quant = inQuant;
    const TensorDef &d = def(out);
    if (!inQuant || !d.quant || *d.quant == *inQuant) return {out, out};
    int32_t t = temp(d.name + "/in_params", dtypeOfTensor(out), shapeOfTensor(out), inQuant);
    return {t, out};
  }
  void finishOut(const OutPlan &p) {
    if (p.write == p.final) return;
    (void)op(BO::QUANTIZE, {p.write}, {p.final}, dtypeOfTensor(p.final),
             BOpt::QuantizeOptions, fb::CreateQuantizeOptions(w.fbb).Union());
  }

  /// A quantized scalar constant holding `value` in parameters q (or a
  /// float scalar when q is empty).
  Expected<int32_t> scalarLike(const std::string &name, float value, DataType dt,
                               const std::optional<QuantParams> &q,
                               const TensorShape &shape = {}) {
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

  /// Pads tensor `in` with (real) zeros into tensor `outT`; `pairs` holds
  /// [before, after] per dimension. A PAD operator, except for quantized
  /// tensors with a non-zero zero point when o.quantizedPadAsConcat is set:
  /// then one CONCATENATION per padded dimension with constant blocks of the
  /// zero point (the same values: TFLite pads with the zero point, but Arm NN
  /// 20.08's PAD pads with the raw value 0; docs/tflite.md).
  Status zeroPad(int32_t in, const std::vector<int64_t> &pairs, int32_t outT,
                 const std::string &base) {
    const DataType dt = dtypeOfTensor(in);
    const std::optional<QuantParams> q = def(in).quant; // a copy: tensors grows
    const int64_t zp = q && !q->zeroPoint.empty() ? q->zeroPoint[0] : 0;
    const size_t r = pairs.size() / 2;
    if (!(w.quantizedPadAsConcat && isQuantType(dt) && zp != 0)) {
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
    int32_t cur = in;
    for (size_t i = 0; i <= last; ++i) {
      const int64_t before = pairs[2 * i], after = pairs[2 * i + 1];
      if (!before && !after) continue;
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
      const int32_t next = i == last ? outT : temp(base + "/padded" + std::to_string(i), dt, s, q);
      EDGEC_TRY(op(BO::CONCATENATION, ins, {next}, dt, BOpt::ConcatenationOptions,
                   fb::CreateConcatenationOptions(w.fbb, (int32_t)i, Act::NONE).Union()));
      cur = next;
    }
    return Status::ok();
  }

  // --- activations ---
  struct ActSpec {
    std::string kind; ///< "" none, Relu, Clip, LeakyRelu, ...
    float alpha = 0.01f, beta = 0.5f;
    float lo = -std::numeric_limits<float>::infinity();
    float hi = std::numeric_limits<float>::infinity();
  };
  static ActSpec fusedSpec(const Node &n) {
    ActSpec a;
    const Attribute *k = n.attr(kFusedActivationAttr);
    if (!k) return a;
    const std::string p = std::string(kFusedActivationAttr) + ".";
    a.kind = k->s;
    if (a.kind == "HardSigmoid") a.alpha = 0.2f;
    a.alpha = attrFloat(n, p + "alpha", a.alpha);
    a.beta = attrFloat(n, p + "beta", a.beta);
    a.lo = attrFloat(n, p + "min", a.lo);
    a.hi = attrFloat(n, p + "max", a.hi);
    return a;
  }
  /// The fused_activation_function that computes `a` exactly (nullopt:
  /// it needs an operator of its own).
  static std::optional<Act> fusable(const ActSpec &a, bool quantized) {
    if (a.kind.empty()) return Act::NONE;
    if (a.kind == "Relu") return Act::RELU;
    if (a.kind == "Tanh" && !quantized) return Act::TANH;
    if (a.kind == "Clip") {
      if (a.lo == 0.0f && a.hi == 6.0f) return Act::RELU6;
      if (a.lo == -1.0f && a.hi == 1.0f) return Act::RELU_N1_TO_1;
      if (a.lo == 0.0f && std::isinf(a.hi)) return Act::RELU;
      if (std::isinf(a.lo) && std::isinf(a.hi)) return Act::NONE;
    }
    return std::nullopt;
  }

  /// Writes activation `a` from tensor `in` to `out` as operators.
  Status activation(const ActSpec &a, int32_t in, int32_t out, const std::string &base);

  /// Fused activation handling for an operator writing node output 0:
  /// returns (fused code, tensor the operator writes); call finishAct after.
  struct ActPlan {
    Act fused = Act::NONE;
    int32_t write = -1;
    int32_t final = -1;
    ActSpec spec;
  };
  Expected<ActPlan> planAct(const Node &n, int32_t out) {
    ActPlan p;
    p.spec = fusedSpec(n);
    p.final = out;
    p.write = out;
    const bool q = isQuantizedNode(n);
    if (auto f = fusable(p.spec, q)) {
      p.fused = *f;
      return p;
    }
    if (q)
      return unsupported("fused " + p.spec.kind +
                         " on a quantized node has no TFLite form (no "
                         "quantization for the value before it)");
    p.write = temp(def(out).name + "/preact", dtypeOfTensor(out), shapeOfTensor(out), std::nullopt);
    return p;
  }
  Status finishAct(const ActPlan &p) {
    if (p.write == p.final) return Status::ok();
    return activation(p.spec, p.write, p.final, def(p.final).name);
  }

  // --- converters ---
  Status convertNode(const Node &n);
  Status conv(const Node &n);
  Status convTranspose(const Node &n);
  Status pool(const Node &n);
  Status globalPool(const Node &n);
  Status gemm(const Node &n);
  Status matmul(const Node &n);
  Status binaryAct(const Node &n, BO code);
  Status binary(const Node &n, BO code, BOpt ot = BOpt::NONE,
                Offset<void> opts = Offset<void>());
  Status unaryOp(const Node &n, BO code, BOpt ot = BOpt::NONE,
                 Offset<void> opts = Offset<void>());
  Status clip(const Node &n);
  Status reshape(const Node &n);
  Status squeeze(const Node &n);
  Status transpose(const Node &n);
  Status concat(const Node &n);
  Status pad(const Node &n);
  Status slice(const Node &n);
  Status gather(const Node &n);
  Status split(const Node &n);
  Status reduce(const Node &n, BO code);
  Status argMinMax(const Node &n, BO code);
  Status softmax(const Node &n, bool log);
  Status quantizeLinear(const Node &n);
  Status dequantizeLinear(const Node &n);
  Status identity(const Node &n);
  Status cast(const Node &n);
  Status resize(const Node &n);
  Status spaceDepth(const Node &n, bool toSpace);
  Status batchNorm(const Node &n);
  Status hardSigmoid(const Node &n);
  Status where(const Node &n);
  Status broadcastLike(const Node &n, BO code);
  Status lrn(const Node &n);
  Status l2norm(const Node &n);
  Status ifNode(const Node &n);
  Status reciprocal(const Node &n);
  Status sqrt(const Node &n);
  Expected<int32_t> body(const Graph &b, const std::vector<const Value *> &caps);

  Expected<std::vector<int64_t>> constIntsInput(const Node &n, size_t slot,
                                                const char *what) {
    const Value *v = n.input(slot) ? resolve(n.input(slot)) : nullptr;
    if (!v) return unsupported(std::string(what) + " is missing");
    if (!v->constant)
      return unsupported(std::string(what) + " must be a constant");
    return v->constant->toInt64Vector();
  }
  Expected<int32_t> in(const Node &n, size_t i) {
    if (!n.input(i)) return unsupported("input " + std::to_string(i) + " is missing");
    return tensorOf(n.input(i));
  }
  Expected<int32_t> out(const Node &n, size_t i = 0) {
    if (i >= n.outputs.size() || !n.outputs[i])
      return unsupported("output " + std::to_string(i) + " is missing");
    EDGEC_TRY(shapeOf(n.outputs[i]).status());
    return tensorOf(n.outputs[i]);
  }
  DataType outType(const Node &n) const {
    return n.outputs.empty() || !n.outputs[0] ? DataType::Undefined
                                              : n.outputs[0]->type.dtype;
  }
  DataType inType(const Node &n) const {
    return n.inputs.empty() || !n.inputs[0] ? DataType::Undefined
                                            : n.inputs[0]->type.dtype;
  }

  ModelWriter &w;
  const Graph &g;
  std::vector<TensorDef> tensors;
  std::vector<OpDef> ops;
  std::map<const Value *, int32_t> tensorIds;
  std::map<const Value *, const Value *> alias;
  std::vector<const Value *> captures;
public:
  const std::map<std::string, std::string> *metadata = nullptr;
private:
  /// Sqrt outputs read only by a Reciprocal: written as one RSQRT.
  std::map<const Value *, const Value *> deferredSqrt;
};

/// Values a subgraph (and the graphs nested in it) reads from enclosing
/// graphs, in first-use order; constants are copied instead.
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

// ---------------------------------------------------------------------------
// Activations

Status SubgraphWriter::activation(const ActSpec &a, int32_t inT, int32_t outT,
                                  const std::string &base) {
  const DataType dt = dtypeOfTensor(outT);
  const bool q = def(outT).quant.has_value() && isQuantType(dt);
  if (auto f = fusable(a, q)) {
    switch (*f) {
    case Act::RELU: return op(BO::RELU, {inT}, {outT}, dt);
    case Act::RELU6: return op(BO::RELU6, {inT}, {outT}, dt);
    case Act::RELU_N1_TO_1: return op(BO::RELU_N1_TO_1, {inT}, {outT}, dt);
    case Act::TANH: return op(BO::TANH, {inT}, {outT}, dt);
    default: {
      // Identity: a reshape to the same shape.
      std::vector<int64_t> s;
      for (int32_t x : def(outT).shape) s.push_back(x);
      std::vector<int32_t> ns(def(outT).shape);
      int32_t st = int32Const(base + "/shape", s);
      return op(BO::RESHAPE, {inT, st}, {outT}, dt, BOpt::ReshapeOptions,
                fb::CreateReshapeOptionsDirect(w.fbb, &ns).Union());
    }
    }
  }
  if (a.kind == "LeakyRelu")
    return op(BO::LEAKY_RELU, {inT}, {outT}, dt, BOpt::LeakyReluOptions,
              fb::CreateLeakyReluOptions(w.fbb, a.alpha).Union());
  if (a.kind == "HardSwish")
    return op(BO::HARD_SWISH, {inT}, {outT}, dt, BOpt::HardSwishOptions,
              fb::CreateHardSwishOptions(w.fbb).Union());
  if (a.kind == "Sigmoid") return op(BO::LOGISTIC, {inT}, {outT}, dt);
  if (a.kind == "Tanh") return op(BO::TANH, {inT}, {outT}, dt);
  if (a.kind == "Clip") {
    // max(x, lo) then min(., hi), with constants of the output parameters.
    int32_t cur = inT;
    const TensorShape shape = shapeOfTensor(outT);
    const bool both = !std::isinf(a.lo) && !std::isinf(a.hi);
    if (!std::isinf(a.lo)) {
      EDGEC_ASSIGN_OR_RETURN(int32_t c, scalarLike(base + "/clip_min", a.lo, dt, def(outT).quant));
      int32_t o = both ? temp(base + "/clip_lo", dt, shape, def(outT).quant) : outT;
      EDGEC_TRY(op(BO::MAXIMUM, {cur, c}, {o}, dt));
      cur = o;
    }
    if (!std::isinf(a.hi)) {
      EDGEC_ASSIGN_OR_RETURN(int32_t c, scalarLike(base + "/clip_max", a.hi, dt, def(outT).quant));
      EDGEC_TRY(op(BO::MINIMUM, {cur, c}, {outT}, dt));
    }
    return Status::ok();
  }
  if (a.kind == "HardSigmoid" && !q) {
    // min(relu(x * alpha + beta), 1)
    const TensorShape shape = shapeOfTensor(outT);
    EDGEC_ASSIGN_OR_RETURN(int32_t ca, scalarLike(base + "/alpha", a.alpha, dt, std::nullopt));
    EDGEC_ASSIGN_OR_RETURN(int32_t cb, scalarLike(base + "/beta", a.beta, dt, std::nullopt));
    EDGEC_ASSIGN_OR_RETURN(int32_t c1, scalarLike(base + "/one", 1.0f, dt, std::nullopt));
    int32_t t1 = temp(base + "/scaled", dt, shape, std::nullopt);
    int32_t t2 = temp(base + "/shifted", dt, shape, std::nullopt);
    EDGEC_TRY(op(BO::MUL, {inT, ca}, {t1}, dt, BOpt::MulOptions,
                 fb::CreateMulOptions(w.fbb).Union()));
    EDGEC_TRY(op(BO::ADD, {t1, cb}, {t2}, dt, BOpt::AddOptions,
                 fb::CreateAddOptions(w.fbb, Act::RELU).Union()));
    return op(BO::MINIMUM, {t2, c1}, {outT}, dt);
  }
  return unsupported("activation " + a.kind + " has no TFLite form here");
}

// ---------------------------------------------------------------------------
// Convolutions and pools

struct Padding2D {
  fb::Padding mode = fb::Padding::VALID;
  /// Explicit [top, left, bottom, right] pads to write as a PAD operator
  /// (mode is then VALID); empty when the mode alone matches.
  std::vector<int64_t> pads;
};

/// TFLite padding for a window op with the node's auto_pad / pads.
Expected<Padding2D> planPadding(const Node &n, int64_t inH, int64_t inW,
                                int64_t kH, int64_t kW, int64_t sH, int64_t sW,
                                int64_t dH, int64_t dW, int64_t outH,
                                int64_t outW) {
  const std::string ap = attrStr(n, "auto_pad", "NOTSET");
  const int64_t in[2] = {inH, inW}, k[2] = {kH, kW}, s[2] = {sH, sW},
                d[2] = {dH, dW}, outv[2] = {outH, outW};
  int64_t same[4];
  for (int i = 0; i < 2; ++i) {
    const int64_t o = (in[i] + s[i] - 1) / s[i];
    const int64_t total =
        std::max<int64_t>((o - 1) * s[i] + (k[i] - 1) * d[i] + 1 - in[i], 0);
    same[i] = total / 2;
    same[i + 2] = total - total / 2;
  }
  std::vector<int64_t> pads(4, 0);
  if (ap == "SAME_UPPER") {
    pads.assign(same, same + 4);
  } else if (ap == "SAME_LOWER") {
    for (int i = 0; i < 2; ++i) {
      pads[(size_t)i] = same[i + 2];
      pads[(size_t)i + 2] = same[i];
    }
  } else if (ap == "VALID") {
  } else {
    pads = attrInts(n, "pads", {0, 0, 0, 0});
    if (pads.size() != 4) return Error(ErrorCode::Unsupported, "pads must have 4 entries");
  }
  Padding2D r;
  bool zero = true, isSame = true;
  for (int i = 0; i < 4; ++i) {
    zero = zero && pads[(size_t)i] == 0;
    isSame = isSame && pads[(size_t)i] == same[i];
  }
  for (int i = 0; i < 2; ++i)
    isSame = isSame && outv[i] == (in[i] + s[i] - 1) / s[i];
  if (zero) {
    r.mode = fb::Padding::VALID;
  } else if (isSame) {
    r.mode = fb::Padding::SAME;
  } else {
    for (int64_t p : pads)
      if (p < 0) return Error(ErrorCode::Unsupported, "negative pads");
    r.mode = fb::Padding::VALID;
    r.pads = pads;
  }
  // The output size must be what TFLite computes.
  for (int i = 0; i < 2; ++i) {
    const int64_t padded = in[i] + (r.pads.empty() ? 0 : r.pads[(size_t)i] + r.pads[(size_t)i + 2]);
    const int64_t expect = r.mode == fb::Padding::SAME
                               ? (in[i] + s[i] - 1) / s[i]
                               : (padded - (k[i] - 1) * d[i] - 1) / s[i] + 1;
    if (expect != outv[i])
      return Error(ErrorCode::Unsupported,
                   "output size " + std::to_string(outv[i]) +
                       " differs from TFLite's " + std::to_string(expect) +
                       " (ceil_mode or unusual padding)");
  }
  return r;
}

Status SubgraphWriter::conv(const Node &n) {
  if (!isChannelsLast(n)) return unsupported("channels-first Conv (convert to NHWC first)");
  const Value *x = n.input(0);
  const Value *wv = n.input(1) ? resolve(n.input(1)) : nullptr;
  if (!x || !wv || !wv->constant) return unsupported("weights must be a constant");
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(x));
  EDGEC_ASSIGN_OR_RETURN(TensorShape ys, shapeOf(n.outputs[0]));
  const Tensor &wt = *wv->constant;
  if (xs.size() != 4 || wt.rank() != 4)
    return unsupported("only 2-D convolutions (rank-4 tensors) are written");
  const int64_t group = attrInt(n, "group", 1);
  const int64_t cin = xs[3], cout = wt.dim(0);
  const bool depthwise = group > 1 && group == cin && wt.dim(1) == 1;
  if (group > 1 && !depthwise && wt.dim(1) * group != cin)
    return unsupported("group does not fit the weights");
  std::vector<int64_t> strides = attrInts(n, "strides", {1, 1});
  std::vector<int64_t> dil = attrInts(n, "dilations", {1, 1});
  if (strides.size() != 2 || dil.size() != 2) return unsupported("2-D strides/dilations expected");
  EDGEC_ASSIGN_OR_RETURN(Padding2D pp, planPadding(n, xs[1], xs[2], wt.dim(2), wt.dim(3), strides[0],
                                                   strides[1], dil[0], dil[1], ys[1], ys[2]));
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  const bool q = isQuantizedNode(n);
  if (!pp.pads.empty()) {
    TensorShape ps{xs[0], xs[1] + pp.pads[0] + pp.pads[2], xs[2] + pp.pads[1] + pp.pads[3], xs[3]};
    int32_t padded = temp(def(xt).name + "/padded", x->type.dtype, ps, def(xt).quant);
    EDGEC_TRY(zeroPad(xt, {0, 0, pp.pads[0], pp.pads[2], pp.pads[1], pp.pads[3], 0, 0}, padded,
                      n.name));
    xt = padded;
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t wtT, weights(n, 1, depthwise ? std::vector<int64_t>{1, 2, 3, 0}
                                                               : std::vector<int64_t>{0, 2, 3, 1}));
  // Bias: always written (zeros when absent), quantized with s_in * s_w.
  // TFLite's integer kernels add the int32 values to the accumulator as
  // they are (so do edgec's), whatever scale the bias tensor carries, but
  // readers that dequantize (Arm NN's reference backend) use the tensor's
  // scale: the values are kept and the scale is always s_in * s_w (the
  // quantizer's own bias scale may differ by a few per cent).
  int32_t bt;
  std::optional<QuantParams> bq;
  if (q) {
    const QuantParams &wq = *def(wtT).quant;
    const QuantParams &xq = *def(xt).quant;
    QuantParams p;
    for (float s : wq.scale) p.scale.push_back((float)((double)xq.scale[0] * (double)s));
    p.zeroPoint.assign(p.scale.size(), 0);
    p.axis = wq.perAxis() ? 0 : -1;
    bq = p;
  }
  if (const Value *b = n.input(2)) {
    const Value *rb = resolve(b);
    if (rb->constant && q) {
      EDGEC_ASSIGN_OR_RETURN(bt, constTensor(rb->name, *rb->constant, bq));
    } else {
      EDGEC_ASSIGN_OR_RETURN(bt, tensorOf(b));
    }
  } else {
    Tensor z(q ? (x->type.dtype == DataType::Int16 ? DataType::Int64 : DataType::Int32)
               : x->type.dtype,
             {cout});
    EDGEC_ASSIGN_OR_RETURN(bt, constTensor(n.name + "/bias", z, bq));
  }
  EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
  if (depthwise) {
    EDGEC_TRY(op(BO::DEPTHWISE_CONV_2D, {xt, wtT, bt}, {ap.write}, x->type.dtype,
                 BOpt::DepthwiseConv2DOptions,
                 fb::CreateDepthwiseConv2DOptions(w.fbb, pp.mode, (int32_t)strides[1],
                                                  (int32_t)strides[0], (int32_t)(cout / cin),
                                                  ap.fused, (int32_t)dil[1], (int32_t)dil[0])
                     .Union()));
  } else {
    EDGEC_TRY(op(BO::CONV_2D, {xt, wtT, bt}, {ap.write}, x->type.dtype, BOpt::Conv2DOptions,
                 fb::CreateConv2DOptions(w.fbb, pp.mode, (int32_t)strides[1], (int32_t)strides[0],
                                         ap.fused, (int32_t)dil[1], (int32_t)dil[0])
                     .Union()));
  }
  return finishAct(ap);
}

Status SubgraphWriter::convTranspose(const Node &n) {
  if (!isChannelsLast(n)) return unsupported("channels-first ConvTranspose (convert to NHWC first)");
  const Value *x = n.input(0);
  const Value *wv = n.input(1) ? resolve(n.input(1)) : nullptr;
  if (!x || !wv || !wv->constant) return unsupported("weights must be a constant");
  if (attrInt(n, "group", 1) != 1) return unsupported("grouped ConvTranspose");
  for (int64_t d : attrInts(n, "dilations", {1, 1}))
    if (d != 1) return unsupported("dilated ConvTranspose");
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(x));
  EDGEC_ASSIGN_OR_RETURN(TensorShape ys, shapeOf(n.outputs[0]));
  const Tensor &wt = *wv->constant;
  if (xs.size() != 4 || wt.rank() != 4) return unsupported("only 2-D ConvTranspose is written");
  std::vector<int64_t> s = attrInts(n, "strides", {1, 1});
  std::vector<int64_t> pads = attrInts(n, "pads", {0, 0, 0, 0});
  if (attrStr(n, "auto_pad", "NOTSET") != "NOTSET") return unsupported("auto_pad on ConvTranspose");
  // TFLite: total = (in - 1) * s + k - out, split as total / 2 before.
  fb::Padding mode = fb::Padding::VALID;
  bool zero = true, same = true;
  for (int i = 0; i < 2; ++i) {
    const int64_t total = (xs[(size_t)i + 1] - 1) * s[(size_t)i] + wt.dim((size_t)i + 2) - ys[(size_t)i + 1];
    if (total < 0) return unsupported("output_padding");
    zero = zero && total == 0;
    same = same && pads[(size_t)i] == total / 2 && pads[(size_t)i + 2] == total - total / 2 &&
           ys[(size_t)i + 1] == xs[(size_t)i + 1] * s[(size_t)i];
  }
  if (!zero) {
    if (!same) return unsupported("ConvTranspose padding TFLite cannot express");
    mode = fb::Padding::SAME;
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  EDGEC_ASSIGN_OR_RETURN(int32_t wtT, weights(n, 1, {1, 2, 3, 0}));
  int32_t shapeT = int32Const(n.name + "/output_shape", ys);
  std::vector<int32_t> ins{shapeT, wtT, xt};
  if (n.input(2)) {
    EDGEC_ASSIGN_OR_RETURN(int32_t bt, tensorOf(n.input(2)));
    ins.push_back(bt);
  }
  EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
  EDGEC_TRY(op(BO::TRANSPOSE_CONV, ins, {ap.write}, x->type.dtype, BOpt::TransposeConvOptions,
               fb::CreateTransposeConvOptions(w.fbb, mode, (int32_t)s[1], (int32_t)s[0], ap.fused)
                   .Union()));
  return finishAct(ap);
}

Status SubgraphWriter::pool(const Node &n) {
  if (!isChannelsLast(n)) return unsupported("channels-first pool (convert to NHWC first)");
  const Value *x = n.input(0);
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(x));
  EDGEC_ASSIGN_OR_RETURN(TensorShape ys, shapeOf(n.outputs[0]));
  if (xs.size() != 4) return unsupported("only 2-D pools are written");
  if (n.outputs.size() > 1 && n.outputs[1]) return unsupported("MaxPool Indices output");
  std::vector<int64_t> k = attrInts(n, "kernel_shape", {});
  std::vector<int64_t> s = attrInts(n, "strides", {1, 1});
  std::vector<int64_t> d = attrInts(n, "dilations", {1, 1});
  if (k.size() != 2 || s.size() != 2) return unsupported("2-D kernel expected");
  if (d[0] != 1 || d[1] != 1) return unsupported("dilated pooling");
  EDGEC_ASSIGN_OR_RETURN(Padding2D pp, planPadding(n, xs[1], xs[2], k[0], k[1], s[0], s[1], 1, 1,
                                                   ys[1], ys[2]));
  if (!pp.pads.empty()) return unsupported("pool padding TFLite cannot express");
  BO code = n.opType == "MaxPool" ? BO::MAX_POOL_2D
            : n.opType == "LpPool" ? BO::L2_POOL_2D
                                   : BO::AVERAGE_POOL_2D;
  if (code == BO::L2_POOL_2D && attrInt(n, "p", 2) != 2) return unsupported("LpPool with p != 2");
  if (code == BO::AVERAGE_POOL_2D && pp.mode == fb::Padding::SAME &&
      attrInt(n, "count_include_pad", 0) != 0) {
    bool anyPad = false;
    for (int i = 0; i < 2; ++i) anyPad = anyPad || (ys[(size_t)i + 1] - 1) * s[(size_t)i] + k[(size_t)i] > xs[(size_t)i + 1];
    if (anyPad) return unsupported("AveragePool with count_include_pad = 1 over padding");
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
  OutPlan o = sameParamsOut(ap.write, def(xt).quant);
  EDGEC_TRY(op(code, {xt}, {o.write}, x->type.dtype, BOpt::Pool2DOptions,
               fb::CreatePool2DOptions(w.fbb, pp.mode, (int32_t)s[1], (int32_t)s[0], (int32_t)k[1],
                                       (int32_t)k[0], ap.fused)
                   .Union()));
  finishOut(o);
  return finishAct(ap);
}

Status SubgraphWriter::globalPool(const Node &n) {
  if (!isChannelsLast(n)) return unsupported("channels-first global pool (convert to NHWC first)");
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  std::vector<int64_t> axes;
  for (size_t i = 1; i + 1 < xs.size(); ++i) axes.push_back((int64_t)i);
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  int32_t at = int32Const(n.name + "/axes", axes);
  const bool mx = n.opType == "GlobalMaxPool";
  OutPlan o = mx ? sameParamsOut(yt, def(xt).quant) : OutPlan{yt, yt};
  EDGEC_TRY(op(mx ? BO::REDUCE_MAX : BO::MEAN, {xt, at}, {o.write}, inType(n),
               BOpt::ReducerOptions, fb::CreateReducerOptions(w.fbb, true).Union()));
  finishOut(o);
  return Status::ok();
}

Status SubgraphWriter::lrn(const Node &n) {
  if (!isChannelsLast(n)) return unsupported("channels-first LRN (convert to NHWC first)");
  const int64_t size = attrInt(n, "size", 1);
  if (size % 2 == 0) return unsupported("LRN with an even size");
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  return op(BO::LOCAL_RESPONSE_NORMALIZATION, {xt}, {yt}, inType(n),
            BOpt::LocalResponseNormalizationOptions,
            fb::CreateLocalResponseNormalizationOptions(
                w.fbb, (int32_t)(size / 2), attrFloat(n, "bias", 1.0f),
                attrFloat(n, "alpha", 1e-4f) / (float)size, attrFloat(n, "beta", 0.75f))
                .Union());
}

Status SubgraphWriter::spaceDepth(const Node &n, bool toSpace) {
  if (!isChannelsLast(n)) return unsupported("channels-first " + n.opType + " (convert to NHWC first)");
  if (toSpace && attrStr(n, "mode", "DCR") != "DCR") return unsupported("DepthToSpace mode CRD");
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  const int32_t bs = (int32_t)attrInt(n, "blocksize", 1);
  if (toSpace)
    return op(BO::DEPTH_TO_SPACE, {xt}, {yt}, inType(n), BOpt::DepthToSpaceOptions,
              fb::CreateDepthToSpaceOptions(w.fbb, bs).Union());
  return op(BO::SPACE_TO_DEPTH, {xt}, {yt}, inType(n), BOpt::SpaceToDepthOptions,
            fb::CreateSpaceToDepthOptions(w.fbb, bs).Union());
}

Status SubgraphWriter::batchNorm(const Node &n) {
  if (isQuantizedNode(n)) return unsupported("quantized BatchNormalization");
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  if (xs.size() >= 3 && !isChannelsLast(n))
    return unsupported("channels-first BatchNormalization (convert to NHWC first)");
  std::vector<std::vector<double>> p;
  for (size_t i = 1; i <= 4; ++i) {
    const Value *v = n.input(i) ? resolve(n.input(i)) : nullptr;
    if (!v || !v->constant) return unsupported("parameters must be constants");
    p.push_back(v->constant->toDoubleVector());
  }
  const double eps = attrFloat(n, "epsilon", 1e-5f);
  const int64_t c = (int64_t)p[0].size();
  Tensor scale(DataType::Float32, {c}), shift(DataType::Float32, {c});
  for (int64_t i = 0; i < c; ++i) {
    const double s = p[0][(size_t)i] / std::sqrt(p[3][(size_t)i] + eps);
    scale.data<float>()[i] = (float)s;
    shift.data<float>()[i] = (float)(p[1][(size_t)i] - p[2][(size_t)i] * s);
  }
  if (xs.size() == 2) {
  } else if (xs.back() != c) {
    return unsupported("channel count mismatch");
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  EDGEC_ASSIGN_OR_RETURN(int32_t st, constTensor(n.name + "/scale", scale, std::nullopt));
  EDGEC_ASSIGN_OR_RETURN(int32_t bt, constTensor(n.name + "/shift", shift, std::nullopt));
  int32_t t = temp(n.name + "/scaled", DataType::Float32, xs, std::nullopt);
  EDGEC_TRY(op(BO::MUL, {xt, st}, {t}, DataType::Float32, BOpt::MulOptions,
               fb::CreateMulOptions(w.fbb).Union()));
  EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
  EDGEC_TRY(op(BO::ADD, {t, bt}, {ap.write}, DataType::Float32, BOpt::AddOptions,
               fb::CreateAddOptions(w.fbb, ap.fused).Union()));
  return finishAct(ap);
}

// ---------------------------------------------------------------------------
// Fully connected / matmul

Status SubgraphWriter::gemm(const Node &n) {
  if (attrInt(n, "transA", 0) != 0) return unsupported("transA = 1");
  if (attrFloat(n, "alpha", 1.0f) != 1.0f || attrFloat(n, "beta", 1.0f) != 1.0f)
    return unsupported("alpha or beta != 1");
  const Value *a = n.input(0);
  const Value *b = n.input(1) ? resolve(n.input(1)) : nullptr;
  if (!a || !b || !b->constant || b->constant->rank() != 2)
    return unsupported("B must be a 2-D constant");
  const bool transB = attrInt(n, "transB", 0) != 0;
  const int64_t units = transB ? b->constant->dim(0) : b->constant->dim(1);
  const bool q = isQuantizedNode(n);
  // TFLite flattens the input to [-1, depth] itself: skip a Reshape/Flatten
  // that only does that.
  const Value *src = a;
  if (Node *p = a->producer(); p && p->domain.empty() &&
                               (p->opType == "Reshape" || p->opType == "Flatten") &&
                               g.usersOf(a).size() == 1 && !g.isGraphOutput(a) &&
                               p->input(0) && p->input(0)->type.isStatic() &&
                               (!a->quant || p->input(0)->quant == a->quant) &&
                               p->input(0)->type.dtype == a->type.dtype && !a->constant) {
    src = p->input(0);
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, tensorOf(src));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  EDGEC_ASSIGN_OR_RETURN(TensorShape ys, shapeOf(n.outputs[0]));
  EDGEC_ASSIGN_OR_RETURN(int32_t wt, weights(n, 1, transB ? std::vector<int64_t>{0, 1}
                                                          : std::vector<int64_t>{1, 0}));
  std::optional<QuantParams> bq;
  if (q) {
    const QuantParams &wq = *def(wt).quant;
    const QuantParams &xq = *def(xt).quant;
    QuantParams p;
    for (float s : wq.scale) p.scale.push_back((float)((double)xq.scale[0] * (double)s));
    p.zeroPoint.assign(p.scale.size(), 0);
    p.axis = wq.perAxis() ? 0 : -1;
    bq = p;
  }
  int32_t bt;
  if (const Value *c = n.input(2) ? resolve(n.input(2)) : nullptr) {
    if (!c->constant) return unsupported("C must be a constant");
    if (c->constant->numElements() != units) {
      if (c->constant->numElements() != 1) return unsupported("C must have one value per unit");
      if (q) return unsupported("broadcast quantized bias");
    }
    Tensor ct = c->constant->numElements() == units ? c->constant->reshaped({units})
                                                    : Tensor(c->constant->dtype(), {units});
    if (c->constant->numElements() != units)
      for (int64_t i = 0; i < units; ++i) ct.setDouble(i, c->constant->getDouble(0));
    // As for Conv: the int32 values with scale s_in * s_w.
    EDGEC_ASSIGN_OR_RETURN(bt, constTensor(c->name, ct, q ? bq : c->quant));
  } else {
    Tensor z(q ? (a->type.dtype == DataType::Int16 ? DataType::Int64 : DataType::Int32)
               : a->type.dtype,
             {units});
    EDGEC_ASSIGN_OR_RETURN(bt, constTensor(n.name + "/bias", z, bq));
  }
  EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
  if (q && def(wt).quant && def(wt).quant->perAxis() && ys.size() == 2) {
    // Per-channel FULLY_CONNECTED is rejected by Arm NN 20.08 (and older
    // TFLite Micro kernels): write the same integer arithmetic as a 1x1
    // CONV_2D between two RESHAPEs.
    const int64_t depth = def(wt).shape[1];
    const int64_t batch = ys[0];
    std::vector<int32_t> s4{(int32_t)batch, 1, 1, (int32_t)depth};
    std::vector<int64_t> s4l{batch, 1, 1, depth};
    int32_t x4 = temp(def(xt).name + "/nhwc", a->type.dtype, {batch, 1, 1, depth}, def(xt).quant);
    EDGEC_TRY(op(BO::RESHAPE, {xt, int32Const(n.name + "/in_shape", s4l)}, {x4}, a->type.dtype,
                 BOpt::ReshapeOptions, fb::CreateReshapeOptionsDirect(w.fbb, &s4).Union()));
    tensors[(size_t)wt].shape = {(int32_t)units, 1, 1, (int32_t)depth};
    int32_t y4 = temp(def(ap.write).name + "/nhwc", outType(n), {batch, 1, 1, units}, def(ap.write).quant);
    EDGEC_TRY(op(BO::CONV_2D, {x4, wt, bt}, {y4}, a->type.dtype, BOpt::Conv2DOptions,
                 fb::CreateConv2DOptions(w.fbb, fb::Padding::VALID, 1, 1, ap.fused).Union()));
    std::vector<int32_t> s2{(int32_t)batch, (int32_t)units};
    EDGEC_TRY(op(BO::RESHAPE, {y4, int32Const(n.name + "/out_shape", {batch, units})}, {ap.write},
                 a->type.dtype, BOpt::ReshapeOptions,
                 fb::CreateReshapeOptionsDirect(w.fbb, &s2).Union()));
    return finishAct(ap);
  }
  EDGEC_TRY(op(BO::FULLY_CONNECTED, {xt, wt, bt}, {ap.write}, a->type.dtype,
               BOpt::FullyConnectedOptions,
               fb::CreateFullyConnectedOptions(w.fbb, ap.fused).Union()));
  return finishAct(ap);
}

Status SubgraphWriter::matmul(const Node &n) {
  const Value *a = n.input(0);
  const Value *b = n.input(1) ? resolve(n.input(1)) : nullptr;
  if (!a || !b) return unsupported("missing input");
  EDGEC_ASSIGN_OR_RETURN(TensorShape as, shapeOf(a));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  const bool q = isQuantizedNode(n);
  if (b->constant && b->constant->rank() == 2 && as.size() >= 2) {
    // FULLY_CONNECTED on [units, depth] weights; keep_num_dims keeps the
    // leading dims of A.
    EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
    EDGEC_ASSIGN_OR_RETURN(int32_t wt, weights(n, 1, {1, 0}));
    const int64_t units = b->constant->dim(1);
    std::optional<QuantParams> bq;
    if (q) {
      const QuantParams &wq = *def(wt).quant;
      QuantParams p;
      for (float s : wq.scale) p.scale.push_back((float)((double)def(xt).quant->scale[0] * (double)s));
      p.zeroPoint.assign(p.scale.size(), 0);
      p.axis = wq.perAxis() ? 0 : -1;
      bq = p;
    }
    Tensor z(q ? (a->type.dtype == DataType::Int16 ? DataType::Int64 : DataType::Int32)
               : a->type.dtype,
             {units});
    EDGEC_ASSIGN_OR_RETURN(int32_t bt, constTensor(n.name + "/bias", z, bq));
    EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
    EDGEC_TRY(op(BO::FULLY_CONNECTED, {xt, wt, bt}, {ap.write}, a->type.dtype,
                 BOpt::FullyConnectedOptions,
                 fb::CreateFullyConnectedOptions(w.fbb, ap.fused,
                                                 fb::FullyConnectedOptionsWeightsFormat::DEFAULT,
                                                 as.size() != 2)
                     .Union()));
    return finishAct(ap);
  }
  if (q && b->quant && b->quant->perAxis()) return unsupported("per-channel BATCH_MATMUL operand");
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t bt, in(n, 1));
  EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
  EDGEC_TRY(op(BO::BATCH_MATMUL, {xt, bt}, {ap.write}, a->type.dtype, BOpt::BatchMatMulOptions,
               fb::CreateBatchMatMulOptions(w.fbb).Union()));
  return finishAct(ap);
}

// ---------------------------------------------------------------------------
// Element-wise

Status SubgraphWriter::binaryAct(const Node &n, BO code) {
  EDGEC_ASSIGN_OR_RETURN(int32_t at, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t bt, in(n, 1));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
  Offset<void> o;
  BOpt ot = BOpt::NONE;
  switch (code) {
  case BO::ADD: ot = BOpt::AddOptions; o = fb::CreateAddOptions(w.fbb, ap.fused).Union(); break;
  case BO::SUB: ot = BOpt::SubOptions; o = fb::CreateSubOptions(w.fbb, ap.fused).Union(); break;
  case BO::MUL: ot = BOpt::MulOptions; o = fb::CreateMulOptions(w.fbb, ap.fused).Union(); break;
  default: ot = BOpt::DivOptions; o = fb::CreateDivOptions(w.fbb, ap.fused).Union(); break;
  }
  EDGEC_TRY(op(code, {at, bt}, {ap.write}, inType(n), ot, o));
  return finishAct(ap);
}

Status SubgraphWriter::binary(const Node &n, BO code, BOpt ot, Offset<void> opts) {
  if (n.inputs.size() != 2) return unsupported("expects 2 inputs");
  EDGEC_ASSIGN_OR_RETURN(int32_t at, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t bt, in(n, 1));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  if ((code == BO::MAXIMUM || code == BO::MINIMUM) && def(yt).quant) {
    at = requantized(at, def(yt).quant);
    bt = requantized(bt, def(yt).quant);
  }
  return op(code, {at, bt}, {yt}, inType(n), ot, opts);
}

Status SubgraphWriter::unaryOp(const Node &n, BO code, BOpt ot, Offset<void> opts) {
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  // Fixed output parameters of TFLite's 8-bit LOGISTIC / TANH kernels.
  if (def(yt).quant && (outType(n) == DataType::Int8 || outType(n) == DataType::UInt8) &&
      (code == BO::LOGISTIC || code == BO::TANH)) {
    QuantParams fixed;
    const bool s8 = outType(n) == DataType::Int8;
    if (code == BO::LOGISTIC) {
      fixed.scale = {1.0f / 256};
      fixed.zeroPoint = {s8 ? -128 : 0};
    } else {
      fixed.scale = {1.0f / 128};
      fixed.zeroPoint = {s8 ? 0 : 128};
    }
    if (!(*def(yt).quant == fixed)) {
      int32_t t = temp(def(yt).name + "/fixed", outType(n), shapeOfTensor(yt), fixed);
      EDGEC_TRY(op(code, {xt}, {t}, inType(n), ot, opts));
      return op(BO::QUANTIZE, {t}, {yt}, outType(n), BOpt::QuantizeOptions,
                fb::CreateQuantizeOptions(w.fbb).Union());
    }
  }
  return op(code, {xt}, {yt}, inType(n), ot, opts);
}

Status SubgraphWriter::clip(const Node &n) {
  ActSpec a;
  a.kind = "Clip";
  auto bound = [&](size_t slot, const char *attr, float &v) -> Status {
    if (const Value *b = n.input(slot) ? resolve(n.input(slot)) : nullptr) {
      if (!b->constant) return unsupported("Clip bounds must be constants");
      if (b->constant->numElements() != 1) return unsupported("Clip bounds must be scalars");
      v = (float)b->constant->getDouble(0);
    } else if (const Attribute *at = n.attr(attr)) {
      v = at->f;
    }
    return Status::ok();
  };
  EDGEC_TRY(bound(1, "min", a.lo));
  EDGEC_TRY(bound(2, "max", a.hi));
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  return activation(a, xt, yt, def(yt).name);
}

Status SubgraphWriter::hardSigmoid(const Node &n) {
  ActSpec a;
  a.kind = "HardSigmoid";
  a.alpha = attrFloat(n, "alpha", 0.2f);
  a.beta = attrFloat(n, "beta", 0.5f);
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  if (!isQuantizedNode(n)) return activation(a, xt, yt, def(yt).name);
  // Integer: t = x * alpha exactly (t keeps x's integers, scale s_x * alpha,
  // through a MUL by a one-element constant), then ADD beta with a fused
  // RELU; the output range clamps at 1 when it ends there, else MINIMUM.
  const TensorDef &xd = def(xt);
  if (!xd.quant || xd.quant->perAxis() || a.alpha <= 0 || a.beta < 0)
    return unsupported("quantized HardSigmoid needs per-tensor input parameters and alpha > 0");
  const DataType dt = outType(n);
  const std::string base = def(yt).name;
  QuantParams tq;
  tq.scale = {(float)((double)xd.quant->scale[0] * a.alpha)};
  tq.zeroPoint = {xd.quant->zeroPoint.empty() ? 0 : xd.quant->zeroPoint[0]};
  const int64_t qmax = dt == DataType::Int8 ? 127 : dt == DataType::UInt8 ? 255 : 32767;
  Tensor ca(dt, {1});
  ca.setInt64(0, qmax);
  QuantParams caq;
  caq.scale = {a.alpha / (float)qmax};
  caq.zeroPoint = {0};
  EDGEC_ASSIGN_OR_RETURN(int32_t cat, constTensor(base + "/alpha", ca, caq));
  int32_t t = temp(base + "/scaled", dt, shapeOfTensor(xt), tq);
  EDGEC_TRY(op(BO::MUL, {xt, cat}, {t}, dt, BOpt::MulOptions, fb::CreateMulOptions(w.fbb).Union()));
  Tensor cb(dt, {1});
  cb.setInt64(0, qmax);
  QuantParams cbq;
  cbq.scale = {a.beta > 0 ? a.beta / (float)qmax : 1.0f};
  cbq.zeroPoint = {0};
  if (a.beta == 0) cb.setInt64(0, 0);
  EDGEC_ASSIGN_OR_RETURN(int32_t cbt, constTensor(base + "/beta", cb, cbq));
  const QuantParams &yq = *def(yt).quant;
  const double topValue = ((double)qmax - (double)(yq.zeroPoint.empty() ? 0 : yq.zeroPoint[0])) * yq.scale[0];
  const bool needMin = topValue > 1.0 + 1e-6;
  int32_t sum = needMin ? temp(base + "/shifted", dt, shapeOfTensor(yt), yq) : yt;
  EDGEC_TRY(op(BO::ADD, {t, cbt}, {sum}, dt, BOpt::AddOptions,
               fb::CreateAddOptions(w.fbb, Act::RELU).Union()));
  if (needMin) {
    EDGEC_ASSIGN_OR_RETURN(int32_t one, scalarLike(base + "/one", 1.0f, dt, yq, {1}));
    EDGEC_TRY(op(BO::MINIMUM, {sum, one}, {yt}, dt));
  }
  return Status::ok();
}

Status SubgraphWriter::where(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(int32_t c, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t x, in(n, 1));
  EDGEC_ASSIGN_OR_RETURN(int32_t y, in(n, 2));
  EDGEC_ASSIGN_OR_RETURN(int32_t o, out(n));
  return op(BO::SELECT_V2, {c, x, y}, {o}, outType(n));
}

Status SubgraphWriter::l2norm(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  int64_t axis = attrInt(n, "axis", -1);
  if (axis < 0) axis += (int64_t)xs.size();
  if (axis != (int64_t)xs.size() - 1 || attrInt(n, "p", 2) != 2)
    return unsupported("only L2 normalization over the last axis");
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
  EDGEC_TRY(op(BO::L2_NORMALIZATION, {xt}, {ap.write}, inType(n), BOpt::L2NormOptions,
               fb::CreateL2NormOptions(w.fbb, ap.fused).Union()));
  return finishAct(ap);
}

// ---------------------------------------------------------------------------
// Shapes and data movement

Status SubgraphWriter::reshape(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape ys, shapeOf(n.outputs[0]));
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  std::vector<int32_t> ns;
  for (int64_t d : ys) ns.push_back((int32_t)d);
  int32_t st = int32Const(n.name + "/shape", ys);
  OutPlan o = sameParamsOut(yt, def(xt).quant);
  EDGEC_TRY(op(BO::RESHAPE, {xt, st}, {o.write}, inType(n), BOpt::ReshapeOptions,
               fb::CreateReshapeOptionsDirect(w.fbb, &ns).Union()));
  finishOut(o);
  return Status::ok();
}

Status SubgraphWriter::squeeze(const Node &n) {
  std::vector<int64_t> axes;
  if (n.input(1)) {
    EDGEC_ASSIGN_OR_RETURN(axes, constIntsInput(n, 1, "axes"));
  } else {
    axes = attrInts(n, "axes", {});
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  std::vector<int32_t> a;
  for (int64_t x : axes) a.push_back((int32_t)x);
  OutPlan o = sameParamsOut(yt, def(xt).quant);
  EDGEC_TRY(op(BO::SQUEEZE, {xt}, {o.write}, inType(n), BOpt::SqueezeOptions,
               fb::CreateSqueezeOptionsDirect(w.fbb, &a).Union()));
  finishOut(o);
  return Status::ok();
}

Status SubgraphWriter::transpose(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  std::vector<int64_t> perm = attrInts(n, "perm", {});
  if (perm.empty())
    for (size_t i = 0; i < xs.size(); ++i) perm.push_back((int64_t)(xs.size() - 1 - i));
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  int32_t pt = int32Const(n.name + "/perm", perm);
  OutPlan o = sameParamsOut(yt, def(xt).quant);
  EDGEC_TRY(op(BO::TRANSPOSE, {xt, pt}, {o.write}, inType(n), BOpt::TransposeOptions,
               fb::CreateTransposeOptions(w.fbb).Union()));
  finishOut(o);
  return Status::ok();
}

Status SubgraphWriter::concat(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  std::vector<int32_t> ins;
  const bool q8 = def(yt).quant && (outType(n) == DataType::Int8 || outType(n) == DataType::Int16);
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(int32_t t, in(n, i));
    // TFLite's int8/int16 CONCATENATION wants one set of parameters.
    ins.push_back(q8 ? requantized(t, def(yt).quant) : t);
  }
  EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
  EDGEC_TRY(op(BO::CONCATENATION, ins, {ap.write}, outType(n), BOpt::ConcatenationOptions,
               fb::CreateConcatenationOptions(w.fbb, (int32_t)attrInt(n, "axis", 0), ap.fused)
                   .Union()));
  return finishAct(ap);
}

Status SubgraphWriter::pad(const Node &n) {
  const std::string mode = attrStr(n, "mode", "constant");
  std::vector<int64_t> pads;
  if (n.input(1)) {
    EDGEC_ASSIGN_OR_RETURN(pads, constIntsInput(n, 1, "pads"));
  } else {
    pads = attrInts(n, "pads", {});
  }
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  const size_t r = xs.size();
  std::vector<int64_t> full(2 * r, 0);
  if (n.input(3)) {
    EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> axes, constIntsInput(n, 3, "axes"));
    if (pads.size() != 2 * axes.size()) return unsupported("pads do not match axes");
    for (size_t i = 0; i < axes.size(); ++i) {
      int64_t a = axes[i] < 0 ? axes[i] + (int64_t)r : axes[i];
      full[(size_t)a] = pads[i];
      full[(size_t)a + r] = pads[i + axes.size()];
    }
  } else {
    if (pads.size() != 2 * r) return unsupported("pads must have 2 * rank entries");
    full = pads;
  }
  std::vector<int64_t> tp;
  for (size_t i = 0; i < r; ++i) {
    if (full[i] < 0 || full[i + r] < 0) return unsupported("negative pads (cropping)");
    tp.push_back(full[i]);
    tp.push_back(full[i + r]);
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  auto paddings = [&] {
    int32_t pt = int32Const(n.name + "/paddings", tp);
    tensors[(size_t)pt].shape = {(int32_t)r, 2};
    return pt;
  };
  OutPlan o = sameParamsOut(yt, def(xt).quant);
  if (mode == "reflect")
    EDGEC_TRY(op(BO::MIRROR_PAD, {xt, paddings()}, {o.write}, inType(n), BOpt::MirrorPadOptions,
                 fb::CreateMirrorPadOptions(w.fbb, fb::MirrorPadMode::REFLECT).Union()));
  else if (mode != "constant")
    return unsupported("Pad mode '" + mode + "'");
  else if (const Value *cv = n.input(2) ? resolve(n.input(2)) : nullptr) {
    if (!cv->constant) return unsupported("pad value must be a constant");
    const double v = cv->constant->numElements() ? cv->constant->getDouble(0) : 0.0;
    bool isZero = v == 0.0;
    if (cv->quant && !cv->quant->zeroPoint.empty())
      isZero = cv->constant->getInt64(0) == cv->quant->zeroPoint[0];
    if (isZero) {
      EDGEC_TRY(zeroPad(xt, tp, o.write, n.name));
    } else {
      EDGEC_ASSIGN_OR_RETURN(int32_t ct, constTensor(cv->name, cv->constant->reshaped({}), def(xt).quant));
      EDGEC_TRY(op(BO::PADV2, {xt, paddings(), ct}, {o.write}, inType(n), BOpt::PadV2Options,
                   fb::CreatePadV2Options(w.fbb).Union()));
    }
  } else {
    EDGEC_TRY(zeroPad(xt, tp, o.write, n.name));
  }
  finishOut(o);
  return Status::ok();
}

Status SubgraphWriter::slice(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  std::vector<int64_t> starts, ends, axes, steps;
  if (n.input(1)) {
    EDGEC_ASSIGN_OR_RETURN(starts, constIntsInput(n, 1, "starts"));
    EDGEC_ASSIGN_OR_RETURN(ends, constIntsInput(n, 2, "ends"));
    if (n.input(3)) {
      EDGEC_ASSIGN_OR_RETURN(axes, constIntsInput(n, 3, "axes"));
    }
    if (n.input(4)) {
      EDGEC_ASSIGN_OR_RETURN(steps, constIntsInput(n, 4, "steps"));
    }
  } else {
    starts = attrInts(n, "starts", {});
    ends = attrInts(n, "ends", {});
    axes = attrInts(n, "axes", {});
  }
  const size_t r = xs.size();
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back((int64_t)i);
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    return unsupported("starts, ends, axes and steps differ in length");
  std::vector<int64_t> b(r, 0), e(r, 0), st(r, 1);
  int32_t beginMask = 0, endMask = 0;
  for (size_t i = 0; i < r; ++i) {
    beginMask |= 1 << i;
    endMask |= 1 << i;
  }
  for (size_t i = 0; i < starts.size(); ++i) {
    int64_t a = axes[i] < 0 ? axes[i] + (int64_t)r : axes[i];
    if (a < 0 || a >= (int64_t)r) return unsupported("axis out of range");
    const int64_t dim = xs[(size_t)a], step = steps[i];
    if (step == 0) return unsupported("step 0");
    // ONNX clamping, then TFLite's positive indices.
    auto norm = [&](int64_t v, bool isEnd) {
      if (v < 0) v += dim;
      if (step > 0) return std::clamp<int64_t>(v, 0, dim);
      return std::clamp<int64_t>(v, isEnd ? -1 : 0, dim - 1);
    };
    const int64_t s0 = norm(starts[i], false), e0 = norm(ends[i], true);
    b[(size_t)a] = s0;
    e[(size_t)a] = e0;
    st[(size_t)a] = step;
    beginMask &= ~(1 << a);
    endMask &= ~(1 << a);
    if (step < 0 && e0 == -1) endMask |= 1 << a;
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  int32_t bt = int32Const(n.name + "/begin", b);
  int32_t et = int32Const(n.name + "/end", e);
  int32_t stt = int32Const(n.name + "/strides", st);
  OutPlan o = sameParamsOut(yt, def(xt).quant);
  EDGEC_TRY(op(BO::STRIDED_SLICE, {xt, bt, et, stt}, {o.write}, inType(n),
               BOpt::StridedSliceOptions,
               fb::CreateStridedSliceOptions(w.fbb, beginMask, endMask).Union()));
  finishOut(o);
  return Status::ok();
}

Status SubgraphWriter::gather(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  int64_t axis = attrInt(n, "axis", 0);
  if (axis < 0) axis += (int64_t)xs.size();
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  int32_t it;
  const Value *iv = resolve(n.input(1));
  if (iv->constant) {
    // Negative indices are ONNX-only: normalize them.
    std::vector<int64_t> idx = iv->constant->toInt64Vector();
    Tensor t(DataType::Int32, iv->constant->shape());
    for (size_t i = 0; i < idx.size(); ++i)
      t.data<int32_t>()[i] = (int32_t)(idx[i] < 0 ? idx[i] + xs[(size_t)axis] : idx[i]);
    EDGEC_ASSIGN_OR_RETURN(it, constTensor(iv->name, t, std::nullopt));
  } else {
    EDGEC_ASSIGN_OR_RETURN(it, in(n, 1));
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  OutPlan o = sameParamsOut(yt, def(xt).quant);
  EDGEC_TRY(op(n.opType == "GatherND" ? BO::GATHER_ND : BO::GATHER, {xt, it}, {o.write},
               inType(n), n.opType == "GatherND" ? BOpt::NONE : BOpt::GatherOptions,
               n.opType == "GatherND" ? Offset<void>()
                                      : fb::CreateGatherOptions(w.fbb, (int32_t)axis).Union()));
  finishOut(o);
  return Status::ok();
}

Status SubgraphWriter::split(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  int64_t axis = attrInt(n, "axis", 0);
  if (axis < 0) axis += (int64_t)xs.size();
  std::vector<int64_t> sizes;
  for (const Value *o : n.outputs) {
    if (!o) return unsupported("omitted output");
    EDGEC_ASSIGN_OR_RETURN(TensorShape os, shapeOf(o));
    sizes.push_back(os[(size_t)axis]);
  }
  bool equal = true;
  for (int64_t s : sizes) equal = equal && s == sizes[0];
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  std::vector<int32_t> outs;
  for (size_t i = 0; i < n.outputs.size(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(int32_t t, out(n, i));
    if (def(t).quant && def(xt).quant && !(*def(t).quant == *def(xt).quant))
      return unsupported("quantized Split with differing parameters");
    outs.push_back(t);
  }
  int32_t at = int32Const(n.name + "/axis", {axis}, true);
  if (equal)
    return op(BO::SPLIT, {at, xt}, outs, inType(n), BOpt::SplitOptions,
              fb::CreateSplitOptions(w.fbb, (int32_t)outs.size()).Union());
  int32_t st = int32Const(n.name + "/size_splits", sizes);
  return op(BO::SPLIT_V, {xt, st, at}, outs, inType(n), BOpt::SplitVOptions,
            fb::CreateSplitVOptions(w.fbb, (int32_t)outs.size()).Union());
}

Status SubgraphWriter::reduce(const Node &n, BO code) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  std::vector<int64_t> axes;
  if (n.input(1)) {
    EDGEC_ASSIGN_OR_RETURN(axes, constIntsInput(n, 1, "axes"));
  } else {
    axes = attrInts(n, "axes", {});
  }
  if (axes.empty()) {
    if (attrInt(n, "noop_with_empty_axes", 0)) return identity(n);
    for (size_t i = 0; i < xs.size(); ++i) axes.push_back((int64_t)i);
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  int32_t at = int32Const(n.name + "/axes", axes);
  const bool movement = code == BO::REDUCE_MAX || code == BO::REDUCE_MIN;
  OutPlan o = movement ? sameParamsOut(yt, def(xt).quant) : OutPlan{yt, yt};
  EDGEC_TRY(op(code, {xt, at}, {o.write}, inType(n), BOpt::ReducerOptions,
               fb::CreateReducerOptions(w.fbb, attrInt(n, "keepdims", 1) != 0).Union()));
  finishOut(o);
  return Status::ok();
}

Status SubgraphWriter::argMinMax(const Node &n, BO code) {
  if (attrInt(n, "select_last_index", 0)) return unsupported("select_last_index");
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  int64_t axis = attrInt(n, "axis", 0);
  if (axis < 0) axis += (int64_t)xs.size();
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  int32_t at = int32Const(n.name + "/axis", {axis});
  const bool keep = attrInt(n, "keepdims", 1) != 0;
  TensorShape rs;
  for (size_t i = 0; i < xs.size(); ++i)
    if ((int64_t)i != axis) rs.push_back(xs[i]);
  int32_t r = keep ? temp(def(yt).name + "/reduced", outType(n), rs, std::nullopt) : yt;
  auto ft = fbType(outType(n)).value_or(fb::TensorType::INT64);
  if (code == BO::ARG_MAX)
    EDGEC_TRY(op(code, {xt, at}, {r}, inType(n), BOpt::ArgMaxOptions,
                 fb::CreateArgMaxOptions(w.fbb, ft).Union()));
  else
    EDGEC_TRY(op(code, {xt, at}, {r}, inType(n), BOpt::ArgMinOptions,
                 fb::CreateArgMinOptions(w.fbb, ft).Union()));
  if (!keep) return Status::ok();
  TensorShape ys = shapeOfTensor(yt);
  std::vector<int32_t> ns(def(yt).shape);
  int32_t st = int32Const(n.name + "/shape", ys);
  return op(BO::RESHAPE, {r, st}, {yt}, outType(n), BOpt::ReshapeOptions,
            fb::CreateReshapeOptionsDirect(w.fbb, &ns).Union());
}

Status SubgraphWriter::softmax(const Node &n, bool log) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  const int64_t r = (int64_t)xs.size();
  int64_t axis = attrInt(n, "axis", n.opsetVersion >= 13 ? -1 : 1);
  if (axis < 0) axis += r;
  if (axis != r - 1) {
    // Before opset 13 the op flattens from `axis`; that is the last axis
    // only when every later dim is... the last one.
    int64_t inner = 1;
    for (int64_t i = axis + 1; i < r; ++i) inner *= xs[(size_t)i];
    if (n.opsetVersion >= 13 || inner != 1 || axis > r - 1)
      return unsupported("softmax over an axis other than the last");
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  int32_t write = yt;
  if (def(yt).quant && (outType(n) == DataType::Int8 || outType(n) == DataType::UInt8)) {
    QuantParams fixed;
    const bool s8 = outType(n) == DataType::Int8;
    fixed.scale = {log ? 16.0f / 256 : 1.0f / 256};
    fixed.zeroPoint = {log ? (s8 ? 127 : 255) : (s8 ? -128 : 0)};
    if (!(*def(yt).quant == fixed))
      write = temp(def(yt).name + "/fixed", outType(n), shapeOfTensor(yt), fixed);
  }
  if (log)
    EDGEC_TRY(op(BO::LOG_SOFTMAX, {xt}, {write}, inType(n), BOpt::LogSoftmaxOptions,
                 fb::CreateLogSoftmaxOptions(w.fbb).Union()));
  else
    EDGEC_TRY(op(BO::SOFTMAX, {xt}, {write}, inType(n), BOpt::SoftmaxOptions,
                 fb::CreateSoftmaxOptions(w.fbb, 1.0f).Union()));
  if (write != yt)
    EDGEC_TRY(op(BO::QUANTIZE, {write}, {yt}, outType(n), BOpt::QuantizeOptions,
                 fb::CreateQuantizeOptions(w.fbb).Union()));
  return Status::ok();
}

/// The quantization parameters a QuantizeLinear/DequantizeLinear node
/// carries as constant inputs.
std::optional<QuantParams> qdqParams(const Node &n, int64_t rank) {
  const Value *s = n.input(1), *z = n.input(2);
  if (!s || !s->constant) return std::nullopt;
  QuantParams q;
  for (double v : s->constant->toDoubleVector()) q.scale.push_back((float)v);
  if (z && z->constant) q.zeroPoint = z->constant->toInt64Vector();
  else q.zeroPoint.assign(q.scale.size(), 0);
  if (q.scale.size() > 1) {
    int64_t a = attrInt(n, "axis", 1);
    q.axis = (int)(a < 0 ? a + rank : a);
  }
  return q;
}

Status SubgraphWriter::quantizeLinear(const Node &n) {
  const Value *x = n.input(0);
  const Value *y = n.outputs[0];
  EDGEC_ASSIGN_OR_RETURN(TensorShape ys, shapeOf(y));
  std::optional<QuantParams> q = y->quant ? y->quant : qdqParams(n, (int64_t)ys.size());
  if (!q) return unsupported("non-constant quantization parameters");
  if (!isFloatType(x->type.dtype))
    return unsupported("QuantizeLinear of a non-float input");
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  tensors[(size_t)yt].quant = q;
  return op(BO::QUANTIZE, {xt}, {yt}, outType(n), BOpt::QuantizeOptions,
            fb::CreateQuantizeOptions(w.fbb).Union());
}

Status SubgraphWriter::dequantizeLinear(const Node &n) {
  const Value *x = resolve(n.input(0));
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(x));
  std::optional<QuantParams> q = x->quant ? x->quant : qdqParams(n, (int64_t)xs.size());
  if (!q) return unsupported("non-constant quantization parameters");
  int32_t xt;
  if (x->constant && !x->quant) {
    EDGEC_ASSIGN_OR_RETURN(xt, constTensor(x->name, *x->constant, q));
  } else {
    EDGEC_ASSIGN_OR_RETURN(xt, in(n, 0));
    if (!def(xt).quant) tensors[(size_t)xt].quant = q;
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  return op(BO::DEQUANTIZE, {xt}, {yt}, x->type.dtype, BOpt::DequantizeOptions,
            fb::CreateDequantizeOptions(w.fbb).Union());
}

Status SubgraphWriter::identity(const Node &n) {
  const Value *x = n.input(0);
  const Value *y = n.outputs[0];
  if (!x || !y) return unsupported("missing input or output");
  const bool requant = y->quant && x->quant && !(*y->quant == *x->quant);
  if (!requant && !g.isGraphOutput(y) && !x->isGraphInput()) {
    alias[y] = x;
    return Status::ok();
  }
  // A graph output (or a requantization) needs an operator.
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  if (requant)
    return op(BO::QUANTIZE, {xt}, {yt}, y->type.dtype, BOpt::QuantizeOptions,
              fb::CreateQuantizeOptions(w.fbb).Union());
  std::vector<int32_t> ns(def(yt).shape);
  std::vector<int64_t> s(ns.begin(), ns.end());
  int32_t st = int32Const(n.name + "/shape", s);
  return op(BO::RESHAPE, {xt, st}, {yt}, y->type.dtype, BOpt::ReshapeOptions,
            fb::CreateReshapeOptionsDirect(w.fbb, &ns).Union());
}

Status SubgraphWriter::cast(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  return op(BO::CAST, {xt}, {yt}, inType(n), BOpt::CastOptions,
            fb::CreateCastOptions(w.fbb, def(xt).type, def(yt).type).Union());
}

Status SubgraphWriter::broadcastLike(const Node &n, BO code) {
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> v, constIntsInput(n, 1, code == BO::TILE ? "repeats" : "shape"));
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  if (code == BO::BROADCAST_TO) {
    v.clear();
    for (int32_t d : def(yt).shape) v.push_back(d);
  }
  int32_t st = int32Const(n.name + (code == BO::TILE ? "/multiples" : "/shape"), v);
  return op(code, {xt, st}, {yt}, inType(n));
}

Status SubgraphWriter::resize(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  EDGEC_ASSIGN_OR_RETURN(TensorShape ys, shapeOf(n.outputs[0]));
  if (xs.size() != 4 || xs[0] != ys[0] || xs[3] != ys[3])
    return unsupported("only resizing H and W of an NHWC tensor is written");
  const std::string mode = attrStr(n, "mode", "nearest");
  const std::string ct = attrStr(n, "coordinate_transformation_mode", "half_pixel");
  const std::string nm = attrStr(n, "nearest_mode", "round_prefer_floor");
  bool align = false, half = false;
  if (mode == "linear") {
    if (ct == "align_corners") align = true;
    else if (ct == "half_pixel" || ct == "pytorch_half_pixel") half = true;
    else if (ct != "asymmetric") return unsupported("coordinate_transformation_mode " + ct);
  } else if (mode == "nearest") {
    if (ct == "asymmetric" && nm == "floor") {
    } else if (ct == "tf_half_pixel_for_nn" && nm == "round_prefer_ceil") {
      half = true;
    } else if (ct == "align_corners" && nm == "round_prefer_ceil") {
      align = true;
    } else {
      return unsupported("nearest resize with " + ct + " / " + nm);
    }
  } else {
    return unsupported("resize mode " + mode);
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  int32_t st = int32Const(n.name + "/size", {ys[1], ys[2]});
  if (mode == "linear")
    return op(BO::RESIZE_BILINEAR, {xt, st}, {yt}, inType(n), BOpt::ResizeBilinearOptions,
              fb::CreateResizeBilinearOptions(w.fbb, align, half).Union());
  OutPlan o = sameParamsOut(yt, def(xt).quant);
  EDGEC_TRY(op(BO::RESIZE_NEAREST_NEIGHBOR, {xt, st}, {o.write}, inType(n),
               BOpt::ResizeNearestNeighborOptions,
               fb::CreateResizeNearestNeighborOptions(w.fbb, align, half).Union()));
  finishOut(o);
  return Status::ok();
}

Status SubgraphWriter::sqrt(const Node &n) {
  const Value *y = n.outputs[0];
  std::vector<Node *> users = g.usersOf(y);
  if (users.size() == 1 && users[0]->opType == "Reciprocal" && users[0]->domain.empty() &&
      !g.isGraphOutput(y) && !isQuantizedNode(n) && !hasFusedActivation(n)) {
    deferredSqrt[y] = n.input(0);
    return Status::ok();
  }
  return unaryOp(n, BO::SQRT);
}

Status SubgraphWriter::reciprocal(const Node &n) {
  if (isQuantizedNode(n)) return unsupported("quantized Reciprocal");
  auto it = deferredSqrt.find(n.input(0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  if (it != deferredSqrt.end()) {
    EDGEC_ASSIGN_OR_RETURN(int32_t xt, tensorOf(it->second));
    return op(BO::RSQRT, {xt}, {yt}, inType(n));
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t one, scalarLike(n.name + "/one", 1.0f, inType(n), std::nullopt));
  return op(BO::DIV, {one, xt}, {yt}, inType(n), BOpt::DivOptions,
            fb::CreateDivOptions(w.fbb).Union());
}

Expected<int32_t> SubgraphWriter::body(const Graph &b, const std::vector<const Value *> &caps) {
  const size_t index = w.subgraphs.size();
  w.subgraphs.push_back(Offset<fb::SubGraph>());
  SubgraphWriter sw(w, b, caps);
  EDGEC_TRY(sw.run());
  for (const std::string &p : sw.problems) problems.push_back("in subgraph '" + b.name + "': " + p);
  if (!sw.problems.empty()) return unsupported("its subgraph '" + b.name + "' cannot be written");
  w.subgraphs[index] = sw.finish();
  return (int32_t)index;
}

Status SubgraphWriter::ifNode(const Node &n) {
  const Attribute *t = n.attr("then_branch"), *e = n.attr("else_branch");
  if (!t || !e || !t->g || !e->g) return unsupported("If without branches");
  std::vector<const Value *> caps;
  collectCaptures(*t->g, *t->g, caps);
  collectCaptures(*e->g, *e->g, caps);
  EDGEC_ASSIGN_OR_RETURN(int32_t ct, in(n, 0));
  std::vector<int32_t> ins{ct};
  for (const Value *v : caps) {
    EDGEC_ASSIGN_OR_RETURN(int32_t x, tensorOf(v));
    ins.push_back(x);
  }
  std::vector<int32_t> outs;
  for (size_t i = 0; i < n.outputs.size(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(int32_t o, out(n, i));
    outs.push_back(o);
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t ti, body(*t->g, caps));
  EDGEC_ASSIGN_OR_RETURN(int32_t ei, body(*e->g, caps));
  return op(BO::IF, ins, outs, DataType::Float32, BOpt::IfOptions,
            fb::CreateIfOptions(w.fbb, ti, ei).Union());
}

// ---------------------------------------------------------------------------
// The table

const std::map<std::string, SubgraphWriter::Fn> &SubgraphWriter::table() {
  using W = SubgraphWriter;
  auto un = [](BO code) {
    return [code](W &w, const Node &n) { return w.unaryOp(n, code); };
  };
  auto bin = [](BO code) {
    return [code](W &w, const Node &n) { return w.binary(n, code); };
  };
  static const std::map<std::string, Fn> t = {
      {"Conv", [](W &w, const Node &n) { return w.conv(n); }},
      {"ConvTranspose", [](W &w, const Node &n) { return w.convTranspose(n); }},
      {"MaxPool", [](W &w, const Node &n) { return w.pool(n); }},
      {"AveragePool", [](W &w, const Node &n) { return w.pool(n); }},
      {"LpPool", [](W &w, const Node &n) { return w.pool(n); }},
      {"GlobalAveragePool", [](W &w, const Node &n) { return w.globalPool(n); }},
      {"GlobalMaxPool", [](W &w, const Node &n) { return w.globalPool(n); }},
      {"LRN", [](W &w, const Node &n) { return w.lrn(n); }},
      {"DepthToSpace", [](W &w, const Node &n) { return w.spaceDepth(n, true); }},
      {"SpaceToDepth", [](W &w, const Node &n) { return w.spaceDepth(n, false); }},
      {"BatchNormalization", [](W &w, const Node &n) { return w.batchNorm(n); }},
      {"Gemm", [](W &w, const Node &n) { return w.gemm(n); }},
      {"MatMul", [](W &w, const Node &n) { return w.matmul(n); }},
      {"Add", [](W &w, const Node &n) { return w.binaryAct(n, BO::ADD); }},
      {"Sub", [](W &w, const Node &n) { return w.binaryAct(n, BO::SUB); }},
      {"Mul", [](W &w, const Node &n) { return w.binaryAct(n, BO::MUL); }},
      {"Div", [](W &w, const Node &n) { return w.binaryAct(n, BO::DIV); }},
      {"Max", bin(BO::MAXIMUM)},
      {"Min", bin(BO::MINIMUM)},
      {"Pow", bin(BO::POW)},
      {"Greater", bin(BO::GREATER)},
      {"GreaterOrEqual", bin(BO::GREATER_EQUAL)},
      {"Less", bin(BO::LESS)},
      {"LessOrEqual", bin(BO::LESS_EQUAL)},
      {"Equal", bin(BO::EQUAL)},
      {"And", bin(BO::LOGICAL_AND)},
      {"Or", bin(BO::LOGICAL_OR)},
      {"PRelu", bin(BO::PRELU)},
      {"Where", [](W &w, const Node &n) { return w.where(n); }},
      {"Sigmoid", un(BO::LOGISTIC)},
      {"Tanh", un(BO::TANH)},
      {"Relu", un(BO::RELU)},
      {"Elu", un(BO::ELU)},
      {"Exp", un(BO::EXP)},
      {"Log", un(BO::LOG)},
      {"Abs", un(BO::ABS)},
      {"Neg", un(BO::NEG)},
      {"Floor", un(BO::FLOOR)},
      {"Ceil", un(BO::CEIL)},
      {"Round", un(BO::ROUND)},
      {"Sin", un(BO::SIN)},
      {"Cos", un(BO::COS)},
      {"Sign", un(BO::SIGN)},
      {"Not", un(BO::LOGICAL_NOT)},
      {"HardSwish",
       [](W &w, const Node &n) {
         return w.unaryOp(n, BO::HARD_SWISH, BOpt::HardSwishOptions,
                          fb::CreateHardSwishOptions(w.w.fbb).Union());
       }},
      {"LeakyRelu",
       [](W &w, const Node &n) {
         return w.unaryOp(n, BO::LEAKY_RELU, BOpt::LeakyReluOptions,
                          fb::CreateLeakyReluOptions(w.w.fbb, attrFloat(n, "alpha", 0.01f)).Union());
       }},
      {"Gelu",
       [](W &w, const Node &n) {
         return w.unaryOp(n, BO::GELU, BOpt::GeluOptions,
                          fb::CreateGeluOptions(w.w.fbb, attrStr(n, "approximate", "none") == "tanh")
                              .Union());
       }},
      {"HardSigmoid", [](W &w, const Node &n) { return w.hardSigmoid(n); }},
      {"Clip", [](W &w, const Node &n) { return w.clip(n); }},
      {"Reshape", [](W &w, const Node &n) { return w.reshape(n); }},
      {"Flatten", [](W &w, const Node &n) { return w.reshape(n); }},
      {"Unsqueeze", [](W &w, const Node &n) { return w.reshape(n); }},
      {"Squeeze", [](W &w, const Node &n) { return w.squeeze(n); }},
      {"Transpose", [](W &w, const Node &n) { return w.transpose(n); }},
      {"Concat", [](W &w, const Node &n) { return w.concat(n); }},
      {"Pad", [](W &w, const Node &n) { return w.pad(n); }},
      {"Slice", [](W &w, const Node &n) { return w.slice(n); }},
      {"Gather", [](W &w, const Node &n) { return w.gather(n); }},
      {"GatherND", [](W &w, const Node &n) { return w.gather(n); }},
      {"Split", [](W &w, const Node &n) { return w.split(n); }},
      {"ReduceMean", [](W &w, const Node &n) { return w.reduce(n, BO::MEAN); }},
      {"ReduceSum", [](W &w, const Node &n) { return w.reduce(n, BO::SUM); }},
      {"ReduceMax", [](W &w, const Node &n) { return w.reduce(n, BO::REDUCE_MAX); }},
      {"ReduceMin", [](W &w, const Node &n) { return w.reduce(n, BO::REDUCE_MIN); }},
      {"ReduceProd", [](W &w, const Node &n) { return w.reduce(n, BO::REDUCE_PROD); }},
      {"ArgMax", [](W &w, const Node &n) { return w.argMinMax(n, BO::ARG_MAX); }},
      {"ArgMin", [](W &w, const Node &n) { return w.argMinMax(n, BO::ARG_MIN); }},
      {"Softmax", [](W &w, const Node &n) { return w.softmax(n, false); }},
      {"LogSoftmax", [](W &w, const Node &n) { return w.softmax(n, true); }},
      {"LpNormalization", [](W &w, const Node &n) { return w.l2norm(n); }},
      {"QuantizeLinear", [](W &w, const Node &n) { return w.quantizeLinear(n); }},
      {"DequantizeLinear", [](W &w, const Node &n) { return w.dequantizeLinear(n); }},
      {"Identity", [](W &w, const Node &n) { return w.identity(n); }},
      {"Dropout", [](W &w, const Node &n) { return w.identity(n); }},
      {"Cast", [](W &w, const Node &n) { return w.cast(n); }},
      {"Tile", [](W &w, const Node &n) { return w.broadcastLike(n, BO::TILE); }},
      {"Expand", [](W &w, const Node &n) { return w.broadcastLike(n, BO::BROADCAST_TO); }},
      {"Resize", [](W &w, const Node &n) { return w.resize(n); }},
      {"If", [](W &w, const Node &n) { return w.ifNode(n); }},
      {"Reciprocal", [](W &w, const Node &n) { return w.reciprocal(n); }},
      {"Sqrt", [](W &w, const Node &n) { return w.sqrt(n); }},
  };
  return t;
}

Status SubgraphWriter::convertNode(const Node &n) {
  if (!n.domain.empty()) return unsupported("domain '" + n.domain + "' has no TFLite form");
  for (const auto &[k, a] : n.attrs)
    if (k.rfind("edgec.", 0) == 0 && k != kLayoutAttr && k.rfind(kFusedActivationAttr, 0) != 0)
      return unsupported("annotation " + k);
  if (isChannelsLast(n)) {
    static const char *const ok[] = {"Conv", "ConvTranspose", "MaxPool", "AveragePool",
                                     "LpPool", "GlobalAveragePool", "GlobalMaxPool", "LRN",
                                     "DepthToSpace", "SpaceToDepth", "BatchNormalization"};
    bool known = false;
    for (const char *o : ok) known = known || n.opType == o;
    if (!known) return unsupported("channels-last " + n.opType + " has no TFLite form");
  }
  auto it = table().find(n.opType);
  if (it == table().end()) return unsupported("no TFLite builtin operator for " + n.opType);
  if (n.opType == "Dropout" && n.outputs.size() > 1 && n.outputs[1] &&
      !g.usersOf(n.outputs[1]).empty())
    return unsupported("Dropout mask output");
  if (n.opType != "Dropout")
    for (size_t i = 1; i < n.outputs.size(); ++i)
      if (n.opType != "Split" && n.opType != "If" && n.outputs[i] && (!g.usersOf(n.outputs[i]).empty() || g.isGraphOutput(n.outputs[i])))
        return unsupported("output " + std::to_string(i) + " is used");
  return it->second(*this, n);
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
    if (n.opType == "Constant" && n.domain.empty() && n.outputs.size() == 1) {
      const Attribute *a = n.attr("value");
      if (a && a->kind == Attribute::Kind::Tensor) {
        auto t = constTensor(n.outputs[0]->name, a->t, n.outputs[0]->quant);
        if (t) tensorIds[n.outputs[0]] = *t;
        else problems.push_back(n.label() + ": " + t.error().message());
        continue;
      }
    }
    Status s = convertNode(n);
    if (!s.isOk()) problems.push_back(n.label() + ": " + s.error().message());
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
                                          o.options));
  return fb::CreateSubGraphDirect(fbb, &ts, &subgraphInputs, &subgraphOutputs, &os,
                                  g.name.empty() ? "main" : g.name.c_str());
}

} // namespace
} // namespace tflite

using namespace tflite;

namespace {

bool hasQdq(const Graph &g) {
  for (const auto &n : g.nodes())
    if (n->domain.empty() && (n->opType == "QuantizeLinear" || n->opType == "DequantizeLinear"))
      return true;
  return false;
}

bool hasChannelsFirst(const Graph &g) {
  for (const auto &n : g.nodes()) {
    const std::string &o = n->opType;
    if (n->domain.empty() && !isChannelsLast(*n) &&
        (o == "Conv" || o == "ConvTranspose" || o == "MaxPool" || o == "AveragePool" ||
         o == "GlobalAveragePool" || o == "GlobalMaxPool" || o == "BatchNormalization"))
      return true;
  }
  return false;
}

/// QuantizeLinear(Mul(x, HardSigmoid(x)))) with x = DequantizeLinear(q) (a
/// HardSwish the QDQ form keeps in float, e.g. expanded for opset < 14)
/// becomes an integer HardSwish(q): TFLite's int8 HARD_SWISH, and no float
/// island that would keep transposes inside an NHWC network.
bool foldFloatHardSwish(Graph &g) {
  bool changed = false;
  std::vector<Node *> muls;
  for (const auto &n : g.nodes())
    if (n->opType == "Mul" && n->domain.empty() && !hasFusedActivation(*n)) muls.push_back(n.get());
  for (Node *mul : muls) {
    Value *a = mul->input(0), *b = mul->input(1);
    if (!a || !b || !mul->outputs[0]) continue;
    Node *hs = b->producer();
    if (!hs || hs->opType != "HardSigmoid" || hs->input(0) != a) {
      std::swap(a, b);
      hs = b->producer();
    }
    if (!hs || hs->opType != "HardSigmoid" || hs->input(0) != a) continue;
    if (std::fabs(attrFloat(*hs, "alpha", 0.2f) - 1.0f / 6) > 1e-6f ||
        std::fabs(attrFloat(*hs, "beta", 0.5f) - 0.5f) > 1e-6f)
      continue;
    Node *dq = a->producer();
    if (!dq || dq->opType != "DequantizeLinear" || !dq->input(0) || !dq->input(0)->quant) continue;
    Value *y = mul->outputs[0];
    std::vector<Node *> users = g.usersOf(y);
    if (users.size() != 1 || users[0]->opType != "QuantizeLinear" || g.isGraphOutput(y)) continue;
    Node *q = users[0];
    Value *yq = q->outputs.empty() ? nullptr : q->outputs[0];
    if (!yq || !yq->quant || yq->type.dtype != dq->input(0)->type.dtype) continue;
    Value *xq = dq->input(0);
    g.removeNode(q);
    Node *n = g.addNode("HardSwish", {xq}, {yq}, mul->name + "/int");
    n->opsetVersion = 14;
    changed = true;
  }
  return changed;
}

} // namespace

Status prepareForTflite(Model &m, const TfliteExportOptions &o) {
  // Constant nodes become initializers (their values are read as data).
  std::vector<Node *> consts;
  for (const auto &n : m.graph->nodes())
    if (n->opType == "Constant" && n->domain.empty() && n->outputs.size() == 1 &&
        n->outputs[0] && n->attr("value") && n->attr("value")->kind == Attribute::Kind::Tensor)
      consts.push_back(n.get());
  for (Node *n : consts) {
    Value *v = n->outputs[0];
    Tensor t = n->attr("value")->t;
    m.graph->removeNode(n);
    v->constant = t;
    v->type = TensorType(t.dtype(), t.shape());
  }
  // Dynamic input dims become 1 (TFLite's default allocation); the file
  // keeps -1 for them in shape_signature.
  bool fixed = false;
  for (Value *v : m.graph->inputs) {
    if (v->constant || !v->type.hasRank) continue;
    for (Dim &d : v->type.dims)
      if (!d.isStatic()) {
        m.metadata["edgec.tflite.dynamic." + v->name] += std::to_string(&d - v->type.dims.data()) + ",";
        d = Dim::fixed(1);
        fixed = true;
      }
  }
  if (fixed) EDGEC_TRY(inferShapesWithConstants(m));
  if (o.foldQdq && hasQdq(*m.graph)) {
    PassManager pm;
    EDGEC_TRY(pm.addPassList("fold-qdq,eliminate-dead-code"));
    EDGEC_TRY(pm.run(m));
    if (foldFloatHardSwish(*m.graph)) {
      EDGEC_TRY(m.graph->sortTopologically());
      PassManager dce;
      EDGEC_TRY(dce.addPassList("eliminate-dead-code"));
      EDGEC_TRY(dce.run(m));
    }
  }
  if (o.convertLayout && hasChannelsFirst(*m.graph)) {
    // The layout stage carries the quantization parameters of integer
    // graphs onto the values it creates (transposed copies).
    PassManager pm;
    EDGEC_TRY(pm.addStage(nhwcLayoutStage()));
    EDGEC_TRY(pm.run(m));
  }
  return inferShapesWithConstants(m);
}

Expected<std::string> exportTfliteBytes(Model &m, const TfliteExportOptions &o) {
  EDGEC_TRY(prepareForTflite(m, o));
  ModelWriter w;
  w.quantizedPadAsConcat = o.quantizedPadAsConcat;
  SubgraphWriter sw(w, *m.graph);
  sw.metadata = &m.metadata;
  EDGEC_TRY(sw.run());
  if (!sw.problems.empty()) {
    std::string msg = std::to_string(sw.problems.size()) + " node" +
                      (sw.problems.size() == 1 ? "" : "s") +
                      " cannot be written as TFLite: ";
    for (size_t i = 0; i < sw.problems.size(); ++i)
      msg += (i ? "; " : "") + sw.problems[i];
    return Error(ErrorCode::Unsupported, msg);
  }
  auto sg = sw.finish();
  auto &fbb = w.fbb;
  std::vector<Offset<fb::OperatorCode>> codes;
  for (const auto &[code, version] : w.opcodes)
    codes.push_back(fb::CreateOperatorCode(
        fbb, (int8_t)std::min<int32_t>(code, (int32_t)BO::PLACEHOLDER_FOR_GREATER_OP_CODES), 0,
        version, (BO)code));
  w.subgraphs[0] = sg;
  auto model = fb::CreateModelDirect(fbb, 3, &codes, &w.subgraphs, o.description.c_str(), &w.buffers);
  fbb.Finish(model, "TFL3");
  return std::string(reinterpret_cast<const char *>(fbb.GetBufferPointer()), fbb.GetSize());
}

Status exportTfliteFile(Model &m, const std::string &path, const TfliteExportOptions &o) {
  EDGEC_ASSIGN_OR_RETURN(std::string bytes, exportTfliteBytes(m, o));
  return writeFileBytes(path, bytes);
}

} // namespace edgec
