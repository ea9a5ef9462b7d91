// Integer Add, Sub, Mul, Max and Min with numpy broadcasting.
//
// Add / Sub: TFLite's general quantized path (reference add.h / sub.h,
// PrepareGeneralSubOp): both inputs are offset by their zero points, shifted
// left by 20 (15 for an int16 output), rescaled to a common scale of
// 2 * max(s1, s2) with QuantizeMultiplierSmallerThanOneExp multipliers
// s_i / (2 * max), added or subtracted, and rescaled to the output by
// 2 * max / (2^left_shift * s_out).
//
// Mul: reference_integer_ops::Mul: the product of the offset inputs times
// QuantizeMultiplier(double(s1) * double(s2) / double(s_out)).
#include "interp/kernels/quant/QuantUtil.h"

#include <algorithm>

namespace edgec {
namespace {

using namespace qk;

struct Binary {
  TensorQ q1, q2, yq;
  DataType yt = DataType::Int8;
  TensorShape outShape;
  int64_t count = 0;
};

Expected<Binary> prepareBinary(KernelContext &ctx) {
  Binary b;
  EDGEC_ASSIGN_OR_RETURN(b.q1, inputParams(ctx, 0));
  EDGEC_ASSIGN_OR_RETURN(b.q2, inputParams(ctx, 1));
  EDGEC_ASSIGN_OR_RETURN(b.yq, outputParams(ctx));
  b.yt = outputType(ctx);
  if (b.yt == DataType::Int32)
    return ctx.unsupported("quantized " + ctx.node().opType +
                           " with an int32 output");
  EDGEC_ASSIGN_OR_RETURN(
      b.outShape, broadcastShapes(ctx, ctx.input(0).shape(), ctx.input(1).shape()));
  EDGEC_ASSIGN_OR_RETURN(b.count,
                         checkedNumElements(b.outShape, int64_t(1) << 31));
  return b;
}

Status runAddSub(KernelContext &ctx, bool subtract) {
  EDGEC_ASSIGN_OR_RETURN(Binary b, prepareBinary(ctx));
  const int leftShift = b.yt == DataType::Int16 ? 15 : 20;
  // The shifted offset inputs must stay within int32, as TFLite assumes.
  for (size_t i = 0; i < 2; ++i) {
    QRange r = rangeOf(ctx.input(i).dtype());
    if (((int64_t)r.max - r.min) << leftShift >
        std::numeric_limits<int32_t>::max())
      return ctx.unsupported("quantized " + ctx.node().opType + " of " +
                             typeName(ctx.input(i).dtype()) + " into " +
                             typeName(b.yt) + " overflows the " +
                             std::to_string(leftShift) + "-bit input shift");
  }
  const double twiceMax = 2 * (double)std::max(b.q1.scale, b.q2.scale);
  const double real1 = (double)b.q1.scale / twiceMax;
  const double real2 = (double)b.q2.scale / twiceMax;
  const double realOut =
      twiceMax / ((double)(int64_t(1) << leftShift) * (double)b.yq.scale);
  if (!(realOut < 1.0))
    return ctx.unsupported("output scale " + std::to_string(b.yq.scale) +
                           " is too small for the input scales (the output "
                           "rescaling factor must be below 1)");
  QuantizedMultiplier m1 = qmath::quantizeMultiplier(real1);
  QuantizedMultiplier m2 = qmath::quantizeMultiplier(real2);
  QuantizedMultiplier mo = qmath::quantizeMultiplier(realOut);
  const std::vector<int32_t> x1 = toInt32(ctx.input(0)),
                             x2 = toInt32(ctx.input(1));
  BroadcastIndexer i1(ctx.input(0).shape(), b.outShape),
      i2(ctx.input(1).shape(), b.outShape);
  const QRange yr = rangeOf(b.yt);
  std::vector<int32_t> y((size_t)b.count);
  for (size_t o = 0; o < y.size(); ++o) {
    const int32_t v1 = x1[(size_t)i1.map((int64_t)o)] - b.q1.zeroPoint;
    const int32_t v2 = x2[(size_t)i2.map((int64_t)o)] - b.q2.zeroPoint;
    const int32_t s1 = qmath::multiplyByQuantizedMultiplier(
        v1 * (int32_t(1) << leftShift), m1);
    const int32_t s2 = qmath::multiplyByQuantizedMultiplier(
        v2 * (int32_t(1) << leftShift), m2);
    const int32_t raw = subtract ? s1 - s2 : s1 + s2;
    const int64_t out =
        (int64_t)qmath::multiplyByQuantizedMultiplier(raw, mo) +
        b.yq.zeroPoint;
    y[o] = qmath::clampTo(out, yr);
  }
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], fromInt32(b.yt, b.outShape, y));
  return Status::ok();
}

