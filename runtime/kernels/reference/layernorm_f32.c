#include "layernorm_f32.h"

#include "activation_f32.h"

#include <math.h>

void ec_layernorm_f32(const ec_layernorm_f32_params *p, const float *in,
                      const float *scale, const float *bias, float *out, float *mean_out,
                      float *inv_out) {
  int32_t o, i;
  for (o = 0; o < p->outer; ++o) {
    const float *ip = in + o * p->inner;
    float *op = out + o * p->inner;
    float mean = 0.0f, var = 0.0f, inv;
    if (!p->rms) {
      for (i = 0; i < p->inner; ++i) mean += ip[i];
      mean /= (float)p->inner;
    }
    for (i = 0; i < p->inner; ++i) {
      float d = ip[i] - mean;
      var += d * d;
    }
    var /= (float)p->inner;
    inv = 1.0f / sqrtf(var + p->eps);
    if (mean_out) mean_out[o] = mean;
    if (inv_out) inv_out[o] = inv;
    for (i = 0; i < p->inner; ++i) {
      float y = (ip[i] - mean) * inv * scale[i];
      op[i] = ec_activate_f32(bias ? y + bias[i] : y, &p->act);
    }
  }
}
