// Unit tests for the TFLite-exact fixed-point arithmetic (qmath/FixedPoint).
//
// Expected integers are derived by hand from the published algorithms
// (gemmlowp fixedpoint.h, TFLite quantization_util / common.h); the
// transcendental spot values were evaluated with an independent
// arbitrary-precision re-implementation of the same published steps and are
// additionally checked against the exact real functions.
#include "qmath/FixedPoint.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace edgec::qmath {
namespace {

constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
constexpr int32_t kHalf = int32_t(1) << 30; // 0.5 in Q0.31

QuantizedMultiplier qm(int32_t m, int s) { return QuantizedMultiplier{m, s}; }

TEST(QuantizeMultiplierTest, PinnedValues) {
  // frexp(0.5) = 0.5 * 2^0 -> round(0.5 * 2^31) = 2^30.
  EXPECT_EQ(quantizeMultiplier(0.5), qm(1073741824, 0));
  EXPECT_EQ(quantizeMultiplier(0.75), qm(1610612736, 0));
  // 1.0 = 0.5 * 2^1.
  EXPECT_EQ(quantizeMultiplier(1.0), qm(1073741824, 1));
  EXPECT_EQ(quantizeMultiplier(3.0), qm(1610612736, 2));
  // 1e-6 = 0.524288 * 2^-19; 0.524288 * 2^31 = 1125899906.84.
  EXPECT_EQ(quantizeMultiplier(1e-6), qm(1125899907, -19));
  // 1.9999 = 0.99995 * 2^1; 0.99995 * 2^31 = 2147376273.82.
  EXPECT_EQ(quantizeMultiplier(1.9999), qm(2147376274, 1));
  // 0.1 = 0.8 * 2^-3; 0.8 * 2^31 = 1717986918.4.
  EXPECT_EQ(quantizeMultiplier(0.1), qm(1717986918, -3));
  // 2^-31 = 0.5 * 2^-30, 2^-32 = 0.5 * 2^-31 (the last shift kept).
  EXPECT_EQ(quantizeMultiplier(std::ldexp(1.0, -31)), qm(kHalf, -30));
  EXPECT_EQ(quantizeMultiplier(std::ldexp(1.0, -32)), qm(kHalf, -31));
  // Shift -32 and below flush to zero.
  EXPECT_EQ(quantizeMultiplier(std::ldexp(1.0, -33)), qm(0, 0));
  EXPECT_EQ(quantizeMultiplier(1e-12), qm(0, 0));
  EXPECT_EQ(quantizeMultiplier(0.0), qm(0, 0));
}

TEST(QuantizeMultiplierTest, RoundingUpToTwoToThe31Renormalizes) {
  // q = 1 - 2^-33: q * 2^31 = 2^31 - 0.25 rounds to 2^31, which does not fit:
  // the multiplier is halved and the shift incremented.
  EXPECT_EQ(quantizeMultiplier(1.0 - std::ldexp(1.0, -33)), qm(kHalf, 1));
  EXPECT_EQ(quantizeMultiplier(2.0 - std::ldexp(1.0, -32)), qm(kHalf, 2));
  // Just below the rounding boundary stays.
  EXPECT_EQ(quantizeMultiplier(1.0 - std::ldexp(1.0, -31)), qm(kMax, 0));
}

TEST(QuantizeMultiplierTest, NegativeAndNonFinite) {
  EXPECT_EQ(quantizeMultiplier(-0.5), qm(-kHalf, 0));
  EXPECT_EQ(quantizeMultiplier(std::nan("")), qm(0, 0));
  EXPECT_EQ(quantizeMultiplier(INFINITY), qm(0, 0));
  EXPECT_FALSE(multiplierUsable(quantizeMultiplier(std::ldexp(1.0, 31))));
  EXPECT_TRUE(multiplierUsable(quantizeMultiplier(1000.0)));
}

TEST(SaturatingRoundingDoublingHighMulTest, RoundsHalfUpAndSaturates) {
  // 1 * 0.5 = 0.5 -> 1 ; -1 * 0.5 = -0.5 -> 0 (ties towards +inf).
  EXPECT_EQ(saturatingRoundingDoublingHighMul(1, kHalf), 1);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-1, kHalf), 0);
  // 3 * 0.5 = 1.5 -> 2 ; -3 * 0.5 = -1.5 -> -1.
  EXPECT_EQ(saturatingRoundingDoublingHighMul(3, kHalf), 2);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-3, kHalf), -1);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kMin, kMin), kMax);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kMax, kMax), 2147483646);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kMin, kMax), -2147483647);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(0, kMin), 0);
}

