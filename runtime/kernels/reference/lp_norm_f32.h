/*
 * Float LpNormalization along the middle dim of [outer, n, inner]:
 * y = x / ||x||_p, p 1 or 2; a zero norm gives 0. Norms in double.
 */
#ifndef EDGEC_LP_NORM_F32_H
#define EDGEC_LP_NORM_F32_H

#include "edgec_rt.h"

typedef struct {
  int32_t outer, n, inner;
  int32_t p; /* 1 or 2 */
} ec_lp_norm_f32_params;

/* out may equal in. */
void ec_lp_norm_f32(const ec_lp_norm_f32_params *p, const float *in, float *out);

#endif
