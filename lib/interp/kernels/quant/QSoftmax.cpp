// Integer Softmax: TFLite's reference quantized Softmax (softmax.h) as used
// by TensorFlow Lite Micro for int8 / uint8.
//
// Per row: the difference to the row maximum (in input units) is scaled by
// PreprocessSoftmaxScaling(beta = 1, input_scale, 5 integer bits) into
// Q5.26 and exponentiated with gemmlowp's exp_on_negative_values; the sum
// of exponentials is accumulated in Q12.19 and inverted with GetReciprocal;
// each output is exp * (1 / sum) rounded to 8 bits. Differences below
// diff_min = -CalculateInputRadius(5, left_shift) contribute nothing and
// output the type minimum.
//
// The output convention is TFLite's: scale 1/256 with zero point -128 for
// int8 (0 for uint8). Other output parameters are served by requantizing
// that result (an extra rounding TFLite never performs).
#include "interp/kernels/quant/QuantUtil.h"

#include <algorithm>
#include <cmath>

namespace edgec {
namespace {

using namespace qk;

constexpr int kScaledDiffIntegerBits = 5;
constexpr int kAccumulationIntegerBits = 12;

Status runQSoftmax(KernelContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(TensorQ xq, inputParams(ctx, 0));
  EDGEC_ASSIGN_OR_RETURN(TensorQ yq, outputParams(ctx));
  const Tensor &x = ctx.input(0);
  const DataType xt = x.dtype(), yt = outputType(ctx);
  if ((xt != DataType::Int8 && xt != DataType::UInt8) ||
      (yt != DataType::Int8 && yt != DataType::UInt8))
    return ctx.unsupported("quantized Softmax on " + typeName(xt) + " -> " +
                           typeName(yt) + " (int8/uint8 supported)");
  const int64_t rank = (int64_t)x.rank();
  const bool legacy = ctx.opset() > 0 && ctx.opset() < 13;
  int64_t axis = ctx.attrInt("axis", legacy ? 1 : -1);
  if (rank == 0) {
    if (axis != 0 && axis != -1)
      return ctx.error("axis out of range for a scalar");
  } else {
    EDGEC_ASSIGN_OR_RETURN(axis, normalizeAxis(ctx, axis, rank));
  }
  int64_t outer = 1, depth = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d) {
    const int64_t n = x.dim((size_t)d);
    if (d < axis)
      outer *= n;
    else if (d == axis || legacy)
      depth *= n;
    else
      inner *= n;
  }

  const QuantizedMultiplier m =
      qmath::preprocessSoftmaxScaling(1.0, xq.scale, kScaledDiffIntegerBits);
  if (m.shift < 0 || m.multiplier <= 0)
    return ctx.unsupported("input scale " + std::to_string(xq.scale) +
                           " is too small for the fixed-point softmax");
  const int32_t diffMin =
      -qmath::calculateInputRadius(kScaledDiffIntegerBits, m.shift);

  // TFLite's output convention in the output type.
  const QRange tr = rangeOf(yt);
  const TensorQ convention{1.0f / 256, tr.min};
  const std::vector<int32_t> xs = toInt32(x);
  std::vector<int32_t> y(xs.size());
  std::vector<int32_t> exps((size_t)depth);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t in = 0; in < inner; ++in) {
      const int64_t base = o * depth * inner + in;
      auto at = [&](int64_t c) { return (size_t)(base + c * inner); };
      int32_t maxInRow = std::numeric_limits<int32_t>::min();
      for (int64_t c = 0; c < depth; ++c)
        maxInRow = std::max(maxInRow, xs[at(c)]);
      int64_t sumOfExps = 0; // Q12.19
      for (int64_t c = 0; c < depth; ++c) {
        const int32_t diff = xs[at(c)] - maxInRow;
        if (diff >= diffMin) {
          const int32_t scaled = qmath::multiplyByQuantizedMultiplierGreaterThanOne(
              diff, m.multiplier, m.shift);
          exps[(size_t)c] =
              qmath::expOnNegativeValues(scaled, kScaledDiffIntegerBits);
          sumOfExps += qmath::saturatingRoundingMultiplyByPOT(
              exps[(size_t)c], -kAccumulationIntegerBits);
        } else {
          exps[(size_t)c] = -1; // below diff_min
        }
      }
      if (sumOfExps > std::numeric_limits<int32_t>::max())
        return ctx.unsupported("softmax row of " + std::to_string(depth) +
                               " elements overflows the Q12 accumulator");
      int numBitsOverUnit = 0;
      const int32_t shiftedScale = qmath::getReciprocal(
          (int32_t)sumOfExps, kAccumulationIntegerBits, &numBitsOverUnit);
      for (int64_t c = 0; c < depth; ++c) {
        int32_t out = tr.min;
        if (exps[(size_t)c] >= 0) {
          const int32_t unsat = qmath::roundingDivideByPOT(
              qmath::saturatingRoundingDoublingHighMul(shiftedScale,
                                                       exps[(size_t)c]),
              numBitsOverUnit + 31 - 8);
          out = qmath::clampTo((int64_t)unsat + tr.min, tr);
        }
        y[at(c)] = out;
      }
    }
  EDGEC_ASSIGN_OR_RETURN(Tensor t, fromInt32(yt, x.shape(), y));
  // TF_LITE_ENSURE_NEAR(output scale, 1/256, 0.001/256) with the fixed zero
  // point: exactly TFLite's kernel.
  if (yq.zeroPoint == convention.zeroPoint &&
      std::fabs(yq.scale - convention.scale) <= 0.001f / 256) {
    ctx.outputs[0] = std::move(t);
    return Status::ok();
  }
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0],
                         requantize(t, convention, yt, yq));
  return Status::ok();
}

} // namespace

void registerQSoftmaxKernels(KernelRegistry &r) {
  qk::addIntegerKernel(r, "Softmax", runQSoftmax);
}

} // namespace edgec