TEST(RoundingDivideByPOTTest, TiesAwayFromZero) {
  EXPECT_EQ(roundingDivideByPOT(5, 1), 3);   // 2.5
  EXPECT_EQ(roundingDivideByPOT(-5, 1), -3); // -2.5
  EXPECT_EQ(roundingDivideByPOT(6, 2), 2);   // 1.5
  EXPECT_EQ(roundingDivideByPOT(-6, 2), -2); // -1.5
  EXPECT_EQ(roundingDivideByPOT(7, 2), 2);   // 1.75
  EXPECT_EQ(roundingDivideByPOT(-7, 2), -2);
  EXPECT_EQ(roundingDivideByPOT(5, 2), 1);   // 1.25
  EXPECT_EQ(roundingDivideByPOT(-5, 2), -1);
  EXPECT_EQ(roundingDivideByPOT(-1, 1), -1); // -0.5
  EXPECT_EQ(roundingDivideByPOT(1, 1), 1);
  EXPECT_EQ(roundingDivideByPOT(42, 0), 42);
  EXPECT_EQ(roundingDivideByPOT(kMax, 31), 1);
  EXPECT_EQ(roundingDivideByPOT(kMin, 31), -1);
  EXPECT_EQ(roundingDivideByPOT(kMin, 40), 0);
  EXPECT_EQ(roundingDivideByPOT16(-3, 1), -2);
  EXPECT_EQ(roundingDivideByPOT16(32767, 15), 1);
}

TEST(SaturatingRoundingMultiplyByPOTTest, ShiftsAndSaturates) {
  EXPECT_EQ(saturatingRoundingMultiplyByPOT(3, 2), 12);
  EXPECT_EQ(saturatingRoundingMultiplyByPOT(-3, 2), -12);
  EXPECT_EQ(saturatingRoundingMultiplyByPOT(int32_t(1) << 29, 2), kMax);
  EXPECT_EQ(saturatingRoundingMultiplyByPOT(-(int32_t(1) << 29), 2), kMin);
  EXPECT_EQ(saturatingRoundingMultiplyByPOT((int32_t(1) << 29) - 1, 2),
            2147483644);
  EXPECT_EQ(saturatingRoundingMultiplyByPOT(6, -2), 2);
}

TEST(MultiplyByQuantizedMultiplierTest, DoubleRoundingTies) {
  // 2 * 0.25: SRDHM gives 1 exactly, the right shift rounds 0.5 away -> 1.
  EXPECT_EQ(multiplyByQuantizedMultiplier(2, kHalf, -1), 1);
  // -2 * 0.25: SRDHM(-2, 0.5) = -1, then -0.5 rounds away -> -1.
  EXPECT_EQ(multiplyByQuantizedMultiplier(-2, kHalf, -1), -1);
  // -1 * 0.5 (no right shift): only SRDHM's tie, towards +inf -> 0.
  EXPECT_EQ(multiplyByQuantizedMultiplier(-1, kHalf, 0), 0);
  EXPECT_EQ(multiplyByQuantizedMultiplier(1, kHalf, 0), 1);
  // -0.75 -> -1 ; -0.25 -> 0.
  EXPECT_EQ(multiplyByQuantizedMultiplier(-6, kHalf, -2), -1);
  EXPECT_EQ(multiplyByQuantizedMultiplier(-4, kHalf, -3), 0);
  // Double rounding: 1 * 0.375 rounds to 1 (1.25 -> 1, then 0.5 -> 1) where
  // a single rounding would give 0.
  EXPECT_EQ(multiplyByQuantizedMultiplier(1, 3 << 29, -1), 1);
  // Left shift: 3 * 2.0 with multiplier 0.5, shift 2.
  EXPECT_EQ(multiplyByQuantizedMultiplier(3, kHalf, 2), 6);
  // 1000 * 0.1 via QuantizeMultiplier(0.1).
  EXPECT_EQ(multiplyByQuantizedMultiplier(1000, quantizeMultiplier(0.1)), 100);
  EXPECT_EQ(multiplyByQuantizedMultiplier(-1005, quantizeMultiplier(0.1)),
            -101); // -100.5 away from zero
}

