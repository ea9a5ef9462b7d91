/*
 * Integer data movement (Transpose, Slice, Concat, Pad): an element-strided
 * copy of up to 6 dims from `in` to `out`, optionally through a 256-entry
 * requantization table (int8), and a fill.
 */
#ifndef EDGEC_COPY_Q_H
#define EDGEC_COPY_Q_H

#include "edgec_rt.h"

#define EC_COPY_Q_MAX_RANK 6

typedef struct {
  int32_t rank, elem_size; /* elem_size 1 or 2 */
  int32_t dims[EC_COPY_Q_MAX_RANK];
  int32_t src_stride[EC_COPY_Q_MAX_RANK], dst_stride[EC_COPY_Q_MAX_RANK];
  int32_t src_offset, dst_offset; /* elements */
  const int8_t *lut;              /* int8 table indexed by x + 128, or NULL */
} ec_copy_q_params;

void ec_copy_q(const ec_copy_q_params *p, const void *in, void *out);
/* n elements of `value` (elem_size 1 or 2) */
void ec_fill_q(void *out, int32_t value, int32_t elem_size, size_t n);

#endif
