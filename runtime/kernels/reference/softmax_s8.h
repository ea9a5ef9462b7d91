/*
 * Integer Softmax: TFLite's reference quantized softmax (gemmlowp
 * exp_on_negative_values, Q12.19 sum, GetReciprocal). The exponentials of
 * every possible difference to the row maximum (0..255 for int8) are
 * precomputed by the compiler; output scale 1/256, zero point -128, then an
 * optional requantization table to other output parameters.
 */
#ifndef EDGEC_SOFTMAX_S8_H
#define EDGEC_SOFTMAX_S8_H

#include "edgec_rt.h"
#include "fixedpoint_q.h"

typedef struct {
  int32_t outer, depth, inner;
  const int32_t *exp_table; /* [exp_len]: exp(-(max - x)) Q0.31 by max - x; the
                               differences from exp_len on (below diff_min)
                               are not stored (-1: output -128) */
  int32_t exp_len;          /* 1..256 */
  const int8_t *requant;    /* [256] or NULL */
  int32_t act_min, act_max;
} ec_softmax_s8_params;

void ec_softmax_s8(const ec_softmax_s8_params *p, const int8_t *in, int8_t *out);

#endif
