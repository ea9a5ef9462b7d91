/*
 * Float reductions (reduce_f32.h) with the axes read at run time: an int64
 * input of naxes values (negative ones counted from the end; none: every
 * axis, or with noop none) over a contiguous input of `rank` dims. The
 * output holds out_count elements (its static shape); axes out of range, or
 * axes that would give another count, fill it with NaN.
 */
#ifndef EDGEC_REDUCE_AXES_F32_H
#define EDGEC_REDUCE_AXES_F32_H

#include "reduce_f32.h"

typedef struct {
  int32_t op; /* EC_RED_* */
  int32_t rank, dims[8];
  int32_t naxes, noop, out_count;
} ec_reduce_axes_f32_params;

void ec_reduce_axes_f32(const ec_reduce_axes_f32_params *p, const float *in,
                        const int64_t *axes, float *out);

#endif
