#include "qmath/FixedPoint.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace edgec::qmath {

namespace {
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();

/// Two's-complement wrap of a wider result, as the int32 arithmetic of the
/// reference kernels behaves on every target they run on.
int32_t wrap32(int64_t v) { return static_cast<int32_t>(v); }
int32_t add(int32_t a, int32_t b) { return wrap32((int64_t)a + b); }
int32_t sub(int32_t a, int32_t b) { return wrap32((int64_t)a - b); }
int32_t neg(int32_t a) { return wrap32(-(int64_t)a); }
/// FixedPoint multiply: Q<a> * Q<b> -> Q<a+b>.
int32_t mul(int32_t a, int32_t b) {
  return saturatingRoundingDoublingHighMul(a, b);
}
/// Rescale<dst> of a Q<src> value.
int32_t rescale(int32_t x, int srcIntegerBits, int dstIntegerBits) {
  return saturatingRoundingMultiplyByPOT(x, srcIntegerBits - dstIntegerBits);
}
/// gemmlowp RoundingHalfSum on int32: (a + b + sign) / 2 in 64 bits.
int32_t roundingHalfSum(int32_t a, int32_t b) {
  int64_t sum = (int64_t)a + b;
  int64_t sign = sum >= 0 ? 1 : -1;
  return wrap32((sum + sign) / 2);
}

// Q0.31 constants: round(value * 2^31) (Q2.29 for the Newton-Raphson seed).
constexpr int32_t kExpMinusOneEighth = 1895147668; // exp(-1/8)
constexpr int32_t kOneThird = 715827883;           // 1/3
constexpr int32_t k48Over17 = 1515870810;          // 48/17 in Q2.29
constexpr int32_t kNeg32Over17 = -1010580540;      // -32/17 in Q2.29

/// exp(a) for a in [-1/4, 0), Q0.31: Taylor expansion around -1/8.
int32_t expOnIntervalNegQuarterTo0(int32_t a) {
  int32_t x = add(a, int32_t(1) << 28); // a + 1/8
  int32_t x2 = mul(x, x);
  int32_t x3 = mul(x2, x);
  int32_t x4 = mul(x2, x2);
  int32_t x4Over4 = saturatingRoundingMultiplyByPOT(x4, -2);
  int32_t poly = saturatingRoundingMultiplyByPOT(
      add(mul(add(x4Over4, x3), kOneThird), x2), -1);
  return add(kExpMinusOneEighth, mul(kExpMinusOneEighth, add(x, poly)));
}

/// Newton-Raphson 1 / (2 * halfDenominator) in Q2.29, three iterations.
int32_t reciprocalNewtonRaphson(int32_t halfDenominator) {
  int32_t x = add(k48Over17, mul(halfDenominator, kNeg32Over17));
  const int32_t oneQ2 = int32_t(1) << 29;
  for (int i = 0; i < 3; ++i) {
    int32_t hdx = mul(halfDenominator, x);
    int32_t oneMinus = sub(oneQ2, hdx);
    x = add(x, rescale(mul(x, oneMinus), 4, 2));
  }
  return x;
}
} // namespace

int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == b && a == kInt32Min)
    return kInt32Max;
  int64_t ab = (int64_t)a * (int64_t)b;
  int64_t nudge = ab >= 0 ? (int64_t(1) << 30) : (1 - (int64_t(1) << 30));
  // Division truncates towards zero, as in gemmlowp.
  return wrap32((ab + nudge) / (int64_t(1) << 31));
}

int16_t saturatingRoundingDoublingHighMul16(int16_t a, int16_t b) {
  constexpr int16_t kMin = std::numeric_limits<int16_t>::min();
  if (a == b && a == kMin)
    return std::numeric_limits<int16_t>::max();
  int32_t ab = (int32_t)a * (int32_t)b;
  int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return static_cast<int16_t>((ab + nudge) / (1 << 15));
}

int16_t saturatingDoublingHighMul16(int16_t a, int16_t b) {
  constexpr int16_t kMin = std::numeric_limits<int16_t>::min();
  if (a == b && a == kMin)
    return std::numeric_limits<int16_t>::max();
  int32_t ab = (int32_t)a * (int32_t)b;
  return static_cast<int16_t>(ab / (1 << 15));
}

int32_t roundingDivideByPOT(int32_t x, int exponent) {
  if (exponent <= 0)
    return x;
  exponent = std::min(exponent, 62);
  const int64_t mask = (int64_t(1) << exponent) - 1;
  const int64_t remainder = (int64_t)x & mask;
  const int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return wrap32(((int64_t)x >> exponent) + (remainder > threshold ? 1 : 0));
}

