/*
 * ONNX OneHot, any output element type (elem_size bytes): out has shape
 * [outer, depth, inner] (depth inserted at `axis`), every element off
 * (values[0]) except out[o][k][i] = on (values[1]) for k = indices[o][i]
 * (negative counts from the end; out of range sets nothing). Indices are
 * float32 (truncated), int8..int64 or uint8..uint32 (EC_* element codes),
 * read at run time; depth is the output's static size along axis.
 */
#ifndef EDGEC_ONEHOT_ANY_H
#define EDGEC_ONEHOT_ANY_H

#include "edgec_rt.h"

#define EC_ONEHOT_UINT16 100 /* index types beyond the EC_* codes */
#define EC_ONEHOT_UINT32 101

typedef struct {
  int32_t outer, depth, inner;
  int32_t idx_type; /* EC_FLOAT32, EC_INT8, EC_UINT8, EC_INT16, EC_INT32, EC_INT64, EC_ONEHOT_* */
  int32_t elem_size;
} ec_onehot_any_params;

void ec_onehot_any(const ec_onehot_any_params *p, const void *indices, const void *values,
                   void *out);

#endif
