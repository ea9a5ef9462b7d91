/*
 * Float LpPool over 1 to 3 spatial dims of NC... data: y = (sum over the
 * window of |x|^p)^(1/p), padding contributing nothing; the window geometry
 * (kernel, strides, dilations, leading pads) comes from the compiler.
 * GlobalLpPool is a window the size of the input.
 */
#ifndef EDGEC_LP_POOL_F32_H
#define EDGEC_LP_POOL_F32_H

#include "edgec_rt.h"

typedef struct {
  int32_t planes;  /* N * C */
  int32_t rank;    /* spatial dims, 1..3 */
  int32_t in[3], out[3], k[3], s[3], d[3], pad[3];
  float p;
} ec_lp_pool_f32_params;

void ec_lp_pool_f32(const ec_lp_pool_f32_params *p, const float *in, float *out);

#endif
