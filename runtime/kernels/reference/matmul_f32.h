/*
 * Float matrix product with batch broadcasting (ONNX MatMul and Gemm):
 * out[b][i][j] = act(alpha * sum_k A[b][i][k] * B[b][k][j] + beta * C[i][j]).
 * A, B and C are addressed through element strides (transposes and
 * broadcasting are strides; a broadcast batch dim has stride 0); out is
 * contiguous [batch..., m, n].
 * With b_packed, B is a constant repacked by the compiler into blocks of 4
 * columns, [ceil(n / 4)][k][4] (zero padded), shared by all batches
 * (b_sk, b_sn and b_sb are then unused).
 */
#ifndef EDGEC_MATMUL_F32_H
#define EDGEC_MATMUL_F32_H

#include "edgec_rt.h"

#define EC_MATMUL_MAX_BATCH 6

typedef struct {
  int32_t m, n, k;
  int32_t a_sm, a_sk, b_sk, b_sn, c_sm, c_sn;
  float alpha, beta;
  int32_t batch_rank;
  int32_t batch[EC_MATMUL_MAX_BATCH];
  int32_t a_sb[EC_MATMUL_MAX_BATCH], b_sb[EC_MATMUL_MAX_BATCH];
  ec_act_params act;
  int32_t b_packed;
} ec_matmul_f32_params;

/* c may be NULL (no bias). out must not overlap a, b or c. */
void ec_matmul_f32(const ec_matmul_f32_params *p, const float *a, const float *b,
                   const float *c, float *out);

#endif
