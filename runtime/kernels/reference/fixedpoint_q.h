/*
 * Fixed-point primitives of the integer kernels, bit-exact with the
 * interpreter's lib/qmath/FixedPoint (TensorFlow Lite's reference
 * arithmetic, double-rounding build). Integer only.
 */
#ifndef EDGEC_FIXEDPOINT_Q_H
#define EDGEC_FIXEDPOINT_Q_H

#include "edgec_rt.h"

/* round(a * b / 2^31), ties up; INT32_MIN * INT32_MIN saturates. */
EC_INLINE int32_t ec_srdhm(int32_t a, int32_t b) {
  int64_t v;
  if (a == b && a == INT32_MIN) return INT32_MAX;
  v = (int64_t)a * (int64_t)b;
  v += v >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
  /* truncating division by 2^31 */
  if (v < 0) v += 0x7fffffff;
  return (int32_t)(v >> 31);
}

/* x / 2^e rounded to nearest, ties away from zero (0 <= e <= 31). */
EC_INLINE int32_t ec_rdbp(int32_t x, int32_t e) {
  int32_t mask = (int32_t)(((uint32_t)1 << e) - 1u);
  int32_t rem = x & mask;
  int32_t thr = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> e) + (rem > thr ? 1 : 0);
}

/* TFLite's MultiplyByQuantizedMultiplier (shift > 0: left). */
EC_INLINE int32_t ec_mbqm(int32_t x, int32_t m, int32_t shift) {
  int32_t left = shift > 0 ? shift : 0;
  int32_t right = shift > 0 ? 0 : -shift;
  return ec_rdbp(ec_srdhm((int32_t)((uint32_t)x << left), m), right);
}

/* x * 2^e, saturating for e > 0, rounding for e < 0 (|e| <= 31). */
EC_INLINE int32_t ec_srmbp(int32_t x, int32_t e) {
  int32_t thr;
  if (e == 0) return x;
  if (e < 0) return ec_rdbp(x, -e);
  thr = (int32_t)(((int64_t)1 << (31 - e)) - 1);
  if (x > thr) return INT32_MAX;
  if (x < -thr) return INT32_MIN;
  return (int32_t)((uint32_t)x << e);
}

EC_INLINE int32_t ec_clamp_i32(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

/* TFLite's 16x8 MultiplyByQuantizedMultiplier(int64 x, ...). */
EC_INLINE int32_t ec_mbqm64(int64_t x, int32_t m, int32_t shift) {
  int32_t reduced = m < 0x7FFF0000 ? (int32_t)(((int64_t)m + (1 << 15)) >> 16) : 0x7FFF;
  int32_t s = shift < -31 ? -31 : (shift > 7 ? 7 : shift);
  int32_t total = 15 - s;
  int64_t r = (x * reduced + ((int64_t)1 << (total - 1))) >> total;
  return (int32_t)r;
}

#endif
