/*
 * ONNX Cast between float32, int8..int64, uint8..uint32 and bool: every
 * element is read as a float or an int64 (integers, bool) and converted to
 * the output type; float to integer truncates toward zero (C
 * conversion; out-of-range values are the model's problem, as in ONNX), to
 * bool is x != 0.
 */
#ifndef EDGEC_CAST_ANY_H
#define EDGEC_CAST_ANY_H

#include "edgec_rt.h"

#define EC_CAST_F32 0
#define EC_CAST_I8 2
#define EC_CAST_U8 3
#define EC_CAST_I16 4
#define EC_CAST_U16 5
#define EC_CAST_I32 6
#define EC_CAST_U32 7
#define EC_CAST_I64 8
#define EC_CAST_BOOL 9

typedef struct {
  int32_t from, to; /* EC_CAST_* */
  int32_t count;
} ec_cast_params;

/* out must not overlap in. */
void ec_cast(const ec_cast_params *p, const void *in, void *out);

#endif
