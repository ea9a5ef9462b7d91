/*
 * ONNX GatherND, any element type (elem_size bytes): for each of `batch`
 * leading batch positions (batch_dims) and each of its n index tuples (k
 * int32 or int64 coordinates read at run time into the next k data dims;
 * negative counts from the end), out receives the data slice of `slice`
 * elements there; a tuple out of range gives zeros.
 */
#ifndef EDGEC_GATHERND_ANY_H
#define EDGEC_GATHERND_ANY_H

#include "edgec_rt.h"

typedef struct {
  int32_t batch, n, k, slice;
  int32_t batch_stride; /* data elements per batch position */
  int32_t dims[EC_MAX_RANK], str[EC_MAX_RANK]; /* the k indexed data dims, element strides */
  int32_t elem_size;
  int32_t idx_i64;
} ec_gathernd_any_params;

void ec_gathernd_any(const ec_gathernd_any_params *p, const void *data, const void *indices,
                     void *out);

#endif
