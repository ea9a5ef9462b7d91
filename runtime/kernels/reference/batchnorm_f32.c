#include "batchnorm_f32.h"

#include "activation_f32.h"

void ec_batchnorm_f32(const ec_batchnorm_f32_params *p, const float *in,
                      const float *scale, const float *shift, float *out) {
  int32_t o, c, i;
  for (o = 0; o < p->outer; ++o)
    for (c = 0; c < p->c; ++c) {
      const float s = scale[c], b = shift[c];
      const float *ip = in + (o * p->c + c) * p->inner;
      float *op = out + (o * p->c + c) * p->inner;
      for (i = 0; i < p->inner; ++i) op[i] = ec_activate_f32(ip[i] * s + b, &p->act);
    }
}
