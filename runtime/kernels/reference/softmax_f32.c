#include "softmax_f32.h"

#include <math.h>

void ec_softmax_f32(const ec_softmax_f32_params *p, const float *in, float *out) {
  int32_t o, i, k;
  for (o = 0; o < p->outer; ++o)
    for (i = 0; i < p->inner; ++i) {
      const float *ip = in + o * p->axis * p->inner + i;
      float *op = out + o * p->axis * p->inner + i;
      float mx = ip[0], sum = 0.0f;
      for (k = 1; k < p->axis; ++k)
        if (ip[k * p->inner] > mx) mx = ip[k * p->inner];
      if (p->log) {
        for (k = 0; k < p->axis; ++k) sum += expf(ip[k * p->inner] - mx);
        sum = logf(sum);
        for (k = 0; k < p->axis; ++k) op[k * p->inner] = ip[k * p->inner] - mx - sum;
      } else {
        for (k = 0; k < p->axis; ++k) {
          float e = expf(ip[k * p->inner] - mx);
          op[k * p->inner] = e;
          sum += e;
        }
        sum = 1.0f / sum;
        for (k = 0; k < p->axis; ++k) op[k * p->inner] *= sum;
      }
    }
}
