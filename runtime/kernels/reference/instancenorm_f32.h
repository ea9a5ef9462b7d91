/*
 * Float InstanceNormalization of contiguous [n, c, inner]:
 * out = (x - mean_nc) / sqrt(var_nc + eps) * scale[c] + bias[c].
 * out may equal in.
 */
#ifndef EDGEC_INSTANCENORM_F32_H
#define EDGEC_INSTANCENORM_F32_H

#include "edgec_rt.h"

typedef struct {
  int32_t n, c, inner;
  float eps;
} ec_instancenorm_f32_params;

void ec_instancenorm_f32(const ec_instancenorm_f32_params *p, const float *in,
                         const float *scale, const float *bias, float *out);

#endif
