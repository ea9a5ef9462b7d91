#include "instancenorm_f32.h"

#include <math.h>

void ec_instancenorm_f32(const ec_instancenorm_f32_params *p, const float *in,
                         const float *scale, const float *bias, float *out) {
  int32_t n, c, i;
  for (n = 0; n < p->n; ++n)
    for (c = 0; c < p->c; ++c) {
      const float *ip = in + (n * p->c + c) * p->inner;
      float *op = out + (n * p->c + c) * p->inner;
      float mean = 0.0f, var = 0.0f, k;
      for (i = 0; i < p->inner; ++i) mean += ip[i];
      mean /= (float)p->inner;
      for (i = 0; i < p->inner; ++i) {
        float d = ip[i] - mean;
        var += d * d;
      }
      var /= (float)p->inner;
      k = scale[c] / sqrtf(var + p->eps);
      for (i = 0; i < p->inner; ++i) op[i] = (ip[i] - mean) * k + bias[c];
    }
}
