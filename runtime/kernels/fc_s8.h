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
  const int32_t *mult, *shift;         /* [cols] */
  const int32_t *mult_neg, *shift_neg; /* fused LeakyRelu (acc < 0) or NULL */
} ec_gemm_s8_params;

EC_INLINE int8_t ec_gemm_requant_s8(const ec_gemm_s8_params *p, int32_t acc, int32_t c) {
  int32_t r = (p->mult_neg && acc < 0) ? ec_mbqm(acc, p->mult_neg[c], p->shift_neg[c])
                                       : ec_mbqm(acc, p->mult[c], p->shift[c]);
  r = ec_clamp_i32(r, p->act_min - p->out_zp, p->act_max - p->out_zp);
  return (int8_t)(r + p->out_zp);
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
