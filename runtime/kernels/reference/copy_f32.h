/*
 * Strided float copy: dst[sum i_d * dst_str[d]] = src[sum i_d * src_str[d]]
 * over the index space dims[0..rank). Transpose, Slice (negative strides
 * for negative steps), Concat, Split, Expand and Tile are all this copy with
 * strides the compiler computes. src and dst must not overlap.
 */
#ifndef EDGEC_COPY_F32_H
#define EDGEC_COPY_F32_H

#include "edgec_rt.h"

#define EC_COPY_MAX_RANK 12

typedef struct {
  int32_t rank;
  int32_t dims[EC_COPY_MAX_RANK];
  int32_t src_str[EC_COPY_MAX_RANK], dst_str[EC_COPY_MAX_RANK];
} ec_copy_f32_params;

void ec_copy_f32(const ec_copy_f32_params *p, const float *src, float *dst);

#endif
