/*
 * ONNX Where on any element type with numpy broadcasting: out[i] =
 * cond ? a : b, elements of `size` bytes, over the (coalesced) output dims
 * with the element strides of cond, a and b per dim (0 along broadcast
 * dims). out is contiguous and overlaps no input.
 */
#ifndef EDGEC_WHERE_ANY_H
#define EDGEC_WHERE_ANY_H

#include "edgec_rt.h"

#define EC_WHERE_MAX_RANK 8

typedef struct {
  int32_t rank;
  int32_t dims[EC_WHERE_MAX_RANK];
  int32_t c_str[EC_WHERE_MAX_RANK], a_str[EC_WHERE_MAX_RANK], b_str[EC_WHERE_MAX_RANK];
  int32_t size; /* bytes per element */
} ec_where_params;

void ec_where(const ec_where_params *p, const uint8_t *cond, const void *a, const void *b,
              void *out);

#endif
