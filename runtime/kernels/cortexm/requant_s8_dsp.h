/*
 * Requantization of the Cortex-M DSP int8 kernels. Where the compiler set
 * ec_gemm_s8_params.fast (every channel's |acc| < 2^30, a right shift of at
 * least one bit stored as that positive count in shift[], no LeakyRelu),
 * MBQM is one SMMULR and a rounding shift, four channels at a time in
 * assembly on DSP cores; bit-identical to ec_requant_s8_apply
 * (kernels/reference/fc_s8.h) on the same channel with the shift unencoded.
 */
#ifndef EDGEC_REQUANT_S8_DSP_H
#define EDGEC_REQUANT_S8_DSP_H

#include "edgec_rt.h"
#include "kernels/reference/fc_s8.h"
#include "dsp_q.h"

/* MBQM(acc, m, -e) + zp, clamped, for |acc| < 2^30, 1 <= e <= 31, m >= 0:
 * the doubling high multiply is SMMULR(2 acc, m) exactly, and the rounding
 * right shift (ties away from zero) is floor((v - (v < 0)) / 2^e) plus the
 * last bit shifted out. */
EC_INLINE int8_t ec_requant_fast(const ec_requant_s8 *q, int32_t acc, int32_t c) {
  int32_t r = ec_rshr_away(ec_smmulr((int32_t)((uint32_t)acc << 1), q->m[c]), q->s[c]) + q->zp;
  r = r < q->amin ? q->amin : r;
  r = r > q->amax ? q->amax : r;
  return (int8_t)r;
}

/* Four consecutive channels c..c+3 with ec_requant_fast, stored at o, o +
 * ocs, o + 2 ocs, o + 3 ocs (ec_requant4_fast1: ocs = 1). */
#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
#define EC_RQ_ONE(s, store)                                                     \
  "ldr %[t0], [%[mp]], #4\n\t"                                                  \
  "lsl " s ", " s ", #1\n\t"                                                    \
  "smmulr " s ", " s ", %[t0]\n\t"                                              \
  "ldrsb %[t0], [%[ep]], #1\n\t"                                                  \
  "add " s ", " s ", " s ", asr #31\n\t"                                        \
  "asrs " s ", " s ", %[t0]\n\t"                                                \
  "adc " s ", " s ", %[zp]\n\t"                                                 \
  "cmp " s ", %[lo]\n\t"                                                        \
  "it lt\n\t"                                                                   \
  "movlt " s ", %[lo]\n\t"                                                      \
  "cmp " s ", %[hi]\n\t"                                                        \
  "it gt\n\t"                                                                   \
  "movgt " s ", %[hi]\n\t" store
/* the same when the clamp is the int8 range: SSAT */
#define EC_RQ_ONE_SAT(s, store)                                                 \
  "ldr %[t0], [%[mp]], #4\n\t"                                                  \
  "lsl " s ", " s ", #1\n\t"                                                    \
  "smmulr " s ", " s ", %[t0]\n\t"                                              \
  "ldrsb %[t0], [%[ep]], #1\n\t"                                                  \
  "add " s ", " s ", " s ", asr #31\n\t"                                        \
  "asrs " s ", " s ", %[t0]\n\t"                                                \
  "adc " s ", " s ", %[zp]\n\t"                                                 \
  "ssat " s ", #8, " s "\n\t" store
#define EC_RQ_STORE_OCS(s) "strb " s ", [%[o]]\n\tadd %[o], %[o], %[ocs]\n\t"
#define EC_RQ_STORE_1(s) "strb " s ", [%[o]], #1\n\t"
#endif

#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
#define EC_RQ_ASM(sv, store, extra)                                             \
  __asm__ volatile(EC_RQ_ONE("%[s]", store("%[s]"))                             \
                   : [s] "+r"(sv), [mp] "+r"(mp), [ep] "+r"(ep), [o] "+r"(o),   \
                     [t0] "=&r"(t0)                                             \
                   : [zp] "r"(zp), [lo] "r"(lo), [hi] "r"(hi) extra             \
                   : "cc", "memory")
#define EC_RQS_ASM(sv, store, extra)                                            \
  __asm__ volatile(EC_RQ_ONE_SAT("%[s]", store("%[s]"))                         \
                   : [s] "+r"(sv), [mp] "+r"(mp), [ep] "+r"(ep), [o] "+r"(o),   \
                     [t0] "=&r"(t0)                                             \
                   : [zp] "r"(zp) extra                                         \
                   : "cc", "memory")
