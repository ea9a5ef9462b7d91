/*
 * Float elementwise unary math ops (ONNX semantics): out[i] = f(in[i]).
 * out may equal in.
 */
#ifndef EDGEC_UNARY_F32_H
#define EDGEC_UNARY_F32_H

#include "edgec_rt.h"

#define EC_UN_EXP 0
#define EC_UN_LOG 1
#define EC_UN_SQRT 2
#define EC_UN_ABS 3
#define EC_UN_NEG 4
#define EC_UN_RECIPROCAL 5
#define EC_UN_FLOOR 6
#define EC_UN_CEIL 7
#define EC_UN_ROUND 8 /* half to even */
#define EC_UN_ERF 9
#define EC_UN_SIN 10
#define EC_UN_COS 11
#define EC_UN_SOFTPLUS 12
#define EC_UN_ELU 13      /* alpha */
#define EC_UN_SELU 14     /* alpha, gamma */
#define EC_UN_CELU 15     /* alpha */
#define EC_UN_GELU 16     /* exact (erf) */
#define EC_UN_GELU_TANH 17
#define EC_UN_MISH 18
#define EC_UN_SWISH 19    /* x * sigmoid(alpha * x) */
#define EC_UN_SOFTSIGN 20
#define EC_UN_THRESHOLDED_RELU 21 /* alpha */
#define EC_UN_SIGN 22
#define EC_UN_TAN 23
#define EC_UN_ATAN 24
#define EC_UN_ASIN 25
#define EC_UN_ACOS 26
#define EC_UN_SINH 27
#define EC_UN_COSH 28
#define EC_UN_ASINH 29
#define EC_UN_ACOSH 30
#define EC_UN_ATANH 31
#define EC_UN_AFFINE 32 /* alpha * x + gamma */

typedef struct {
  int32_t op; /* EC_UN_* */
  float alpha, gamma;
} ec_unary_f32_params;

void ec_unary_f32(const ec_unary_f32_params *p, const float *in, float *out,
                  size_t n);

/* PRelu: out = x < 0 ? slope * x : x, slope broadcast like a binary op. */
#endif
