// Integer activations.
//
// Relu / Clip: TFLite's ReluX (activations.cc QuantizedReluX): the input is
// rescaled by QuantizeMultiplier(s_in / s_out) and clamped to
// [max(qmin, zp + round(lo / s_out)), min(qmax, zp + round(hi / s_out))].
// LeakyRelu: TFLite's QuantizeLeakyRelu: identity and alpha multipliers
// float(s_in / s_out) and float(s_in * alpha / s_out).
// Sigmoid: reference_integer_ops::Logistic (int8; Q4.27 input through
// gemmlowp::logistic, output scale 1/256, zero point -128).
// Tanh: reference_integer_ops::Tanh (int8; Q4.27 input through
// gemmlowp::tanh, output scale 1/128, zero point 0).
// For other types or output parameters, Sigmoid and Tanh use TFLite's
// lookup-table form (PopulateLookupTable: dequantize, float function,
// quantize with std::round), which is what TFLite's optimized int8 kernels
// compute.
// HardSwish: reference hard_swish.h (16-bit fixed point, the "reluish"
// multiplier and SaturatingDoublingHighMul), any 8-bit parameters.
#include "interp/kernels/quant/QuantUtil.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace edgec {
namespace {

using namespace qk;

struct Unary {
  TensorQ xq, yq;
  DataType xt = DataType::Int8, yt = DataType::Int8;
};

Expected<Unary> prepareUnary(const KernelContext &ctx) {
  Unary u;
  EDGEC_ASSIGN_OR_RETURN(u.xq, inputParams(ctx, 0));
  EDGEC_ASSIGN_OR_RETURN(u.yq, outputParams(ctx));
  u.xt = ctx.input(0).dtype();
  u.yt = outputType(ctx);
  if (u.xt == DataType::Int32 || u.yt == DataType::Int32)
    return ctx.unsupported("quantized " + ctx.node().opType +
                           " of int32 values");
  return u;
}

Status store(KernelContext &ctx, const Unary &u, const std::vector<int32_t> &y) {
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0],
                         fromInt32(u.yt, ctx.input(0).shape(), y));
  return Status::ok();
}

/// ReluX: rescale, then clamp to [lo, hi] (in real units; absent = none).
Status reluX(KernelContext &ctx, bool hasLo, float lo, bool hasHi, float hi) {
  EDGEC_ASSIGN_OR_RETURN(Unary u, prepareUnary(ctx));
  EDGEC_ASSIGN_OR_RETURN(
      QuantizedMultiplier m,
      qmath::requantMultiplier((double)u.xq.scale / (double)u.yq.scale,
                        "output"));
  const QRange act = qmath::clipActivationRange(
      u.yq.scale, u.yq.zeroPoint, rangeOf(u.yt), hasLo, lo, hasHi, hi);
  std::vector<int32_t> y = toInt32(ctx.input(0));
  for (int32_t &v : y) {
    int64_t c = (int64_t)u.yq.zeroPoint +
                qmath::multiplyByQuantizedMultiplier(v - u.xq.zeroPoint, m);
    c = std::max<int64_t>(act.min, c);
    c = std::min<int64_t>(act.max, c);
    v = (int32_t)c;
  }
  return store(ctx, u, y);
}

Status runQRelu(KernelContext &ctx) {
  return reluX(ctx, true, 0.0f, false, 0.0f);
}

/// A Clip bound from input i: a float value, or an integer one in its own
/// (or, without parameters, the data input's) quantization.
Expected<std::optional<float>> clipBound(const KernelContext &ctx, size_t i) {
  if (!ctx.hasInput(i))
    return std::optional<float>();
  const Tensor &t = ctx.input(i);
  if (t.numElements() != 1)
    return ctx.error("Clip bound (input " + std::to_string(i) +
                         ") must be a scalar",
                     ErrorCode::InvalidInput);
  float v;
  if (isFloatType(t.dtype())) {
    v = (float)t.getDouble(0);
  } else {
    const Value *bv = ctx.node().input(i);
    const Value *ref = bv && bv->quant ? bv : ctx.node().input(0);
    EDGEC_ASSIGN_OR_RETURN(
        TensorQ q, qmath::perTensorParams(ref, bv && bv->quant ? t.dtype()
                                                             : ctx.input(0).dtype(),
                                   "Clip bound quantization"));
    v = (float)qmath::dequantize(t.getInt64(0), q.scale, q.zeroPoint);
  }
  if (std::isnan(v))
    return ctx.error("Clip bound is NaN", ErrorCode::InvalidInput);
  return std::optional<float>(v);
}

