// Helpers shared by the integer (int8 / int16) lowerings (Lower*S8.cpp):
// quantization parameters read from the node's Values exactly as the
// interpreter's integer kernels read them (interp/kernels/quant), fused
// activation ranges, per-channel multiplier arrays, and value tables
// computed by running the interpreter's own kernel at compile time.
// The other Lower*S8.cpp files declare what they use (no shared header).
#include "interp/Interpreter.h"
#include "qmath/KernelParams.h"
#include "targets/mcu/lower/Lowering.h"

#include <cmath>

namespace edgec::mcu::s8 {

using qmath::QRange;
using qmath::QuantizedMultiplier;

QRange typeRange(DataType t) { return qmath::rangeOf(t); }

/// Per-tensor parameters of v (validated like qmath::perTensorParams).
Expected<qmath::TensorQ> tensorQ(const Value *v, const std::string &what) {
  if (!v || !v->quant) return Error(ErrorCode::Unsupported, what + " has no quantization parameters");
  const QuantParams &q = *v->quant;
  if (q.scale.size() != 1) return Error(ErrorCode::Unsupported, what + " is not quantized per tensor");
  qmath::TensorQ r;
  r.scale = q.scale[0];
  if (!(r.scale > 0) || !std::isfinite(r.scale))
    return Error(ErrorCode::Unsupported, what + " has an invalid scale");
  int64_t zp = q.zeroPoint.empty() ? 0 : q.zeroPoint[0];
  QRange range = typeRange(v->type.dtype);
  if (zp < range.min || zp > range.max) return Error(ErrorCode::Unsupported, what + " zero point out of range");
  r.zeroPoint = int32_t(zp);
  return r;
}

/// Per-channel weight parameters (as qmath::channelParams).
Expected<qmath::ChannelQ> channelQ(const Value *v, int64_t channels, int64_t axis) {
  if (!v || !v->quant) return Error(ErrorCode::Unsupported, "weights have no quantization parameters");
  const QuantParams &q = *v->quant;
  qmath::ChannelQ r;
  if (q.perAxis() && q.scale.size() != 1) {
    if (q.axis != axis || int64_t(q.scale.size()) != channels)
      return Error(ErrorCode::Unsupported, "weights quantized along an unexpected axis");
    r.perChannel = true;
  } else if (q.scale.size() != 1) {
    return Error(ErrorCode::Unsupported, "weights have several scales but no axis");
  }
  for (int64_t c = 0; c < channels; ++c) {
    size_t k = r.perChannel ? size_t(c) : 0;
    float s = q.scale[k];
    if (!(s > 0) || !std::isfinite(s)) return Error(ErrorCode::Unsupported, "invalid weight scale");
    r.scale.push_back(s);
    r.zeroPoint.push_back(q.zeroPoint.empty() ? 0 : int32_t(q.zeroPoint[k < q.zeroPoint.size() ? k : 0]));
  }
  return r;
}

/// The fused activation of n as a clamp of the quantized output range
/// (qmath::fusedActivationRange); LeakyRelu on Conv/Gemm/MatMul keeps the
/// type range (the kernel applies it), other activations are errors.
Expected<QRange> fusedRange(const Node &n) {
  const Value *ov = n.outputs.at(0);
  QRange type = typeRange(ov->type.dtype);
  const Attribute *a = n.attr(kFusedActivationAttr);
  if (!a) return type;
  if (a->kind != Attribute::Kind::String) return Error(ErrorCode::Unsupported, "bad fused activation");
  EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ out, tensorQ(ov, "output 0"));
  if (a->s == "Relu") return qmath::reluActivationRange(out.scale, out.zeroPoint, type);
  if (a->s == "Clip") {
    const std::string base = std::string(kFusedActivationAttr) + ".";
    const Attribute *lo = n.attr(base + "min"), *hi = n.attr(base + "max");
    return qmath::clipActivationRange(out.scale, out.zeroPoint, type, lo != nullptr,
                                      lo ? lo->f : 0.0f, hi != nullptr, hi ? hi->f : 0.0f);
  }
  if (a->s == "LeakyRelu" && (n.opType == "Conv" || n.opType == "Gemm" || n.opType == "MatMul"))
    return type;
  return Error(ErrorCode::Unsupported, "fused activation '" + a->s + "' on a quantized node");
}

