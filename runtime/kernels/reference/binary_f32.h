/*
 * Float elementwise binary ops with numpy broadcasting: out[i] = a op b,
 * where the compiler passes the (coalesced) output dims and the element
 * strides of a and b per dim (0 along broadcast dims). out is contiguous
 * and may equal a or b when that operand is not broadcast.
 */
#ifndef EDGEC_BINARY_F32_H
#define EDGEC_BINARY_F32_H

#include "edgec_rt.h"

#define EC_BIN_ADD 0
#define EC_BIN_SUB 1
#define EC_BIN_MUL 2
#define EC_BIN_DIV 3
#define EC_BIN_POW 4
#define EC_BIN_MAX 5
#define EC_BIN_MIN 6
#define EC_BIN_MOD 7   /* fmodf (ONNX Mod with fmod = 1) */
#define EC_BIN_PRELU 8 /* a < 0 ? b * a : a */

#define EC_BIN_MAX_RANK 8

typedef struct {
  int32_t op; /* EC_BIN_* */
  int32_t rank;
  int32_t dims[EC_BIN_MAX_RANK];
  int32_t a_str[EC_BIN_MAX_RANK], b_str[EC_BIN_MAX_RANK];
  ec_act_params act;
} ec_binary_f32_params;

void ec_binary_f32(const ec_binary_f32_params *p, const float *a, const float *b,
                   float *out);

/* Comparisons (output uint8 0/1, ONNX bool) with the same broadcasting. */
#define EC_CMP_EQ 0
#define EC_CMP_LT 1
#define EC_CMP_LE 2
#define EC_CMP_GT 3
#define EC_CMP_GE 4
void ec_compare_f32(const ec_binary_f32_params *p, const float *a, const float *b,
                    uint8_t *out);

#endif
