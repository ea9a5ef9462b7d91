#include "qmath/KernelParams.h"

#include "ir/Annotations.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace edgec::qmath {

namespace {
std::string typeName(DataType t) { return std::string(dataTypeName(t)); }

Error modelError(const std::string &msg) {
  return Error(ErrorCode::InvalidModel, msg);
}
} // namespace

bool isQuantType(DataType t) {
  return t == DataType::Int8 || t == DataType::UInt8 || t == DataType::Int16 ||
         t == DataType::Int32;
}

QRange rangeOf(DataType t) {
  switch (t) {
  case DataType::UInt8: return {0, 255};
  case DataType::Int16: return {-32768, 32767};
  case DataType::Int32:
    return {std::numeric_limits<int32_t>::min(),
            std::numeric_limits<int32_t>::max()};
  default: return {-128, 127};
  }
}

Expected<TensorQ> perTensorParams(const Value *v, DataType dtype,
                                  const std::string &what) {
  if (!v || !v->quant)
    return modelError(what + " has no quantization parameters");
  const QuantParams &q = *v->quant;
  if (q.scale.size() != 1)
    return Error(ErrorCode::Unsupported,
                 what + " must be quantized per tensor, got " +
                     std::to_string(q.scale.size()) + " scales");
  if (q.zeroPoint.size() > 1)
    return modelError(what + " has " + std::to_string(q.zeroPoint.size()) +
                      " zero points for one scale");
  TensorQ r;
  r.scale = q.scale[0];
  if (!(r.scale > 0) || !std::isfinite(r.scale))
    return modelError(what + " has invalid scale " + std::to_string(r.scale) +
                      " (must be positive and finite)");
  int64_t zp = q.zeroPoint.empty() ? 0 : q.zeroPoint[0];
  QRange range = rangeOf(dtype);
  if (zp < range.min || zp > range.max)
    return modelError(what + " zero point " + std::to_string(zp) +
                      " is outside the " + typeName(dtype) + " range");
  r.zeroPoint = (int32_t)zp;
  return r;
}

Expected<ChannelQ> channelParams(const Value *v, DataType dtype,
                                 int64_t channels, int64_t axis,
                                 const std::string &what) {
  if (!v || !v->quant)
    return modelError(what + " has no quantization parameters");
  const QuantParams &q = *v->quant;
  ChannelQ r;
  if (q.perAxis() && q.scale.size() != 1) {
    if (q.axis != axis)
      return Error(ErrorCode::Unsupported,
                   what + " is quantized along axis " + std::to_string(q.axis) +
                       ", expected axis " + std::to_string(axis) +
                       " (output channels)");
    if ((int64_t)q.scale.size() != channels)
      return modelError(what + " has " + std::to_string(q.scale.size()) +
                        " per-channel scales for " + std::to_string(channels) +
                        " channels");
    r.perChannel = true;
  } else if (q.scale.size() != 1) {
    return modelError(what + " has " + std::to_string(q.scale.size()) +
                      " scales but no quantization axis");
  }
  if (!q.zeroPoint.empty() && q.zeroPoint.size() != q.scale.size())
    return modelError(what + " has " + std::to_string(q.zeroPoint.size()) +
                      " zero points for " + std::to_string(q.scale.size()) +
                      " scales");
  QRange range = rangeOf(dtype);
  size_t n = (size_t)std::max<int64_t>(channels, 0);
  r.scale.resize(n);
  r.zeroPoint.resize(n);
  for (size_t c = 0; c < n; ++c) {
    size_t k = r.perChannel ? c : 0;
    float s = q.scale[k];
    if (!(s > 0) || !std::isfinite(s))
      return modelError(what + " has invalid scale " + std::to_string(s) +
                        " (must be positive and finite)");
    int64_t zp = q.zeroPoint.empty() ? 0 : q.zeroPoint[k];
    if (zp < range.min || zp > range.max)
      return modelError(what + " zero point " + std::to_string(zp) +
                        " is outside the " + typeName(dtype) + " range");
    r.scale[c] = s;
    r.zeroPoint[c] = (int32_t)zp;
  }
  return r;
}

Expected<QuantizedMultiplier> requantMultiplier(double real,
                                                const std::string &what) {
  if (!(real >= 0) || !std::isfinite(real))
    return modelError(what + ": invalid rescaling factor " +
                      std::to_string(real));
  QuantizedMultiplier m = quantizeMultiplier(real);
  if (!multiplierUsable(m))
    return Error(ErrorCode::Unsupported,
                 what + ": rescaling factor " + std::to_string(real) +
                     " is too large for 32-bit fixed point");
  return m;
}

