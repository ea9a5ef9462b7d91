#include "quantize_q.h"

/* clamp(round_half_even(x / scale) + zp, qmin, qmax); NaN -> 0 */
static int32_t ec_quantize_one(const ec_quant_params *p, float x) {
  volatile float q = x / p->scale;
  float r;
  if (!(q == q)) return 0 < p->qmin ? p->qmin : (0 > p->qmax ? p->qmax : 0);
  if (q > 1.0e7f) return p->qmax;
  if (q < -1.0e7f) return p->qmin;
  /* round half to even: exact for |q| < 2^23 in round-to-nearest mode */
  {
    volatile float t = q + 12582912.0f;
    r = t - 12582912.0f;
  }
  {
    int32_t v = (int32_t)r + p->zero_point;
    return v < p->qmin ? p->qmin : (v > p->qmax ? p->qmax : v);
  }
}

void ec_quantize_s8(const ec_quant_params *p, const float *in, int8_t *out, size_t n) {
  size_t i;
  for (i = 0; i < n; ++i) out[i] = (int8_t)ec_quantize_one(p, in[i]);
}

void ec_quantize_s16(const ec_quant_params *p, const float *in, int16_t *out, size_t n) {
  size_t i;
  for (i = 0; i < n; ++i) out[i] = (int16_t)ec_quantize_one(p, in[i]);
}

void ec_dequantize_s8(const ec_quant_params *p, const int8_t *in, float *out, size_t n) {
  size_t i;
  for (i = 0; i < n; ++i) out[i] = (float)((int32_t)in[i] - p->zero_point) * p->scale;
}

void ec_dequantize_s16(const ec_quant_params *p, const int16_t *in, float *out, size_t n) {
  size_t i;
  for (i = 0; i < n; ++i) out[i] = (float)((int32_t)in[i] - p->zero_point) * p->scale;
}
