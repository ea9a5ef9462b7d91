/*
 * ONNX ScatterND: out = data, then each of the n index tuples (k int32 or
 * int64 coordinates into the data's first k dims, read at run time; a
 * negative one counts from the end, a tuple out of range is skipped) takes
 * a slice of `slice` elements of updates (reduction none) or, for float32,
 * combines with it (add / mul / max / min, EC_SCATTER_*).
 */
#ifndef EDGEC_SCATTERND_ANY_H
#define EDGEC_SCATTERND_ANY_H

#include "scatter_elements_any.h"

typedef struct {
  int32_t n, k, slice, data_count;
  int32_t data_dims[EC_MAX_RANK];
  int32_t data_str[EC_MAX_RANK]; /* element strides of the data */
  int32_t elem_size;
  int32_t idx_i64;
  int32_t reduction;
} ec_scatternd_any_params;

/* out may equal data. */
void ec_scatternd_any(const ec_scatternd_any_params *p, const void *data, const void *indices,
                      const void *updates, void *out);

#endif
