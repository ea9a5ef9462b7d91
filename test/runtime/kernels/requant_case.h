/*
 * Random requantization of a layer for the cases: per-channel multipliers
 * and shifts, biases whose size ranges from a few units to the point where
 * outputs saturate, a fused LeakyRelu sometimes, zero point and clamp, and
 * whether the compiler may set `fast` (the contract in
 * kernels/reference/fc_s8.h).
 */
#ifndef EDGEC_TEST_REQUANT_CASE_H
#define EDGEC_TEST_REQUANT_CASE_H

#include "harness.h"

#include "kernels/reference/fc_s8.h"

enum { EC_MAX_COLS = 48 };

typedef struct {
  int32_t cols;
  int32_t mult[EC_MAX_COLS], mult_neg[EC_MAX_COLS];
  int8_t shift[EC_MAX_COLS], fast_shift[EC_MAX_COLS], shift_neg[EC_MAX_COLS];
  int32_t leaky, out_zp, act_min, act_max;
} ec_requant_case;

void requant_case(ec_rng *r, int32_t cols, ec_requant_case *q);

/* Random raw biases of q->cols channels of weights w [cols][depth], from a
 * few units to where outputs saturate (|bias| + 256 sum |w| < 2^31: no int32
 * overflow anywhere), and the same with the input zero point folded in
 * (bias - in_zp sum w). Returns whether the compiler may set `fast`: no
 * LeakyRelu, every shift a right shift of 1 to 31 bits, multipliers >= 0,
 * and |acc| < 2^30 with either bias (raw with x - in_zp, folded with x). */
int layer_biases(ec_rng *r, const ec_requant_case *q, const int8_t *w, int32_t depth,
                 int32_t in_zp, int32_t *raw, int32_t *folded);

/* Fills the requantization fields of p: the plain shifts (fast = 0), or
 * with fast = 1 the encoded ones. */
void requant_params(const ec_requant_case *q, int fast, ec_gemm_s8_params *p);

#endif
