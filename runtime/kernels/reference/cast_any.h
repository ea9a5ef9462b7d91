/*
 * ONNX Cast between float32, float16, bfloat16, the 8- and 4-bit floats
 * (float8 e4m3fn / e4m3fnuz / e5m2 / e5m2fnuz, float4 e2m1), int2..int64,
 * uint2..uint32 and bool, as the interpreter (lib/interp/kernels/Cast.cpp)
 * does it. Every element is read as a float (float types) or an int64
 * (integers, bool) and converted to the output type:
 *   - float to integer truncates toward zero and clamps to the type's range
 *     (NaN -> 0); to int4/uint4/int2/uint2 it truncates and keeps the low
 *     bits (wraps), as the ONNX reference does;
 *   - integer to narrower integer wraps; anything to bool is x != 0;
 *   - to float16 / bfloat16 / the 8- and 4-bit floats rounds to nearest
 *     even; `saturate` (8-bit floats only) clamps out-of-range values and
 *     infinities to the largest finite value, else they become infinity
 *     (e5m2) or NaN; float4 e2m1 always saturates and encodes NaN as -0.
 * Storage: float16/bfloat16 one uint16_t each, the 8/4/2-bit types one byte
 * each (sub-byte integers hold the sign-extended value, unsigned ones the
 * value), as lib/ir/DataType.h stores them.
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
#define EC_CAST_F16 10
#define EC_CAST_BF16 11
#define EC_CAST_F8E4M3FN 12
#define EC_CAST_F8E4M3FNUZ 13
#define EC_CAST_F8E5M2 14
#define EC_CAST_F8E5M2FNUZ 15
#define EC_CAST_F4E2M1 16
#define EC_CAST_I4 17
#define EC_CAST_U4 18
#define EC_CAST_I2 19
#define EC_CAST_U2 20

typedef struct {
  int32_t from, to; /* EC_CAST_* */
  int32_t count;
  int32_t saturate; /* 8-bit float outputs: 1 clamps, 0 gives inf/NaN */
} ec_cast_params;

/* out must not overlap in. */
void ec_cast(const ec_cast_params *p, const void *in, void *out);

#endif
