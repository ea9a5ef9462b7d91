/*
 * Float per-channel affine map (inference BatchNormalization, folded by the
 * compiler to scale/shift) over [outer, c, inner], with a fused activation:
 * out = act(in * scale[c] + shift[c]). out may equal in.
 */
#ifndef EDGEC_BATCHNORM_F32_H
#define EDGEC_BATCHNORM_F32_H

#include "edgec_rt.h"

typedef struct {
  int32_t outer, c, inner;
  ec_act_params act;
} ec_batchnorm_f32_params;

void ec_batchnorm_f32(const ec_batchnorm_f32_params *p, const float *in,
                      const float *scale, const float *shift, float *out);

#endif
