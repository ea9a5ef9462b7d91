/*
 * Float LRN across channels (ONNX): out = x / (bias + alpha / size *
 * sum_{window} x^2)^beta, window [c - floor((size-1)/2), c + ceil((size-1)/2)].
 * Addressed through element strides of N, C and the flattened spatial dims.
 */
#ifndef EDGEC_LRN_F32_H
#define EDGEC_LRN_F32_H

#include "edgec_rt.h"

typedef struct {
  int32_t n, c, inner;
  int32_t s_n, s_c, s_i; /* element strides, same for in and out */
  int32_t size;
  float alpha, beta, bias;
} ec_lrn_f32_params;

/* out must not overlap in. */
void ec_lrn_f32(const ec_lrn_f32_params *p, const float *in, float *out);

#endif