Status runQClip(KernelContext &ctx) {
  std::optional<float> lo, hi;
  if (ctx.opset() > 0 && ctx.opset() < 11) {
    if (ctx.hasAttr("min"))
      lo = ctx.attrFloat("min", 0.0f);
    if (ctx.hasAttr("max"))
      hi = ctx.attrFloat("max", 0.0f);
  } else {
    EDGEC_ASSIGN_OR_RETURN(lo, clipBound(ctx, 1));
    EDGEC_ASSIGN_OR_RETURN(hi, clipBound(ctx, 2));
  }
  return reluX(ctx, lo.has_value(), lo.value_or(0.0f), hi.has_value(),
               hi.value_or(0.0f));
}

Status runQLeakyRelu(KernelContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(Unary u, prepareUnary(ctx));
  const float alpha = ctx.attrFloat("alpha", 0.01f);
  if (!std::isfinite(alpha))
    return ctx.error("LeakyRelu alpha must be finite");
  // Float arithmetic, then widened: as TFLite's LeakyReluPrepare. A
  // negative alpha gives a negative multiplier, which the arithmetic
  // handles.
  const float alphaReal = u.xq.scale * alpha / u.yq.scale;
  const QuantizedMultiplier mAlpha = qmath::quantizeMultiplier(alphaReal);
  if (!std::isfinite(alphaReal) || !qmath::multiplierUsable(mAlpha))
    return ctx.unsupported("LeakyRelu alpha rescaling factor " +
                           std::to_string(alphaReal) + " is out of range");
  EDGEC_ASSIGN_OR_RETURN(
      QuantizedMultiplier mId,
      qmath::requantMultiplier((double)(u.xq.scale / u.yq.scale), "identity"));
  const QRange yr = rangeOf(u.yt);
  std::vector<int32_t> y = toInt32(ctx.input(0));
  for (int32_t &v : y) {
    const int32_t in = v - u.xq.zeroPoint;
    const int64_t out =
        (int64_t)u.yq.zeroPoint +
        qmath::multiplyByQuantizedMultiplier(in, in >= 0 ? mId : mAlpha);
    v = qmath::clampTo(out, yr);
  }
  return store(ctx, u, y);
}

/// TFLite's PopulateLookupTable over every input value.
Status lookupTable(KernelContext &ctx, const Unary &u,
                   const std::function<float(float)> &f) {
  const std::vector<int32_t> table =
      qmath::populateLookupTable(u.xq, u.xt, u.yq, u.yt, f);
  const int64_t lo = rangeOf(u.xt).min;
  std::vector<int32_t> y = toInt32(ctx.input(0));
  for (int32_t &v : y)
    v = table[(size_t)((int64_t)v - lo)];
  return store(ctx, u, y);
}

/// The Q4.27 input scaling of TFLite's int8 Logistic and Tanh: frexp of
/// s_in * 2^27 (without QuantizeMultiplier's fix-ups, which only matter
/// where the TFLite code would overflow).
struct Q4Input {
  int32_t multiplier = 0;
  int leftShift = 0;
  int32_t radius = 0;
};

Q4Input q4Input(float scale) {
  Q4Input r;
  constexpr int kInputIntegerBits = 4;
  const double real = (double)scale * (double)(1 << (31 - kInputIntegerBits));
  const double q = std::frexp(real, &r.leftShift);
  int64_t fixed = (int64_t)std::round(q * (double)(int64_t(1) << 31));
  if (fixed == (int64_t(1) << 31)) {
    fixed /= 2;
    ++r.leftShift;
  }
  r.multiplier = (int32_t)fixed;
  r.radius = qmath::calculateInputRadius(kInputIntegerBits, r.leftShift, 31);
  return r;
}

/// The fixed output parameters the fixed-point kernels assume (TFLite
/// checks the zero point; the scale within 0.1%, as for Softmax).
bool isConvention(TensorQ q, float scale, int32_t zeroPoint) {
  return q.zeroPoint == zeroPoint && std::fabs(q.scale - scale) <= 0.001f * scale;
}

Status runQSigmoid(KernelContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(Unary u, prepareUnary(ctx));
  if (u.xt != DataType::Int8 || u.yt != DataType::Int8 ||
      !isConvention(u.yq, 1.0f / 256, -128))
    return lookupTable(ctx, u,
                       [](float v) { return 1.0f / (1.0f + std::exp(-v)); });
  const Q4Input p = q4Input(u.xq.scale);
  if (p.leftShift > 31)
    return ctx.unsupported("input scale too large for the fixed-point "
                           "logistic");
  std::vector<int32_t> y = toInt32(ctx.input(0));
  for (int32_t &v : y) {
    const int32_t in = v - u.xq.zeroPoint;
    if (in <= -p.radius) {
      v = -128;
    } else if (in >= p.radius) {
      v = 127;
    } else {
      const int32_t q4 =
          qmath::multiplyByQuantizedMultiplier(in, p.multiplier, p.leftShift);
      const int32_t q0 = qmath::logistic(q4, 4);
      const int32_t q23 = qmath::roundingDivideByPOT(q0, 31 - 8);
      v = std::clamp(q23 - 128, -128, 127);
    }
  }
  return store(ctx, u, y);
}

