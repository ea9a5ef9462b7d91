// Fixed-point arithmetic of integer (quantized) inference, bit-exact with
// TensorFlow Lite's reference kernels in their default "double rounding"
// build (TFLITE_SINGLE_ROUNDING off), which is also what TensorFlow Lite
// Micro's reference kernels compute.
//
// A real multiplier M is represented as a Q0.31 `multiplier` in [2^30, 2^31)
// and a power-of-two `shift` (M = multiplier * 2^(shift - 31)); applying it
// to an integer x is a rounding doubling high multiply followed by a
// rounding right shift (two roundings, as in gemmlowp).
//
// Every function is total: out-of-contract arguments give a defined result
// (documented per function) instead of undefined behaviour, so callers may
// pass values derived from user data after validating only what changes the
// meaning of the result. Kernels use the `*Usable` predicates to reject
// parameters TFLite would reject or compute with undefined behaviour.
#pragma once

#include <cstdint>
#include <limits>

namespace edgec::qmath {

//===----------------------------------------------------------------------===//
// Integer primitives (gemmlowp semantics)
//===----------------------------------------------------------------------===//

/// round(a * b / 2^31), ties rounded up (towards +inf), saturating the single
/// overflow case INT32_MIN * INT32_MIN to INT32_MAX. gemmlowp's
/// SaturatingRoundingDoublingHighMul (the ARM SQRDMULH instruction).
int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b);
/// The 16-bit variant: round(a * b / 2^15), INT16_MIN^2 -> INT16_MAX.
int16_t saturatingRoundingDoublingHighMul16(int16_t a, int16_t b);
/// Like the 16-bit variant but truncating towards zero (ARM SQDMULH); used
/// by TFLite's HardSwish.
int16_t saturatingDoublingHighMul16(int16_t a, int16_t b);

/// x / 2^exponent rounded to nearest, ties away from zero (gemmlowp's
/// RoundingDivideByPOT). exponent <= 0 returns x; exponents above 31 (which
/// gemmlowp does not define) round the exact quotient the same way.
int32_t roundingDivideByPOT(int32_t x, int exponent);
/// The same on a 16-bit value (gemmlowp's int16 specialisation).
int16_t roundingDivideByPOT16(int16_t x, int exponent);

/// x * 2^exponent: a saturating left shift for exponent > 0, a rounding
/// right shift (roundingDivideByPOT) for exponent < 0. gemmlowp's
/// SaturatingRoundingMultiplyByPOT. |exponent| is clamped to 31.
int32_t saturatingRoundingMultiplyByPOT(int32_t x, int exponent);

//===----------------------------------------------------------------------===//
// Quantized multipliers
//===----------------------------------------------------------------------===//

struct QuantizedMultiplier {
  int32_t multiplier = 0; ///< Q0.31 significand, |m| in [2^30, 2^31) or 0
  int shift = 0;          ///< power of two; > 0 shifts left
  bool operator==(const QuantizedMultiplier &o) const {
    return multiplier == o.multiplier && shift == o.shift;
  }
};

/// TFLite's QuantizeMultiplier: frexp() the double into q * 2^shift with
/// q in [0.5, 1), multiplier = round(q * 2^31) (half away from zero); the
/// case round(...) == 2^31 halves the multiplier and increments the shift;
/// shifts below -31 (|m| < ~2^-32) flush to {0, 0}. Zero and non-finite
/// inputs give {0, 0} (callers reject non-finite scales first).
QuantizedMultiplier quantizeMultiplier(double m);

/// True when x * m can be applied by multiplyByQuantizedMultiplier without
/// the left shift overflowing its contract (shift <= 30, i.e. m < 2^30).
inline bool multiplierUsable(const QuantizedMultiplier &q) {
  return q.shift <= 30;
}

/// TFLite's reference MultiplyByQuantizedMultiplier(int32 x, ...):
/// RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x * 2^left, m),
/// right). The left shift wraps modulo 2^32 like the int32 multiply TFLite
/// performs (callers keep x * 2^left within int32); shifts above 31 are
/// clamped to 31.
int32_t multiplyByQuantizedMultiplier(int32_t x, int32_t multiplier,
                                      int shift);
inline int32_t multiplyByQuantizedMultiplier(int32_t x,
                                             const QuantizedMultiplier &q) {
  return multiplyByQuantizedMultiplier(x, q.multiplier, q.shift);
}

/// TFLite's MultiplyByQuantizedMultiplier(int64 x, ...) of the 16x8 kernels:
/// the multiplier reduced to 16 bits (round((m + 2^15) >> 16), capped at
/// 0x7FFF), then (x * reduced + 2^(14 - shift)) >> (15 - shift), truncated
/// to int32. TFLite's contract is shift in [-31, 7], m >= 0 and
/// |x| < 2^47; see int64MultiplyInContract. Outside it the computation is
/// still defined (128-bit intermediate, shift clamped into [-31, 7]).
int32_t multiplyByQuantizedMultiplier64(int64_t x, int32_t multiplier,
                                        int shift);
