/*
 * ONNX ScatterElements (and the opset-9 Scatter): out = data, then for every
 * element of updates (the indices' shape) out[.. idx[..] ..] along `axis`
 * receives it (reduction none), or for float32 is combined with it
 * (add / mul / max / min). int32 or int64 indices read at run time; a
 * negative index counts from the end, one out of range is skipped.
 */
#ifndef EDGEC_SCATTER_ELEMENTS_ANY_H
#define EDGEC_SCATTER_ELEMENTS_ANY_H

#include "edgec_rt.h"

#define EC_SCATTER_NONE 0
#define EC_SCATTER_ADD 1
#define EC_SCATTER_MUL 2
#define EC_SCATTER_MAX 3
#define EC_SCATTER_MIN 4

typedef struct {
  int32_t rank, axis;
  int32_t upd_dims[EC_MAX_RANK];
  int32_t data_str[EC_MAX_RANK]; /* element strides of the data */
  int32_t axis_len, data_count;  /* data size along axis, data elements */
  int32_t elem_size;
  int32_t idx_i64;   /* 1: int64 indices, 0: int32 */
  int32_t reduction; /* EC_SCATTER_*; other than NONE only on float32 */
} ec_scatter_elements_any_params;

/* out may equal data. */
void ec_scatter_elements_any(const ec_scatter_elements_any_params *p, const void *data,
                             const void *indices, const void *updates, void *out);

/* The float32 reductions, shared with ec_scatternd_any. */
EC_INLINE float ec_scatter_combine(int32_t reduction, float a, float b) {
  switch (reduction) {
  case EC_SCATTER_ADD: return a + b;
  case EC_SCATTER_MUL: return a * b;
  case EC_SCATTER_MAX: return a > b ? a : b;
  case EC_SCATTER_MIN: return a < b ? a : b;
  default: return b;
  }
}

#endif
