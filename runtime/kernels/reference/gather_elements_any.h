/*
 * ONNX GatherElements, any element type (elem_size bytes): the output has
 * the indices' shape and out[i0..ia..] = data[i0..idx[i0..ia..]..] along
 * `axis`; int32 or int64 indices read at run time, a negative index counts
 * from the end, one out of range gives zero.
 */
#ifndef EDGEC_GATHER_ELEMENTS_ANY_H
#define EDGEC_GATHER_ELEMENTS_ANY_H

#include "edgec_rt.h"

typedef struct {
  int32_t rank, axis;
  int32_t out_dims[EC_MAX_RANK];
  int32_t data_str[EC_MAX_RANK]; /* element strides of the data */
  int32_t axis_len;             /* the data's size along axis */
  int32_t elem_size;
  int32_t idx_i64; /* 1: int64 indices, 0: int32 */
} ec_gather_elements_any_params;

void ec_gather_elements_any(const ec_gather_elements_any_params *p, const void *data,
                            const void *indices, void *out);

#endif
