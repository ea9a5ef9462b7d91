/*
 * Float ArgMax / ArgMin along one axis of [outer, axis, inner]: out[o][i] =
 * the index (int64) of the first extreme value of in[o][0..axis)[i], or the
 * last with select_last; a NaN counts as the extreme (the first NaN wins).
 */
#ifndef EDGEC_ARGMAX_F32_H
#define EDGEC_ARGMAX_F32_H

#include "edgec_rt.h"

typedef struct {
  int32_t outer, axis, inner;
  int32_t is_min;      /* 1: ArgMin, 0: ArgMax */
  int32_t select_last; /* ties go to the last index */
} ec_argmax_f32_params;

void ec_argmax_f32(const ec_argmax_f32_params *p, const float *in, int64_t *out);

#endif
