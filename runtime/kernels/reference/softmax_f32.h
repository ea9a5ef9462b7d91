/*
 * Float Softmax / LogSoftmax over the middle dim of [outer, axis, inner].
 */
#ifndef EDGEC_SOFTMAX_F32_H
#define EDGEC_SOFTMAX_F32_H

#include "edgec_rt.h"

typedef struct {
  int32_t outer, axis, inner;
  int32_t log; /* 1: LogSoftmax */
} ec_softmax_f32_params;

/* out may equal in. */
void ec_softmax_f32(const ec_softmax_f32_params *p, const float *in, float *out);

#endif
