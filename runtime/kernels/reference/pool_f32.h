/*
 * Float 1-D/2-D MaxPool and AveragePool (ONNX semantics: pads, strides,
 * dilations, count_include_pad; ceil_mode is folded into the output size)
 * and their Global variants (a window covering the whole plane). Input and
 * output are addressed through element strides of N, C, H, W.
 */
#ifndef EDGEC_POOL_F32_H
#define EDGEC_POOL_F32_H

#include "edgec_rt.h"

#define EC_POOL_MAX 0
#define EC_POOL_AVG 1

typedef struct {
  int32_t kind; /* EC_POOL_* */
  int32_t n, c, ih, iw, oh, ow, kh, kw;
  int32_t sh, sw, dh, dw;
  int32_t pt, pl, pb, pr; /* pads top, left, bottom, right */
  int32_t count_include_pad;
  int32_t in_sn, in_sc, in_sh, in_sw;
  int32_t out_sn, out_sc, out_sh, out_sw;
  ec_act_params act;
} ec_pool_f32_params;

void ec_pool_f32(const ec_pool_f32_params *p, const float *in, float *out);

#endif