Status runMul(KernelContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(Binary b, prepareBinary(ctx));
  const double real =
      (double)b.q1.scale * (double)b.q2.scale / (double)b.yq.scale;
  EDGEC_ASSIGN_OR_RETURN(QuantizedMultiplier m,
                         qmath::requantMultiplier(real, "output"));
  const std::vector<int32_t> x1 = toInt32(ctx.input(0)),
                             x2 = toInt32(ctx.input(1));
  BroadcastIndexer i1(ctx.input(0).shape(), b.outShape),
      i2(ctx.input(1).shape(), b.outShape);
  const QRange yr = rangeOf(b.yt);
  std::vector<int32_t> y((size_t)b.count);
  for (size_t o = 0; o < y.size(); ++o) {
    const int64_t p =
        (int64_t)(x1[(size_t)i1.map((int64_t)o)] - b.q1.zeroPoint) *
        (x2[(size_t)i2.map((int64_t)o)] - b.q2.zeroPoint);
    if (p < std::numeric_limits<int32_t>::min() ||
        p > std::numeric_limits<int32_t>::max())
      return ctx.error("product of the offset inputs overflows int32",
                       ErrorCode::Runtime);
    const int64_t out =
        (int64_t)qmath::multiplyByQuantizedMultiplier((int32_t)p, m) +
        b.yq.zeroPoint;
    y[o] = qmath::clampTo(out, yr);
  }
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], fromInt32(b.yt, b.outShape, y));
  return Status::ok();
}

/// Max / Min of any number of inputs: each input is requantized to the
/// output parameters (TFLite's MAXIMUM/MINIMUM require them equal; this is
/// the same computation when they are), then compared.
Status runMinMax(KernelContext &ctx, bool isMax) {
  if (ctx.numInputs() == 0 || !ctx.hasInput(0))
    return ctx.error(ctx.node().opType + " needs at least one input");
  EDGEC_ASSIGN_OR_RETURN(TensorQ yq, outputParams(ctx));
  const DataType yt = outputType(ctx);
  TensorShape outShape = ctx.input(0).shape();
  for (size_t i = 1; i < ctx.numInputs(); ++i) {
    if (!ctx.hasInput(i)) return ctx.error("omitted input " + std::to_string(i));
    EDGEC_ASSIGN_OR_RETURN(outShape,
                           broadcastShapes(ctx, outShape, ctx.input(i).shape()));
  }
  EDGEC_ASSIGN_OR_RETURN(int64_t count,
                         checkedNumElements(outShape, int64_t(1) << 31));
  std::vector<int32_t> y((size_t)count);
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    EDGEC_TRY(requireQuantInput(ctx, i));
    EDGEC_ASSIGN_OR_RETURN(TensorQ xq, inputParams(ctx, i));
    EDGEC_ASSIGN_OR_RETURN(Tensor r, requantize(ctx.input(i), xq, yt, yq));
    const std::vector<int32_t> x = toInt32(r);
    BroadcastIndexer bi(r.shape(), outShape);
    for (size_t o = 0; o < y.size(); ++o) {
      const int32_t v = x[(size_t)bi.map((int64_t)o)];
      y[o] = i == 0 ? v : isMax ? std::max(y[o], v) : std::min(y[o], v);
    }
  }
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], fromInt32(yt, outShape, y));
  return Status::ok();
}

} // namespace

void registerQElementwiseKernels(KernelRegistry &r) {
  qk::addIntegerKernel(r, "Add",
                       [](KernelContext &c) { return runAddSub(c, false); });
  qk::addIntegerKernel(r, "Sub",
                       [](KernelContext &c) { return runAddSub(c, true); });
  qk::addIntegerKernel(r, "Mul", runMul);
  qk::addIntegerKernel(r, "Max",
                       [](KernelContext &c) { return runMinMax(c, true); });
  qk::addIntegerKernel(r, "Min",
                       [](KernelContext &c) { return runMinMax(c, false); });
}

} // namespace edgec