#define EC_RQ_OCS_IN , [ocs] "r"(ocs)
#define EC_RQ_NO_IN
#endif

EC_INLINE void ec_requant4_fast(const ec_requant_s8 *q, int32_t s0, int32_t s1, int32_t s2,
                                int32_t s3, int32_t c, int8_t *o, int32_t ocs) {
#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
  const int32_t *mp = q->m + c;
  const int8_t *ep = q->s + c;
  const int32_t zp = q->zp, lo = q->amin, hi = q->amax;
  uint32_t t0;
  if (lo == -128 && hi == 127) {
    EC_RQS_ASM(s0, EC_RQ_STORE_OCS, EC_RQ_OCS_IN);
    EC_RQS_ASM(s1, EC_RQ_STORE_OCS, EC_RQ_OCS_IN);
    EC_RQS_ASM(s2, EC_RQ_STORE_OCS, EC_RQ_OCS_IN);
    EC_RQS_ASM(s3, EC_RQ_STORE_OCS, EC_RQ_OCS_IN);
    return;
  }
  EC_RQ_ASM(s0, EC_RQ_STORE_OCS, EC_RQ_OCS_IN);
  EC_RQ_ASM(s1, EC_RQ_STORE_OCS, EC_RQ_OCS_IN);
  EC_RQ_ASM(s2, EC_RQ_STORE_OCS, EC_RQ_OCS_IN);
  EC_RQ_ASM(s3, EC_RQ_STORE_OCS, EC_RQ_OCS_IN);
#else
  o[0] = ec_requant_fast(q, s0, c);
  o[ocs] = ec_requant_fast(q, s1, c + 1);
  o[2 * ocs] = ec_requant_fast(q, s2, c + 2);
  o[3 * ocs] = ec_requant_fast(q, s3, c + 3);
#endif
}

EC_INLINE void ec_requant4_fast1(const ec_requant_s8 *q, int32_t s0, int32_t s1, int32_t s2,
                                 int32_t s3, int32_t c, int8_t *o) {
#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
  const int32_t *mp = q->m + c;
  const int8_t *ep = q->s + c;
  const int32_t zp = q->zp, lo = q->amin, hi = q->amax;
  uint32_t t0;
  if (lo == -128 && hi == 127) {
    EC_RQS_ASM(s0, EC_RQ_STORE_1, EC_RQ_NO_IN);
    EC_RQS_ASM(s1, EC_RQ_STORE_1, EC_RQ_NO_IN);
    EC_RQS_ASM(s2, EC_RQ_STORE_1, EC_RQ_NO_IN);
    EC_RQS_ASM(s3, EC_RQ_STORE_1, EC_RQ_NO_IN);
    return;
  }
  EC_RQ_ASM(s0, EC_RQ_STORE_1, EC_RQ_NO_IN);
  EC_RQ_ASM(s1, EC_RQ_STORE_1, EC_RQ_NO_IN);
  EC_RQ_ASM(s2, EC_RQ_STORE_1, EC_RQ_NO_IN);
  EC_RQ_ASM(s3, EC_RQ_STORE_1, EC_RQ_NO_IN);
#else
  ec_requant4_fast(q, s0, s1, s2, s3, c, o, 1);
#endif
}

/* ec_requant_s8_apply, through ec_requant_fast where the compiler set fast. */
EC_INLINE int8_t ec_requant_s8_apply_dsp(const ec_requant_s8 *q, int32_t acc, int32_t c) {
  if (q->fast) return ec_requant_fast(q, acc, c);
  return ec_requant_s8_apply(q, acc, c);
}

/* ec_requant_s8_apply from the parameters, out of line: the general path
 * (LeakyRelu, left shifts, wide accumulators) once per kernel file rather
 * than inlined at every store of every loop variant (flash). It takes p,
 * not the caller's ec_requant_s8, so that one stays in registers. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline, unused))
#endif
static int8_t ec_requant_s8_general(const ec_gemm_s8_params *p, int32_t acc, int32_t c) {
  const ec_requant_s8 q = ec_requant_s8_init(p);
  return ec_requant_s8_apply(&q, acc, c);
}

/* ec_requant_fast inline where the compiler set fast, else
 * ec_requant_s8_general (q: ec_requant_s8_init(p)). */
EC_INLINE int8_t ec_requant_s8_apply_dsp_p(const ec_requant_s8 *q, const ec_gemm_s8_params *p,
                                           int32_t acc, int32_t c) {
  if (q->fast) return ec_requant_fast(q, acc, c);
  return ec_requant_s8_general(p, acc, c);
}

#endif
