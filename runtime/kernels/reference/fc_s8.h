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

typedef struct {
  int32_t cols, depth;
  int32_t out_col_stride; /* elements between output columns (1: row-major) */
  int32_t out_zp, act_min, act_max;
  const int8_t *w;        /* [cols][depth] */
  const int32_t *bias;    /* [cols], zero point folded in */
  const int32_t *mult;                 /* [cols] */
  const int8_t *shift;                 /* [cols] (one byte: flash) */
  const int32_t *mult_neg;             /* fused LeakyRelu (acc < 0) or NULL */
  const int8_t *shift_neg;             /* with mult_neg */
  int32_t fast; /* 1: the compiler proved |acc| < 2^30 for every channel, every
                   shift is a right shift of at least one bit, stored as that
                   positive bit count in shift[], and there is no LeakyRelu
                   (the DSP kernels then requantize with ec_requant_fast,
                   kernels/cortexm/requant_s8_dsp.h); 0 for the kernels here */
  const int32_t *wx; /* ec_gemm_s8_dsp (kernels/cortexm/fc_s8_dsp.h; else
                        NULL, ignored here): w pre-expanded to halfword
                        pairs, [ceil(cols / 4)][ceil(depth / 4)][4][2] words,
                        channels 4i..4i+3, k 4j..4j+3: (w[k0] | w[k2] << 16,
                        w[k1] | w[k3] << 16), zero past cols and depth */
} ec_gemm_s8_params;

/* The requantization constants held in locals (int8 stores alias the
 * parameter struct, so kernels copy it once). */
typedef struct {
  int32_t zp, lo, hi; /* lo / hi: the clamp minus the zero point */
  int32_t amin, amax, fast;
  const int32_t *m, *mn;
  const int8_t *s, *sn;
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

/* MBQM(acc, m[c], s[c]) (mn / sn when acc < 0 and set) + zp, clamped;
 * needs fast = 0. */
EC_INLINE int8_t ec_requant_s8_apply(const ec_requant_s8 *q, int32_t acc, int32_t c) {
  int32_t r = (q->mn && acc < 0) ? ec_mbqm_nomin(acc, q->mn[c], q->sn[c])
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

#endif