std::optional<float> leakyAlpha(const Node &n) {
  const Attribute *a = n.attr(kFusedActivationAttr);
  if (!a || a->kind != Attribute::Kind::String || a->s != "LeakyRelu" ||
      (n.opType != "Conv" && n.opType != "Gemm" && n.opType != "MatMul"))
    return std::nullopt;
  const Attribute *al = n.attr(std::string(kFusedActivationAttr) + ".alpha");
  return al && al->kind == Attribute::Kind::Float ? al->f : 0.01f;
}

/// qmath::requantMultiplier without a kernel context.
Expected<QuantizedMultiplier> requantMultiplier(double real, const std::string &what) {
  if (!(real >= 0) || !std::isfinite(real))
    return Error(ErrorCode::Unsupported, what + ": invalid rescaling factor");
  QuantizedMultiplier m = qmath::quantizeMultiplier(real);
  if (!qmath::multiplierUsable(m))
    return Error(ErrorCode::Unsupported, what + ": rescaling factor too large");
  return m;
}

/// Runs node n on the reference interpreter with the given inputs (input
/// 0 replaced; the others are the node's constants) and returns output 0.
Expected<Tensor> runInterpreter(const Node &n, const Tensor &in0) {
  static const Model model;
  Interpreter interp(model);
  std::vector<const Tensor *> ins;
  ins.push_back(&in0);
  for (size_t i = 1; i < n.inputs.size(); ++i) {
    const Value *v = n.inputs[i];
    if (!v) {
      ins.push_back(nullptr);
      continue;
    }
    if (!v->constant) return Error(ErrorCode::Unsupported, "input " + std::to_string(i) + " is not a constant");
    ins.push_back(&*v->constant);
  }
  EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> outs, interp.runNode(n, ins));
  if (outs.empty()) return Error(ErrorCode::Internal, "no output");
  return outs[0];
}

/// The table y = f(x) of an elementwise unary integer node over every value
/// of its input type (int8/uint8: 256 entries, int16: 65536), computed by
/// the interpreter's own kernel; entry x - min(type).
Expected<Tensor> unaryTable(const Node &n) {
  const Value *iv = n.inputs.at(0);
  DataType xt = iv->type.dtype;
  QRange r = typeRange(xt);
  int64_t count = int64_t(r.max) - r.min + 1;
  if (xt != DataType::Int8 && xt != DataType::UInt8 && xt != DataType::Int16)
    return Error(ErrorCode::Unsupported, "table of a non 8/16-bit input");
  TensorShape shape{1, 1, 1, count};
  Tensor x(xt, shape);
  for (int64_t i = 0; i < count; ++i) x.setInt64(i, r.min + i);
  EDGEC_ASSIGN_OR_RETURN(Tensor y, runInterpreter(n, x));
  if (y.numElements() != count) return Error(ErrorCode::Unsupported, "not elementwise");
  return y;
}

/// A requantization table int8 -> int8 (TFLite's Requantize) for inQ -> outQ.
Expected<std::vector<int8_t>> requantTableS8(qmath::TensorQ inQ, qmath::TensorQ outQ, QRange clamp) {
  EDGEC_ASSIGN_OR_RETURN(QuantizedMultiplier m,
                         requantMultiplier((double)inQ.scale / (double)outQ.scale, "requantization"));
  std::vector<int8_t> t(256);
  for (int v = -128; v < 128; ++v) {
    int64_t o = (int64_t)qmath::multiplyByQuantizedMultiplier(v - inQ.zeroPoint, m) + outQ.zeroPoint;
    int32_t c = qmath::clampTo(o, {-128, 127});
    c = std::min(std::max(c, clamp.min), clamp.max);
    t[size_t(v + 128)] = int8_t(c);
  }
  return t;
}

bool isS8(const Value *v) { return v && v->type.dtype == DataType::Int8 && v->quant; }

/// Call the Cortex-M DSP kernel variants (runtime/kernels/cortexm/): optimized
/// kernels are on and the core has the DSP extension, or the host, where
/// their plain-C emulation runs.
bool useDsp(LowerContext &ctx) {
  return ctx.options().optimizedKernels &&
         (ctx.cpu().dsp || std::string(ctx.cpu().name) == "host");
}

std::string ptrOr0(const std::string &id) { return id.empty() ? "0" : id; }

} // namespace edgec::mcu::s8