Expected<QRange> fusedActivationRange(const Node &n) {
  const Value *y = n.outputs.empty() ? nullptr : n.outputs[0];
  const DataType t = y ? y->type.dtype : DataType::Undefined;
  const QRange type = rangeOf(t);
  const Attribute *a = n.attr(kFusedActivationAttr);
  if (!a)
    return type;
  if (a->kind != Attribute::Kind::String)
    return modelError("fused activation annotation must be a string");
  if (!isQuantType(t))
    return modelError("quantized output has type " + typeName(t));
  EDGEC_ASSIGN_OR_RETURN(TensorQ out, perTensorParams(y, t, "output 0"));
  if (a->s == "Relu")
    return reluActivationRange(out.scale, out.zeroPoint, type);
  if (a->s == "Clip") {
    const std::string base = std::string(kFusedActivationAttr) + ".";
    const Attribute *lo = n.attr(base + "min"), *hi = n.attr(base + "max");
    for (const Attribute *b : {lo, hi})
      if (b && (b->kind != Attribute::Kind::Float || std::isnan(b->f)))
        return modelError("fused Clip bounds must be non-NaN floats");
    return clipActivationRange(out.scale, out.zeroPoint, type, lo != nullptr,
                               lo ? lo->f : 0.0f, hi != nullptr,
                               hi ? hi->f : 0.0f);
  }
  if (fusedLeakyReluAlpha(n)) return type; // applied by the kernel
  return Error(ErrorCode::Unsupported,
               "fused activation '" + a->s +
                   "' on a quantized node (only Relu and Clip are clamps of "
                   "the quantized range, and LeakyRelu is fused into Conv, "
                   "Gemm and MatMul only)");
}

std::optional<float> fusedLeakyReluAlpha(const Node &n) {
  const Attribute *a = n.attr(kFusedActivationAttr);
  const std::string &op = n.opType;
  if (!a || a->kind != Attribute::Kind::String || a->s != "LeakyRelu" ||
      (op != "Conv" && op != "Gemm" && op != "MatMul"))
    return std::nullopt;
  const Attribute *al = n.attr(std::string(kFusedActivationAttr) + ".alpha");
  return al && al->kind == Attribute::Kind::Float ? al->f : 0.01f;
}

Expected<std::vector<int32_t>> quantizedMean(const std::vector<int32_t> &in,
                                             const TensorShape &shape,
                                             const std::vector<bool> &reduce,
                                             TensorQ inQ, TensorQ outQ,
                                             DataType outType) {
  assert(reduce.size() == shape.size() && "quantizedMean: axis mask size");
  // Output strides over the kept dims (reduced dims get stride 0).
  const size_t r = shape.size();
  std::vector<int64_t> outStride(r, 0);
  int64_t outCount = 1, count = 1;
  for (size_t d = r; d-- > 0;) {
    if (reduce[d]) {
      count *= shape[d];
    } else {
      outStride[d] = outCount;
      outCount *= shape[d];
    }
  }
  std::vector<int64_t> sum((size_t)outCount, 0);
  std::vector<int64_t> idx(r, 0);
  for (size_t i = 0; i < in.size(); ++i) {
    int64_t o = 0;
    for (size_t d = 0; d < r; ++d)
      o += idx[d] * outStride[d];
    sum[(size_t)o] += in[i];
    for (size_t d = r; d-- > 0;) {
      if (++idx[d] < shape[d])
        break;
      idx[d] = 0;
    }
  }
  constexpr int64_t kMin = std::numeric_limits<int32_t>::min(),
                    kMax = std::numeric_limits<int32_t>::max();
  const QRange yr = rangeOf(outType);
  std::vector<int32_t> out((size_t)outCount, 0);
  if (count == 0)
    return out;
  if (inQ == outQ) {
    for (size_t o = 0; o < out.size(); ++o) {
      if (sum[o] < kMin || sum[o] > kMax)
        return Error(ErrorCode::Runtime, "mean: the int32 sum overflows");
      out[o] = clampTo(sum[o] / count, yr);
    }
    return out;
  }
  EDGEC_ASSIGN_OR_RETURN(
      QuantizedMultiplier m,
      requantMultiplier((double)inQ.scale / (double)outQ.scale, "mean"));
  // Fold 1 / count into the multiplier (QuantizedMeanOrSum).
  int shift = 63 - std::countl_zero((uint64_t)count);
  shift = std::min(shift, 32);
  shift = std::min(shift, 31 + m.shift);
  shift = std::max(shift, 0);
  const int32_t folded =
      (int32_t)(((int64_t)m.multiplier << shift) / count);
  const int foldedShift = m.shift - shift;
  for (size_t o = 0; o < out.size(); ++o) {
    const int64_t shifted = sum[o] - (int64_t)inQ.zeroPoint * count;
    if (shifted < kMin || shifted > kMax)
      return Error(ErrorCode::Runtime, "mean: the int32 sum overflows");
    const int64_t v = (int64_t)multiplyByQuantizedMultiplier(
                          (int32_t)shifted, folded, foldedShift) +
                      outQ.zeroPoint;
    out[o] = clampTo(v, yr);
  }
  return out;
}

} // namespace edgec::qmath
