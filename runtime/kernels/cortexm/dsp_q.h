/*
 * The DSP-extension primitives the optimized integer kernels use (SXTB16,
 * SMLAD, SMLABB, SMLATT), as instructions on cores with the extension and
 * as bit-identical plain C elsewhere (so the same kernels run on the host).
 */
#ifndef EDGEC_DSP_Q_H
#define EDGEC_DSP_Q_H

#include "edgec_rt.h"

#include <string.h>

EC_INLINE uint32_t ec_ld32(const int8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
/* bytes 0 and 2, sign-extended to two halfwords */
EC_INLINE uint32_t ec_sxtb16(uint32_t x) {
  uint32_t r;
  __asm__("sxtb16 %0, %1" : "=r"(r) : "r"(x));
  return r;
}
/* bytes 1 and 3 */
EC_INLINE uint32_t ec_sxtb16_ror8(uint32_t x) {
  uint32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}
EC_INLINE int32_t ec_smlad(uint32_t a, uint32_t b, int32_t acc) {
  int32_t r;
  __asm__("smlad %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(acc));
  return r;
}
/* lane-wise a - b on two halfwords */
EC_INLINE uint32_t ec_ssub16(uint32_t a, uint32_t b) {
  uint32_t r;
  __asm__("ssub16 %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
EC_INLINE int32_t ec_smlabb(uint32_t a, uint32_t b, int32_t acc) {
  int32_t r;
  __asm__("smlabb %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(acc));
  return r;
}
EC_INLINE int32_t ec_smlatt(uint32_t a, uint32_t b, int32_t acc) {
  int32_t r;
  __asm__("smlatt %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(acc));
  return r;
}
EC_INLINE int32_t ec_smlabt(uint32_t a, uint32_t b, int32_t acc) {
  int32_t r;
  __asm__("smlabt %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(acc));
  return r;
}
/* (a * b + 2^31) >> 32 */
EC_INLINE int32_t ec_smmulr(int32_t a, int32_t b) {
  int32_t r;
  __asm__("smmulr %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
/* v / 2^e rounded to nearest, ties away from zero (1 <= e <= 31, v != INT32_MIN):
 * w = v - (v < 0); floor(w / 2^e) + bit e-1 of w (the carry of ASRS) */
EC_INLINE int32_t ec_rshr_away(int32_t v, int32_t e) {
  int32_t r;
  __asm__("add %0, %1, %1, asr #31\n\t"
          "asrs %0, %0, %2\n\t"
          "adc %0, %0, #0"
          : "=&r"(r)
          : "r"(v), "r"(e)
          : "cc");
  return r;
}
#else
EC_INLINE uint32_t ec_sxtb16(uint32_t x) {
  uint32_t lo = (uint32_t)(uint16_t)(int16_t)(int8_t)(x & 0xffu);
  uint32_t hi = (uint32_t)(uint16_t)(int16_t)(int8_t)((x >> 16) & 0xffu);
  return lo | (hi << 16);
}
EC_INLINE uint32_t ec_sxtb16_ror8(uint32_t x) { return ec_sxtb16((x >> 8) | (x << 24)); }
EC_INLINE int32_t ec_lo16(uint32_t x) { return (int16_t)(uint16_t)(x & 0xffffu); }
EC_INLINE int32_t ec_hi16(uint32_t x) { return (int16_t)(uint16_t)(x >> 16); }
/* the products and the sum wrap modulo 2^32 like the instruction */
EC_INLINE int32_t ec_smlad(uint32_t a, uint32_t b, int32_t acc) {
  uint32_t s = (uint32_t)acc + (uint32_t)(ec_lo16(a) * ec_lo16(b)) +
               (uint32_t)(ec_hi16(a) * ec_hi16(b));
  return (int32_t)s;
}
EC_INLINE uint32_t ec_ssub16(uint32_t a, uint32_t b) {
  uint32_t lo = (uint32_t)(ec_lo16(a) - ec_lo16(b)) & 0xffffu;
  uint32_t hi = (uint32_t)(ec_hi16(a) - ec_hi16(b)) & 0xffffu;
  return lo | (hi << 16);
}
EC_INLINE int32_t ec_smlabb(uint32_t a, uint32_t b, int32_t acc) {
  return (int32_t)((uint32_t)acc + (uint32_t)(ec_lo16(a) * ec_lo16(b)));
}
EC_INLINE int32_t ec_smlatt(uint32_t a, uint32_t b, int32_t acc) {
  return (int32_t)((uint32_t)acc + (uint32_t)(ec_hi16(a) * ec_hi16(b)));
}
EC_INLINE int32_t ec_smlabt(uint32_t a, uint32_t b, int32_t acc) {
  return (int32_t)((uint32_t)acc + (uint32_t)(ec_lo16(a) * ec_hi16(b)));
}
EC_INLINE int32_t ec_smmulr(int32_t a, int32_t b) {
  return (int32_t)(((int64_t)a * (int64_t)b + ((int64_t)1 << 31)) >> 32);
}
EC_INLINE int32_t ec_rshr_away(int32_t v, int32_t e) {
  const int32_t w = v + (v < 0 ? -1 : 0);
  return (w >> e) + ((w >> (e - 1)) & 1);
}
#endif

#endif
