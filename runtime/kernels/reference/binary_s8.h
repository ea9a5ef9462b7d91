/*
 * Integer elementwise binary ops with numpy broadcasting: Add / Sub
 * (TFLite's general quantized path: left shift, two input multipliers, one
 * output multiplier), Mul, and Max / Min (inputs requantized to the output
 * parameters by 256-entry tables). Parameters are computed by the compiler.
 */
#ifndef EDGEC_BINARY_S8_H
#define EDGEC_BINARY_S8_H

#include "edgec_rt.h"
#include "fixedpoint_q.h"

#define EC_BIN_S8_ADD 0
#define EC_BIN_S8_SUB 1
#define EC_BIN_S8_MUL 2
#define EC_BIN_S8_MAX 3
#define EC_BIN_S8_MIN 4

#define EC_BIN_S8_MAX_RANK 6

typedef struct {
  int32_t op;
  int32_t rank; /* 0: both inputs have the output's shape */
  int32_t dims[EC_BIN_S8_MAX_RANK]; /* output dims */
  int32_t sa[EC_BIN_S8_MAX_RANK], sb[EC_BIN_S8_MAX_RANK]; /* input strides (0: broadcast) */
  int32_t count;
  int32_t a_zp, b_zp, out_zp, left_shift;
  int32_t m1, s1, m2, s2, mo, so; /* Add/Sub: m1,m2 inputs, mo output; Mul: mo */
  int32_t act_min, act_max;
  const int8_t *lut_a, *lut_b; /* Max/Min requantization tables or NULL */
  /* Add / Sub (else NULL): the rescaled inputs MBQM((v - zp) << left_shift,
   * m, s) by value v + 128 (tab_b negated for Sub, modulo 2^32) */
  const int32_t *tab_a, *tab_b;
  int32_t fast_out; /* |tab_a| + |tab_b| < 2^30 and so <= -1: the SMMULR form
                       of ec_binary_s8_dsp (kernels/cortexm/binary_s8_dsp.h)
                       applies; ignored here */
} ec_binary_s8_params;

void ec_binary_s8(const ec_binary_s8_params *p, const int8_t *a, const int8_t *b,
                  int8_t *out);

#endif
