/*
 * Float Softmax / LogSoftmax / Hardmax over the middle dim of [outer, axis,
 * inner]. Hardmax: 1 at the first maximum (the first NaN if any), else 0.
 */
#ifndef EDGEC_SOFTMAX_F32_H
#define EDGEC_SOFTMAX_F32_H

#include "edgec_rt.h"

typedef struct {
  int32_t outer, axis, inner;
  int32_t log; /* 1: LogSoftmax, 2: Hardmax */
} ec_softmax_f32_params;

/* out may equal in. */
void ec_softmax_f32(const ec_softmax_f32_params *p, const float *in, float *out);

#endif
