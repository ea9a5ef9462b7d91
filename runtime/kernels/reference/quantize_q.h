/*
 * QuantizeLinear (float -> int8 / int16) and DequantizeLinear (int8 /
 * int16 -> float) at graph edges, per tensor, with the interpreter's
 * arithmetic: q = clamp(round_half_even(x / scale) + zp), x = (float)(q -
 * zp) * scale. (The only integer-path kernels with floating point.)
 */
#ifndef EDGEC_QUANTIZE_Q_H
#define EDGEC_QUANTIZE_Q_H

#include "edgec_rt.h"

typedef struct {
  float scale;
  int32_t zero_point, qmin, qmax;
} ec_quant_params;

void ec_quantize_s8(const ec_quant_params *p, const float *in, int8_t *out, size_t n);
void ec_quantize_s16(const ec_quant_params *p, const float *in, int16_t *out, size_t n);
void ec_dequantize_s8(const ec_quant_params *p, const int8_t *in, float *out, size_t n);
void ec_dequantize_s16(const ec_quant_params *p, const int16_t *in, float *out, size_t n);

#endif