int16_t roundingDivideByPOT16(int16_t x, int exponent) {
  // The int16 specialisation computes the same rounded quotient.
  return static_cast<int16_t>(roundingDivideByPOT(x, exponent));
}

int32_t saturatingRoundingMultiplyByPOT(int32_t x, int exponent) {
  if (exponent == 0)
    return x;
  if (exponent < 0)
    return roundingDivideByPOT(x, std::min(-exponent, 31));
  exponent = std::min(exponent, 31);
  const int32_t threshold = (int32_t)((int64_t(1) << (31 - exponent)) - 1);
  if (x > threshold)
    return kInt32Max;
  if (x < -threshold)
    return kInt32Min;
  return wrap32((int64_t)x * (int64_t(1) << exponent));
}

QuantizedMultiplier quantizeMultiplier(double m) {
  QuantizedMultiplier r;
  if (m == 0.0 || !std::isfinite(m))
    return r;
  int shift = 0;
  const double q = std::frexp(m, &shift);
  int64_t qFixed = (int64_t)std::round(q * (double)(int64_t(1) << 31));
  if (qFixed == (int64_t(1) << 31)) {
    qFixed /= 2;
    ++shift;
  }
  if (shift < -31) {
    shift = 0;
    qFixed = 0;
  }
  r.multiplier = (int32_t)qFixed;
  r.shift = shift;
  return r;
}

int32_t multiplyByQuantizedMultiplier(int32_t x, int32_t multiplier,
                                      int shift) {
  const int leftShift = std::clamp(shift, 0, 31);
  const int rightShift = shift > 0 ? 0 : -shift;
  const int32_t shifted = wrap32((int64_t)x * (int64_t(1) << leftShift));
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(shifted,
                                                               multiplier),
                             rightShift);
}

int32_t multiplyByQuantizedMultiplier64(int64_t x, int32_t multiplier,
                                        int shift) {
  const int32_t reduced = multiplier < 0x7FFF0000
                              ? (int32_t)(((int64_t)multiplier + (1 << 15)) >> 16)
                              : 0x7FFF;
  const int totalShift = 15 - std::clamp(shift, -31, 7);
  const __int128 round = (__int128)1 << (totalShift - 1);
  const __int128 r = ((__int128)x * reduced + round) >> totalShift;
  return static_cast<int32_t>(static_cast<int64_t>(r));
}

int32_t multiplyByQuantizedMultiplierGreaterThanOne(int32_t x,
                                                    int32_t multiplier,
                                                    int leftShift) {
  const int s = std::clamp(leftShift, 0, 31);
  return saturatingRoundingDoublingHighMul(
      wrap32((int64_t)x * (int64_t(1) << s)), multiplier);
}

int16_t downScaleInt32ToInt16Multiplier(int32_t m) {
  constexpr int32_t kRoundingOffset = 1 << 15;
  if (m >= kInt32Max - kRoundingOffset)
    return std::numeric_limits<int16_t>::max();
  return static_cast<int16_t>((m + kRoundingOffset) >> 16);
}

int32_t expOnNegativeValues(int32_t a, int integerBits) {
  integerBits = std::clamp(integerBits, 0, 6);
  const int fractionalBits = 31 - integerBits;
  const int32_t oneQuarter = int32_t(1) << (fractionalBits - 2);
  const int32_t mask = oneQuarter - 1;
  const int32_t aModQuarterMinusQuarter = sub(a & mask, oneQuarter);
  int32_t result =
      expOnIntervalNegQuarterTo0(rescale(aModQuarterMinusQuarter, integerBits, 0));
  const int32_t remainder = sub(aModQuarterMinusQuarter, a);
  // Barrel shifter: multiply by exp(-2^e) for every bit 2^e of -a above 1/4.
  struct Step {
    int exponent;
    int32_t multiplier; // round(exp(-2^exponent) * 2^31)
  };
  static constexpr Step kSteps[] = {{-2, 1672461947}, {-1, 1302514674},
                                    {0, 790015084},   {1, 290630308},
                                    {2, 39332535},    {3, 720401},
                                    {4, 242}};
  for (const Step &s : kSteps) {
    if (integerBits <= s.exponent)
      continue;
    const int shiftAmount = fractionalBits + s.exponent;
    if (remainder & (int32_t(1) << shiftAmount))
      result = mul(result, s.multiplier);
  }
  if (integerBits > 5) {
    const int32_t clampAt = -(int32_t(1) << (36 - integerBits)); // -32
    if (a < clampAt)
      result = 0;
  }
  if (a == 0)
    result = kInt32Max;
  return result;
}