inline int32_t multiplyByQuantizedMultiplier64(int64_t x,
                                               const QuantizedMultiplier &q) {
  return multiplyByQuantizedMultiplier64(x, q.multiplier, q.shift);
}
/// The 16x8 contract: m >= 0, shift in [-31, 7].
inline bool multiplier64Usable(const QuantizedMultiplier &q) {
  return q.multiplier >= 0 && q.shift >= -31 && q.shift < 8;
}
/// |x| < 2^47, the accumulator range of the 16x8 kernels.
inline bool int64MultiplyInContract(int64_t x) {
  return x >= -(int64_t(1) << 47) && x < (int64_t(1) << 47);
}

/// TFLite's MultiplyByQuantizedMultiplierGreaterThanOne:
/// SaturatingRoundingDoublingHighMul(x * 2^leftShift, m), the left shift
/// wrapping modulo 2^32 (leftShift clamped to [0, 31]).
int32_t multiplyByQuantizedMultiplierGreaterThanOne(int32_t x,
                                                    int32_t multiplier,
                                                    int leftShift);

/// TFLite's DownScaleInt32ToInt16Multiplier: (m + 2^15) >> 16, saturating
/// to INT16_MAX near the top of the range.
int16_t downScaleInt32ToInt16Multiplier(int32_t m);

//===----------------------------------------------------------------------===//
// Fixed-point transcendental functions (gemmlowp/fixedpoint.h semantics)
//===----------------------------------------------------------------------===//
//
// Values are raw int32 with `integerBits` integer bits (Q<ib>.<31-ib>).
// Results are Q0.31.

/// exp(a) for a <= 0 given in Q<integerBits> (integerBits in [0, 6]);
/// exp(0) is the Q0.31 maximum (0x7fffffff).
int32_t expOnNegativeValues(int32_t a, int integerBits);
/// 1 / (1 + x) for x in [0, 1), Q0.31 in and out (Newton-Raphson).
int32_t oneOverOnePlusXForXIn01(int32_t a);
/// (1 - x) / (1 + x) for x in [0, 1), Q0.31 in and out.
int32_t oneMinusXOverOnePlusXForXIn01(int32_t a);
/// logistic(a) = 1 / (1 + exp(-a)), a in Q<integerBits>.
int32_t logistic(int32_t a, int integerBits);
/// tanh(a), a in Q<integerBits> (integerBits <= 5).
int32_t tanh(int32_t a, int integerBits);
/// TFLite's GetReciprocal: 1 / x for a positive Q<xIntegerDigits> x, as a
/// Q0.31 value scaled by 2^-numBitsOverUnit (returned through the pointer).
int32_t getReciprocal(int32_t x, int xIntegerDigits, int *numBitsOverUnit);

/// TFLite's CalculateInputRadius: the largest |input| (in input units after
/// the left shift) below the saturation point of a Q<inputIntegerBits>
/// representation; clamped to [0, INT32_MAX].
int32_t calculateInputRadius(int inputIntegerBits, int inputLeftShift,
                             int totalSignedBits = 31);

/// TFLite's PreprocessSoftmaxScaling (double-rounding build): multiplier of
/// beta * inputScale * 2^(31 - inputIntegerBits), capped at 2^31 - 1.
QuantizedMultiplier preprocessSoftmaxScaling(double beta, double inputScale,
                                             int inputIntegerBits);

//===----------------------------------------------------------------------===//
// Quantization of real values and activation ranges
//===----------------------------------------------------------------------===//

/// Inclusive value range of a quantized integer type.
struct QRange {
  int32_t min = std::numeric_limits<int8_t>::min();
  int32_t max = std::numeric_limits<int8_t>::max();
};

/// TFLite's Quantize (kernel_util.h): zeroPoint + round(f / scale) with the
/// division and std::round in float. TFLite rejects results outside int32;
/// here they saturate (so infinite clip bounds work). NaN gives zeroPoint.
int32_t quantizeValue(float scale, int32_t zeroPoint, float f);

/// CalculateActivationRangeQuantized for a Relu: [max(qmin, Q(0)), qmax].
QRange reluActivationRange(float scale, int32_t zeroPoint, QRange type);
/// The range of a clip to [lo, hi] (either may be absent: hasLo / hasHi):
/// [max(qmin, Q(lo)), min(qmax, Q(hi))], the Relu6 / ReluN1To1 rule of
/// CalculateActivationRangeQuantized applied to arbitrary bounds.
QRange clipActivationRange(float scale, int32_t zeroPoint, QRange type,
                           bool hasLo, float lo, bool hasHi, float hi);

/// clamp(zeroPoint + round(v / scale), qmin, qmax) with std::round (half
/// away from zero) in double: how TFLite's converter quantizes constants.
/// NaN maps to the zero point.
int32_t quantizeRound(double v, double scale, int64_t zeroPoint, QRange type);
/// scale * (q - zeroPoint).
inline double dequantize(int64_t q, double scale, int64_t zeroPoint) {
  return scale * (double)(q - zeroPoint);
}

inline int32_t clampTo(int64_t v, QRange r) {
  return v < r.min ? r.min : v > r.max ? r.max : (int32_t)v;
}

} // namespace edgec::qmath
