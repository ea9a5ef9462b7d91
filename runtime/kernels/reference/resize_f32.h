/*
 * Float Resize (nearest / linear) of a contiguous tensor of rank <= 6. The
 * compiler computes, per output coordinate of every dim, the two source
 * indices and the weight of the second one (tables of sum(out_dims) entries,
 * dim after dim; a nearest or unscaled dim has weight 0).
 */
#ifndef EDGEC_RESIZE_F32_H
#define EDGEC_RESIZE_F32_H

#include "edgec_rt.h"

typedef struct {
  int32_t rank;
  int32_t out_dims[6], in_str[6];
  int32_t linear_mask; /* bit d: dim d interpolates (two taps) */
} ec_resize_f32_params;

void ec_resize_f32(const ec_resize_f32_params *p, const int32_t *idx0,
                   const int32_t *idx1, const float *w1, const float *in,
                   float *out);

#endif