Status runQTanh(KernelContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(Unary u, prepareUnary(ctx));
  if (u.xt != DataType::Int8 || u.yt != DataType::Int8 ||
      !isConvention(u.yq, 1.0f / 128, 0))
    return lookupTable(ctx, u, [](float v) { return std::tanh(v); });
  const Q4Input p = q4Input(u.xq.scale);
  if (p.leftShift > 31)
    return ctx.unsupported("input scale too large for the fixed-point tanh");
  std::vector<int32_t> y = toInt32(ctx.input(0));
  for (int32_t &v : y) {
    const int32_t in = v - u.xq.zeroPoint;
    if (in <= -p.radius) {
      v = -128;
    } else if (in >= p.radius) {
      v = 127;
    } else {
      const int32_t q4 =
          qmath::multiplyByQuantizedMultiplier(in, p.multiplier, p.leftShift);
      const int32_t q0 = qmath::tanh(q4, 4);
      v = std::clamp(qmath::roundingDivideByPOT(q0, 31 - 7), -128, 127);
    }
  }
  return store(ctx, u, y);
}

/// gemmlowp-style saturating left shift of a 16-bit value.
int16_t saturatingLeftShift16(int16_t value, int amount) {
  const int64_t r = (int64_t)value * (int64_t(1) << std::clamp(amount, 0, 31));
  return (int16_t)std::clamp<int64_t>(r, std::numeric_limits<int16_t>::min(),
                                      std::numeric_limits<int16_t>::max());
}

Status runQHardSwish(KernelContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(Unary u, prepareUnary(ctx));
  if (u.xt == DataType::Int16 || u.yt == DataType::Int16)
    return ctx.unsupported("quantized HardSwish of int16 values");
  // HardSwishPrepare: float arithmetic, then QuantizeMultiplier and the
  // reduction to 16-bit multipliers.
  const float hiresInputScale = (1.0f / 128.0f) * u.xq.scale;
  const float reluishScale = 3.0f / 32768.0f;
  const float outputMultiplier = hiresInputScale / u.yq.scale;
  const float reluishMultiplier = hiresInputScale / reluishScale;
  const QuantizedMultiplier om = qmath::quantizeMultiplier(outputMultiplier);
  const QuantizedMultiplier rm = qmath::quantizeMultiplier(reluishMultiplier);
  if (om.shift > 0)
    return ctx.unsupported("HardSwish output scale too small for the input "
                           "scale (output multiplier exponent > 0)");
  if (rm.shift > 31 || rm.shift < -31)
    return ctx.unsupported("HardSwish input scale out of range");
  const int16_t om16 = qmath::downScaleInt32ToInt16Multiplier(om.multiplier);
  const int16_t rm16 = qmath::downScaleInt32ToInt16Multiplier(rm.multiplier);
  const QRange yr = rangeOf(u.yt);
  std::vector<int32_t> y = toInt32(ctx.input(0));
  for (int32_t &v : y) {
    const int16_t in = (int16_t)(v - u.xq.zeroPoint);
    const int16_t hires = (int16_t)(in * (1 << 7));
    const int16_t preshiftOutput =
        qmath::saturatingRoundingDoublingHighMul16(hires, om16);
    int16_t reluish = hires;
    if (rm.shift > 0)
      reluish = saturatingLeftShift16(reluish, rm.shift - 1);
    reluish = qmath::saturatingRoundingDoublingHighMul16(reluish, rm16);
    if (rm.shift > 0)
      reluish = saturatingLeftShift16(reluish, 1);
    if (rm.shift < 0)
      reluish = qmath::roundingDivideByPOT16(reluish, -rm.shift);
    reluish = (int16_t)((reluish + (1 << 15)) >> 1);
    const int16_t preshift =
        qmath::saturatingDoublingHighMul16(reluish, preshiftOutput);
    // int16 arithmetic (wrapping) up to the final clamp, as the reference.
    const int16_t out = (int16_t)(qmath::roundingDivideByPOT16(preshift,
                                                                -om.shift) +
                                  u.yq.zeroPoint);
    v = qmath::clampTo(out, yr);
  }
  return store(ctx, u, y);
}

} // namespace

void registerQActivationsKernels(KernelRegistry &r) {
  qk::addIntegerKernel(r, "Relu", runQRelu);
  qk::addIntegerKernel(r, "Clip", runQClip);
  qk::addIntegerKernel(r, "LeakyRelu", runQLeakyRelu);
  qk::addIntegerKernel(r, "Sigmoid", runQSigmoid);
  qk::addIntegerKernel(r, "Tanh", runQTanh);
  qk::addIntegerKernel(r, "HardSwish", runQHardSwish);
}

} // namespace edgec