TEST(MultiplyByQuantizedMultiplierTest, Saturation) {
  EXPECT_EQ(multiplyByQuantizedMultiplier(kMin, kMin, 0), kMax);
  EXPECT_EQ(multiplyByQuantizedMultiplier(kMin, kMin, -1), int32_t(1) << 30);
  EXPECT_EQ(multiplyByQuantizedMultiplier(kMax, kMax, 0), 2147483646);
  EXPECT_EQ(multiplyByQuantizedMultiplier(kMin, kMax, -31), -1);
}

TEST(MultiplyByQuantizedMultiplier64Test, ReducedMultiplier) {
  // m = 0.5 reduces to 2^14; (x * 2^14 + 2^14) >> 15: ties towards +inf.
  EXPECT_EQ(multiplyByQuantizedMultiplier64(1000, kHalf, 0), 500);
  EXPECT_EQ(multiplyByQuantizedMultiplier64(1, kHalf, 0), 1);
  EXPECT_EQ(multiplyByQuantizedMultiplier64(-1, kHalf, 0), 0);
  EXPECT_EQ(multiplyByQuantizedMultiplier64(-3, kHalf, 0), -1);
  EXPECT_EQ(multiplyByQuantizedMultiplier64(int64_t(1) << 40, kHalf, -20),
            int32_t(1) << 19);
  // Multipliers >= 0x7FFF0000 reduce to 0x7FFF.
  EXPECT_EQ(multiplyByQuantizedMultiplier64(32768, kMax, 0), 32767);
  EXPECT_TRUE(int64MultiplyInContract((int64_t(1) << 47) - 1));
  EXPECT_FALSE(int64MultiplyInContract(int64_t(1) << 47));
  EXPECT_TRUE(multiplier64Usable(qm(kHalf, 7)));
  EXPECT_FALSE(multiplier64Usable(qm(kHalf, 8)));
}

TEST(MultiplierHelpersTest, GreaterThanOneAndDownScale) {
  EXPECT_EQ(multiplyByQuantizedMultiplierGreaterThanOne(3, kHalf, 3), 12);
  EXPECT_EQ(downScaleInt32ToInt16Multiplier(kHalf), 16384);
  EXPECT_EQ(downScaleInt32ToInt16Multiplier((int32_t(1) << 30) + 32768),
            16385);
  EXPECT_EQ(downScaleInt32ToInt16Multiplier(kMax - 10), 32767);
  EXPECT_EQ(saturatingRoundingDoublingHighMul16(-32768, -32768), 32767);
  EXPECT_EQ(saturatingRoundingDoublingHighMul16(1, 16384), 1);
  EXPECT_EQ(saturatingRoundingDoublingHighMul16(-1, 16384), 0);
  EXPECT_EQ(saturatingDoublingHighMul16(3, 16384), 1); // 1.5 truncated
  EXPECT_EQ(saturatingDoublingHighMul16(-3, 16384), -1);
}

double q31(int32_t v) { return std::ldexp((double)v, -31); }

TEST(FixedPointFunctionsTest, ExpOnNegativeValues) {
  EXPECT_EQ(expOnNegativeValues(0, 5), kMax);
  // Q5.26 inputs -1/8, -1/2, -1, -8 (pinned; the Taylor/barrel-shifter
  // approximation is within 2e-7 of the real exp).
  EXPECT_EQ(expOnNegativeValues(-(1 << 23), 5), 1895147668);
  EXPECT_EQ(expOnNegativeValues(-(1 << 25), 5), 1302515042);
  EXPECT_EQ(expOnNegativeValues(-(1 << 26), 5), 790015308);
  EXPECT_EQ(expOnNegativeValues(-(8 << 26), 5), 720401);
  for (double a : {-0.01, -0.3, -1.7, -4.2, -9.9, -20.0, -31.0}) {
    int32_t raw = (int32_t)std::lround(a * (1 << 26));
    EXPECT_NEAR(q31(expOnNegativeValues(raw, 5)), std::exp(a), 5e-7) << a;
  }
}

