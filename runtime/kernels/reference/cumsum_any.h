/*
 * ONNX CumSum (or CumProd: product = 1) on float32, int32 or int64 along the axis read at run time
 * (the axis input: one int32 or int64 element, negative counts from the
 * end), with exclusive (the first result is 0, or 1 for products) and
 * reverse (from the end).
 * Floats accumulate in double, integers in int64 (wrapping to the type).
 * An axis out of range (which the interpreter refuses) zeroes out.
 */
#ifndef EDGEC_CUMSUM_ANY_H
#define EDGEC_CUMSUM_ANY_H

#include "edgec_rt.h"

#define EC_CUMSUM_F32 0
#define EC_CUMSUM_I32 1
#define EC_CUMSUM_I64 2

#define EC_CUMSUM_MAX_RANK 8

typedef struct {
  int32_t type;       /* EC_CUMSUM_*: element type of in and out */
  int32_t axis_bytes; /* 4 (int32 axis) or 8 (int64) */
  int32_t rank;
  int32_t dims[EC_CUMSUM_MAX_RANK];
  int32_t exclusive, reverse;
  int32_t product; /* 1: CumProd */
} ec_cumsum_params;

void ec_cumsum(const ec_cumsum_params *p, const void *in, const void *axis, void *out);

#endif
