/*
 * ONNX TopK on float32, int32 or int64 along the middle dim of [outer, n,
 * inner]: the k largest (largest = 1) or smallest elements, sorted, with
 * their int64 indices; equal values keep the lower index first, NaN sorts
 * as the largest value. k is the static size of the outputs' axis. No
 * scratch: the j-th output is the first element after the (j-1)-th in that
 * order (O(n * k)).
 */
#ifndef EDGEC_TOPK_ANY_H
#define EDGEC_TOPK_ANY_H

#include "edgec_rt.h"

#define EC_TOPK_F32 0
#define EC_TOPK_I32 1
#define EC_TOPK_I64 2

typedef struct {
  int32_t type; /* EC_TOPK_* */
  int32_t outer, n, inner, k;
  int32_t largest;
} ec_topk_params;

void ec_topk(const ec_topk_params *p, const void *in, void *values, int64_t *indices);

#endif
