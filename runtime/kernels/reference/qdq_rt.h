/*
 * Float32 QuantizeLinear / DequantizeLinear with the scale and zero point
 * read at run time: per tensor, per axis (1-D along the axis) or blocked
 * (block_size along the axis), as the ONNX reference: quantize divides in
 * float, rounds half to even, adds the zero point and saturates to
 * [qmin, qmax]; dequantize computes (float)(x - zp) * scale. Quantized
 * values are stored as int8 (also int4 / int2, one byte each), uint8 (also
 * uint4 / uint2), int16, uint16 or int32 (dequantize only). Also
 * DynamicQuantizeLinear (uint8, scale and zero point from the data range).
 */
#ifndef EDGEC_QDQ_RT_H
#define EDGEC_QDQ_RT_H

#include "edgec_rt.h"

#define EC_QRT_I8 0
#define EC_QRT_U8 1
#define EC_QRT_I16 2
#define EC_QRT_U16 3
#define EC_QRT_I32 4

typedef struct {
  int32_t outer, axis_len, inner;
  int32_t per_tensor; /* 1: one scale / zero point */
  int32_t block;      /* 0: per axis, else the block size along the axis */
  int32_t n_blocks;   /* ceil(axis_len / block) */
  int32_t q_type;     /* EC_QRT_*: storage of the quantized values and zero point */
  int32_t qmin, qmax;
} ec_qdq_rt_params;

/* zero_point may be NULL (0). */
void ec_quantize_rt(const ec_qdq_rt_params *p, const float *x, const float *scale,
                    const void *zero_point, void *y);
void ec_dequantize_rt(const ec_qdq_rt_params *p, const void *x, const float *scale,
                      const void *zero_point, float *y);
/* n elements; y uint8, scale and zero_point scalars. */
void ec_dynamic_quantize_u8(const float *x, int32_t n, uint8_t *y, float *scale,
                            uint8_t *zero_point);

#endif
