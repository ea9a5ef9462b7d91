/*
 * Integer matrix product (Gemm / FullyConnected, MatMul by constant
 * weights, 1x1 Conv on channels-last data): TFLite's per-channel
 * FullyConnected arithmetic. All parameters are computed by the compiler.
 *
 *   acc[r][c] = bias[c] + sum_k w[c][k] * a[r][k]
 *   out[r][c] = clamp(MBQM(acc, mult[c], shift[c]) + out_zp, act_min, act_max)
 *
 * where bias already holds bias - in_zp * sum_k w[c][k] (the input zero
 * point folded in), so the loop multiplies raw int8 values.
 */
#ifndef EDGEC_FC_S8_H
#define EDGEC_FC_S8_H

#include "edgec_rt.h"
#include "fixedpoint_q.h"
#include "dsp_q.h"

typedef struct {
  int32_t cols, depth;
  int32_t out_col_stride; /* elements between output columns (1: row-major) */
  int32_t out_zp, act_min, act_max;
  const int8_t *w;        /* [cols][depth] */
  const int32_t *bias;    /* [cols], zero point folded in */
  const int32_t *mult, *shift;         /* [cols] */
  const int32_t *mult_neg, *shift_neg; /* fused LeakyRelu (acc < 0) or NULL */
  int32_t fast; /* 1: the compiler proved |acc| < 2^30 for every channel, every
                   shift is a right shift of at least one bit, stored as that
                   positive bit count in shift[], and there is no LeakyRelu
                   (the DSP kernels then requantize with ec_requant_fast) */
  const int32_t *wx; /* ec_gemm_s8_dsp (else NULL): w pre-expanded to halfword
                        pairs, [ceil(cols / 4)][ceil(depth / 4)][4][2] words,
                        channels 4i..4i+3, k 4j..4j+3: (w[k0] | w[k2] << 16,
                        w[k1] | w[k3] << 16), zero past cols and depth */
} ec_gemm_s8_params;

/* The requantization constants held in locals (int8 stores alias the
 * parameter struct, so kernels copy it once). */
typedef struct {
  int32_t zp, lo, hi; /* lo / hi: the clamp minus the zero point */
  int32_t amin, amax, fast;
  const int32_t *m, *s, *mn, *sn;
} ec_requant_s8;

EC_INLINE ec_requant_s8 ec_requant_s8_init(const ec_gemm_s8_params *p) {
  ec_requant_s8 q;
  q.zp = p->out_zp;
  q.lo = p->act_min - p->out_zp;
  q.hi = p->act_max - p->out_zp;
  q.amin = p->act_min;
  q.amax = p->act_max;
  q.fast = p->fast;
  q.m = p->mult;
  q.s = p->shift;
  q.mn = p->mult_neg;
  q.sn = p->shift_neg;
  return q;
}

/* MBQM for a multiplier other than INT32_MIN (the compiler guarantees it):
 * the rounding doubling high multiply is (x * m + 2^30) >> 31 exactly. */
EC_INLINE int32_t ec_mbqm_nomin(int32_t x, int32_t m, int32_t shift) {
  const int32_t left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  const int64_t prod = (int64_t)(int32_t)((uint32_t)x << left) * (int64_t)m;
  return ec_rdbp((int32_t)((prod + ((int64_t)1 << 30)) >> 31), right);
}

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
  "ldr %[t0], [%[ep]], #4\n\t"                                                  \
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
  "ldr %[t0], [%[ep]], #4\n\t"                                                  \
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
  const int32_t *mp = q->m + c, *ep = q->s + c;
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
  const int32_t *mp = q->m + c, *ep = q->s + c;
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

EC_INLINE int8_t ec_requant_s8_apply(const ec_requant_s8 *q, int32_t acc, int32_t c) {
  int32_t r;
  if (q->fast) return ec_requant_fast(q, acc, c);
  r = (q->mn && acc < 0) ? ec_mbqm_nomin(acc, q->mn[c], q->sn[c])
                                 : ec_mbqm_nomin(acc, q->m[c], q->s[c]);
  r = r < q->lo ? q->lo : (r > q->hi ? q->hi : r);
  return (int8_t)(r + q->zp);
}

EC_INLINE int8_t ec_gemm_requant_s8(const ec_gemm_s8_params *p, int32_t acc, int32_t c) {
  ec_requant_s8 q = ec_requant_s8_init(p);
  return ec_requant_s8_apply(&q, acc, c);
}

/* out[r * out_row_stride + c * out_col_stride] for r < rows; row r of a at
 * a + r * a_stride. Portable C. */
void ec_gemm_s8(const ec_gemm_s8_params *p, const int8_t *a, int32_t rows,
                int32_t a_stride, int8_t *out, int32_t out_row_stride);
/* The same result, 2x2 blocked with SMLAD on SXTB16 pairs (DSP extension;
 * plain-C emulation elsewhere). */
void ec_gemm_s8_dsp(const ec_gemm_s8_params *p, const int8_t *a, int32_t rows,
                    int32_t a_stride, int8_t *out, int32_t out_row_stride);

#endif