int32_t oneOverOnePlusXForXIn01(int32_t a) {
  const int32_t halfDenominator = roundingHalfSum(a, kInt32Max);
  const int32_t x = reciprocalNewtonRaphson(halfDenominator);
  // ExactMulByPot<-1> (Q2 -> Q1, same raw), then Rescale<0>.
  return rescale(x, 1, 0);
}

int32_t oneMinusXOverOnePlusXForXIn01(int32_t a) {
  const int32_t halfDenominator = roundingHalfSum(a, kInt32Max);
  const int32_t x = reciprocalNewtonRaphson(halfDenominator);
  return rescale(sub(x, int32_t(1) << 29), 2, 0);
}

int32_t logistic(int32_t a, int integerBits) {
  if (a == 0)
    return int32_t(1) << 30; // 0.5
  const int32_t absInput = a > 0 ? a : neg(a);
  const int32_t positive =
      oneOverOnePlusXForXIn01(expOnNegativeValues(neg(absInput), integerBits));
  return a > 0 ? positive : sub(kInt32Max, positive);
}

int32_t tanh(int32_t a, int integerBits) {
  if (a == 0)
    return 0;
  const int32_t n = a < 0 ? a : neg(a);
  // ExactMulByPot<1>: the same raw value read with one more integer bit.
  const int32_t t =
      oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(n, integerBits + 1));
  return a < 0 ? neg(t) : t;
}

int32_t getReciprocal(int32_t x, int xIntegerDigits, int *numBitsOverUnit) {
  if (x <= 0) {
    *numBitsOverUnit = 0;
    return kInt32Max;
  }
  const int headroomPlusOne = std::countl_zero(static_cast<uint32_t>(x));
  *numBitsOverUnit = xIntegerDigits - headroomPlusOne;
  const int32_t shiftedSumMinusOne = static_cast<int32_t>(
      (static_cast<uint32_t>(x) << headroomPlusOne) - (uint32_t(1) << 31));
  return oneOverOnePlusXForXIn01(shiftedSumMinusOne);
}

int32_t calculateInputRadius(int inputIntegerBits, int inputLeftShift,
                             int totalSignedBits) {
  const double maxInputRescaled =
      std::ldexp((double)((int64_t(1) << inputIntegerBits) - 1),
                 totalSignedBits - inputIntegerBits - inputLeftShift);
  const double r = std::floor(maxInputRescaled);
  if (!(r >= 0))
    return 0;
  if (r >= (double)kInt32Max)
    return kInt32Max;
  return (int32_t)r;
}

QuantizedMultiplier preprocessSoftmaxScaling(double beta, double inputScale,
                                             int inputIntegerBits) {
  const double maxRealMultiplier = (double)((int64_t(1) << 31) - 1);
  const double real = std::min<double>(
      beta * inputScale * (double)(int64_t(1) << (31 - inputIntegerBits)),
      maxRealMultiplier);
  return quantizeMultiplier(real);
}

int32_t quantizeValue(float scale, int32_t zeroPoint, float f) {
  const float tmp = std::round(f / scale);
  if (std::isnan(tmp))
    return zeroPoint;
  int64_t q;
  if (tmp >= 2147483648.0f)
    q = kInt32Max;
  else if (tmp < -2147483648.0f)
    q = kInt32Min;
  else
    q = (int64_t)tmp;
  q += zeroPoint;
  return (int32_t)std::clamp<int64_t>(q, kInt32Min, kInt32Max);
}

QRange reluActivationRange(float scale, int32_t zeroPoint, QRange type) {
  return QRange{std::max(type.min, quantizeValue(scale, zeroPoint, 0.0f)),
                type.max};
}

QRange clipActivationRange(float scale, int32_t zeroPoint, QRange type,
                           bool hasLo, float lo, bool hasHi, float hi) {
  QRange r = type;
  if (hasLo)
    r.min = std::max(type.min, quantizeValue(scale, zeroPoint, lo));
  if (hasHi)
    r.max = std::min(type.max, quantizeValue(scale, zeroPoint, hi));
  return r;
}

int32_t quantizeRound(double v, double scale, int64_t zeroPoint, QRange type) {
  const double q = std::round(v / scale);
  if (std::isnan(q))
    return clampTo(zeroPoint, type);
  const double c = std::clamp(q, -4.0e18, 4.0e18);
  const int64_t zp = std::clamp<int64_t>(zeroPoint, -(int64_t(1) << 40),
                                         int64_t(1) << 40);
  return clampTo((int64_t)c + zp, type);
}

} // namespace edgec::qmath
