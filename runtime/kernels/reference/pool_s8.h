/*
 * Integer pooling (TFLite's reference_integer_ops::AveragePool / MaxPool,
 * and the MEAN arithmetic for GlobalAveragePool / ReduceMean) over
 * element-strided tensors (NCHW or channels-last). Parameters are computed
 * by the compiler.
 */
#ifndef EDGEC_POOL_S8_H
#define EDGEC_POOL_S8_H

#include "edgec_rt.h"
#include "fixedpoint_q.h"

#define EC_POOL_S8_AVG 0         /* (sum +- n/2) / n, equal parameters */
#define EC_POOL_S8_AVG_RESCALE 1 /* MBQM(sum - n*zp, count_mult[n]) + out_zp */
#define EC_POOL_S8_MAX 2         /* max, then requant[] when given */

typedef struct {
  int32_t mode, include_pad;
  int32_t batch, channels, in_h, in_w, out_h, out_w;
  int32_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_t, pad_l;
  int32_t lim_h, lim_w; /* in + end padding (count_include_pad) */
  int32_t in_sn, in_sc, in_sh, in_sw, out_sn, out_sc, out_sh, out_sw;
  int32_t in_zp, out_zp, act_min, act_max;
  const int32_t *count_mult, *count_shift; /* [k_h * k_w + 1] (AVG_RESCALE) */
  const int8_t *requant;                   /* [256] or NULL (MAX) */
} ec_pool_s8_params;

void ec_pool_s8(const ec_pool_s8_params *p, const int8_t *in, int8_t *out);

#define EC_MEAN_EQUAL 0   /* sum / n, truncated (equal parameters) */
#define EC_MEAN_RESCALE 1 /* MBQM(sum - n*zp, mult, shift) + out_zp */
#define EC_MEAN_MAX 2     /* max, then requant[] when given */

typedef struct {
  int32_t mode, outer, reduce, inner; /* in[o][r][i] -> out[o][i] */
  int32_t in_zp, out_zp, mult, shift, act_min, act_max;
  const int8_t *requant;
} ec_mean_s8_params;

void ec_mean_s8(const ec_mean_s8_params *p, const int8_t *in, int8_t *out);

#endif
