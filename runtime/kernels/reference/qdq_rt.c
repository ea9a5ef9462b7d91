#include "qdq_rt.h"

#include <math.h>

static int64_t load_q(int32_t type, const void *v, int32_t i) {
  switch (type) {
  case EC_QRT_I8: return ((const int8_t *)v)[i];
  case EC_QRT_U8: return ((const uint8_t *)v)[i];
  case EC_QRT_I16: return ((const int16_t *)v)[i];
  case EC_QRT_U16: return ((const uint16_t *)v)[i];
  default: return ((const int32_t *)v)[i];
  }
}

static void store_q(int32_t type, void *v, int32_t i, int64_t q) {
  switch (type) {
  case EC_QRT_I8: ((int8_t *)v)[i] = (int8_t)q; break;
  case EC_QRT_U8: ((uint8_t *)v)[i] = (uint8_t)q; break;
  case EC_QRT_I16: ((int16_t *)v)[i] = (int16_t)q; break;
  case EC_QRT_U16: ((uint16_t *)v)[i] = (uint16_t)q; break;
  default: ((int32_t *)v)[i] = (int32_t)q; break;
  }
}

/* The scale / zero-point index of element (o, a, k). */
static int32_t param_index(const ec_qdq_rt_params *p, int32_t o, int32_t a, int32_t k) {
  if (p->per_tensor) return 0;
  if (p->block <= 0) return a;
  return (o * p->n_blocks + a / p->block) * p->inner + k;
}

static int64_t round_saturate(double v, double lo, double hi) {
  if (v != v) return 0;
  v = nearbyint(v);
  return (int64_t)(v < lo ? lo : v > hi ? hi : v);
}

void ec_quantize_rt(const ec_qdq_rt_params *p, const float *x, const float *scale,
                    const void *zero_point, void *y) {
  int32_t o, a, k;
  for (o = 0; o < p->outer; ++o)
    for (a = 0; a < p->axis_len; ++a)
      for (k = 0; k < p->inner; ++k) {
        const int32_t i = (o * p->axis_len + a) * p->inner + k, j = param_index(p, o, a, k);
        const float q = x[i] / scale[j];
        double v = nearbyint((double)q);
        if (zero_point) v += (double)load_q(p->q_type, zero_point, j);
        store_q(p->q_type, y, i, round_saturate(v, (double)p->qmin, (double)p->qmax));
      }
}

void ec_dequantize_rt(const ec_qdq_rt_params *p, const void *x, const float *scale,
                      const void *zero_point, float *y) {
  int32_t o, a, k;
  for (o = 0; o < p->outer; ++o)
    for (a = 0; a < p->axis_len; ++a)
      for (k = 0; k < p->inner; ++k) {
        const int32_t i = (o * p->axis_len + a) * p->inner + k, j = param_index(p, o, a, k);
        int64_t q = load_q(p->q_type, x, i);
        if (zero_point) q -= load_q(p->q_type, zero_point, j);
        y[i] = (float)q * scale[j];
      }
}

void ec_dynamic_quantize_u8(const float *x, int32_t n, uint8_t *y, float *scale,
                            uint8_t *zero_point) {
  float lo = 0.0f, hi = 0.0f, s;
  int64_t zp = 0;
  int32_t i;
  for (i = 0; i < n; ++i) {
    if (x[i] != x[i]) continue;
    if (x[i] < lo) lo = x[i];
    if (x[i] > hi) hi = x[i];
  }
  s = (hi - lo) / 255.0f;
  if (s > 0.0f && s <= 3.4e38f) {
    float inter = 0.0f - lo / s;
    inter = inter < 0.0f ? 0.0f : inter > 255.0f ? 255.0f : inter;
    zp = (int64_t)nearbyint((double)inter);
    for (i = 0; i < n; ++i)
      y[i] = (uint8_t)round_saturate(nearbyint((double)(x[i] / s)) + (double)zp, 0.0, 255.0);
  } else {
    for (i = 0; i < n; ++i) y[i] = 0;
  }
  *scale = s;
  *zero_point = (uint8_t)zp;
}