TEST(FixedPointFunctionsTest, LogisticTanhReciprocal) {
  EXPECT_EQ(logistic(0, 4), kHalf);
  EXPECT_EQ(logistic(1 << 27, 4), 1569936226);       // logistic(1)
  EXPECT_EQ(logistic(-(2 << 27), 4), 255986385);     // logistic(-2)
  EXPECT_EQ(tanh(0, 4), 0);
  EXPECT_EQ(tanh(1 << 26, 4), 992388804);            // tanh(0.5)
  EXPECT_EQ(tanh(-(1 << 27), 4), -1635510876);       // tanh(-1)
  EXPECT_EQ(oneOverOnePlusXForXIn01(kHalf), 1431655762); // 1 / 1.5
  for (double a : {-7.9, -3.3, -0.6, 0.2, 1.1, 5.5, 7.9}) {
    int32_t raw = (int32_t)std::lround(a * (1 << 27));
    EXPECT_NEAR(q31(logistic(raw, 4)), 1 / (1 + std::exp(-a)), 1e-6) << a;
    EXPECT_NEAR(q31(tanh(raw, 4)), std::tanh(a), 1e-6) << a;
  }
  int bits = -1;
  // 1.0 in Q12.19 -> reciprocal ~1.0 with no extra bits.
  EXPECT_EQ(getReciprocal(1 << 19, 12, &bits), kMax);
  EXPECT_EQ(bits, 0);
  // 3.0 = 1.5 * 2^1 -> 1 / 1.5 with one bit over unit.
  EXPECT_EQ(getReciprocal(3 << 19, 12, &bits), 1431655762);
  EXPECT_EQ(bits, 1);
}

TEST(FixedPointFunctionsTest, InputRadiusAndSoftmaxScaling) {
  // (2^5 - 1) * 2^26 / 2^ls.
  EXPECT_EQ(calculateInputRadius(5, 26), 31);
  EXPECT_EQ(calculateInputRadius(5, 20), 31 * 64);
  EXPECT_EQ(calculateInputRadius(4, 23), 240);
  EXPECT_EQ(calculateInputRadius(4, -10), kMax);
  // beta 1, scale 0.1: 0.1 * 2^26 = 0.8 * 2^23.
  EXPECT_EQ(preprocessSoftmaxScaling(1.0, 0.1, 5), qm(1717986918, 23));
  // Capped at 2^31 - 1 for huge input scales.
  EXPECT_EQ(preprocessSoftmaxScaling(1.0, 1e6, 5).shift, 31);
}

TEST(QuantizeValueTest, ActivationRanges) {
  QRange i8{-128, 127};
  EXPECT_EQ(quantizeValue(0.5f, 3, 1.25f), 6);  // round(2.5) = 3 (away)
  EXPECT_EQ(quantizeValue(0.5f, 3, -1.25f), 0); // round(-2.5) = -3
  EXPECT_EQ(quantizeValue(1e-30f, 0, 1e30f), kMax);
  QRange relu = reluActivationRange(0.1f, -20, i8);
  EXPECT_EQ(relu.min, -20);
  EXPECT_EQ(relu.max, 127);
  EXPECT_EQ(reluActivationRange(0.1f, -128, i8).min, -128);
  EXPECT_EQ(reluActivationRange(0.1f, 127, i8).min, 127);
  // Relu6 with scale 0.05, zp -100: [-100, -100 + 120 = 20].
  QRange r6 = clipActivationRange(0.05f, -100, i8, true, 0.0f, true, 6.0f);
  EXPECT_EQ(r6.min, -100);
  EXPECT_EQ(r6.max, 20);
  // Bounds beyond the type clamp to it.
  QRange wide = clipActivationRange(0.01f, 0, i8, true, -100.0f, true, 100.0f);
  EXPECT_EQ(wide.min, -128);
  EXPECT_EQ(wide.max, 127);
  QRange none = clipActivationRange(0.01f, 0, i8, false, 0, false, 0);
  EXPECT_EQ(none.min, -128);
  EXPECT_EQ(none.max, 127);
}

TEST(QuantizeValueTest, QuantizeRoundHalfAwayFromZero) {
  QRange i8{-128, 127};
  EXPECT_EQ(quantizeRound(0.25, 0.5, 0, i8), 1);   // 0.5 -> 1
  EXPECT_EQ(quantizeRound(-0.25, 0.5, 0, i8), -1); // -0.5 -> -1
  EXPECT_EQ(quantizeRound(0.75, 0.5, 0, i8), 2);   // 1.5 -> 2
  EXPECT_EQ(quantizeRound(1000.0, 0.5, 0, i8), 127);
  EXPECT_EQ(quantizeRound(-1e300, 1e-300, 5, i8), -128);
  EXPECT_EQ(quantizeRound(std::nan(""), 1.0, 7, i8), 7);
  EXPECT_EQ(quantizeRound(1.0, 1.0, -128, QRange{0, 255}), 0);
  EXPECT_DOUBLE_EQ(dequantize(10, 0.5, -2), 6.0);
}

} // namespace
} // namespace edgec::qmath
