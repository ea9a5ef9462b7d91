/*
 * Float Gather along one axis of [outer, axis, inner] with indices given by
 * the compiler (already made non-negative): out[o][j][i] = in[o][idx[j]][i].
 */
#ifndef EDGEC_GATHER_F32_H
#define EDGEC_GATHER_F32_H

#include "edgec_rt.h"

typedef struct {
  int32_t outer, axis, inner, count;
} ec_gather_f32_params;

void ec_gather_f32(const ec_gather_f32_params *p, const int32_t *indices,
                   const float *in, float *out);

#endif
