/*
 * Float LayerNormalization over the last `inner` elements of each of `outer`
 * rows: out = (x - mean) / sqrt(var + eps) * scale[i] + bias[i]; with rms
 * (RMSNormalization) out = x / sqrt(mean(x^2) + eps) * scale[i] + bias[i].
 * scale and bias have `inner` elements (the compiler expands broadcasts);
 * bias may be NULL. out may equal in. mean and inv_std (LayerNormalization's
 * optional outputs, one float per row: the mean, 0 for rms, and
 * 1 / sqrt(var + eps)) may be NULL.
 */
#ifndef EDGEC_LAYERNORM_F32_H
#define EDGEC_LAYERNORM_F32_H

#include "edgec_rt.h"

typedef struct {
  int32_t outer, inner;
  float eps;
  int32_t rms; /* 1: RMSNormalization (no mean subtracted) */
  ec_act_params act; /* fused activation of the output */
} ec_layernorm_f32_params;

void ec_layernorm_f32(const ec_layernorm_f32_params *p, const float *in,
                      const float *scale, const float *bias, float *out, float *mean,
                      float *inv_std);

#endif
