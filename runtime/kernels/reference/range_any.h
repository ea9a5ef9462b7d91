/*
 * ONNX Range with start and delta read at run time (scalars of the output's
 * type) and the element count static: out[i] = start + i * delta (floats
 * in double as the reference, integers wrapping in 64 bits).
 */
#ifndef EDGEC_RANGE_ANY_H
#define EDGEC_RANGE_ANY_H

#include "edgec_rt.h"

typedef struct {
  int32_t type; /* EC_FLOAT32, EC_INT16, EC_INT32 or EC_INT64 */
  int32_t count;
} ec_range_any_params;

void ec_range_any(const ec_range_any_params *p, const void *start, const void *delta, void *out);

#endif
