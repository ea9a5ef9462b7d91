/*
 * Float LayerNormalization over the last `inner` elements of each of `outer`
 * rows: out = (x - mean) / sqrt(var + eps) * scale[i] + bias[i].
 * scale and bias have `inner` elements (the compiler expands broadcasts);
 * bias may be NULL. out may equal in.
 */
#ifndef EDGEC_LAYERNORM_F32_H
#define EDGEC_LAYERNORM_F32_H

#include "edgec_rt.h"

typedef struct {
  int32_t outer, inner;
  float eps;
  ec_act_params act; /* fused activation of the output */
} ec_layernorm_f32_params;

void ec_layernorm_f32(const ec_layernorm_f32_params *p, const float *in,
                      const float *scale, const float *bias, float *out);

#endif
