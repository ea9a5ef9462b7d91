/*
 * ONNX NegativeLogLikelihoodLoss on float32 log-probabilities [n, c, inner]
 * with int32 or int64 targets [n, inner] and optional class weights [c]:
 * loss = -logp[b, t, k] * weight[t], 0 (weight 0) where t == ignore_index
 * or t is out of range. reduction 0 (none) writes the n * inner losses, 1
 * (sum) their sum, 2 (mean) the sum over the sum of the applied weights
 * (0/0 = NaN when every target is ignored). Sums in double.
 * SoftmaxCrossEntropyLoss is LogSoftmax over dim 1 (ec_softmax_f32) then this.
 */
#ifndef EDGEC_NLL_LOSS_F32_H
#define EDGEC_NLL_LOSS_F32_H

#include "edgec_rt.h"

#define EC_LOSS_NONE 0
#define EC_LOSS_SUM 1
#define EC_LOSS_MEAN 2

typedef struct {
  int32_t n, c, inner;
  int32_t target_i64; /* 1: int64 targets, 0: int32 */
  int32_t reduction;  /* EC_LOSS_* */
  int32_t has_ignore;
  int64_t ignore_index;
} ec_nll_loss_f32_params;

/* weight may be NULL (every class weighs 1). */
void ec_nll_loss_f32(const ec_nll_loss_f32_params *p, const float *logp, const void *target,
                     const float *weight, float *out);

#endif
