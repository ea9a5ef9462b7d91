#include "softmax_f32.h"

#include <math.h>

void ec_softmax_f32(const ec_softmax_f32_params *p, const float *in, float *out) {
  int32_t o, i, k;
  for (o = 0; o < p->outer; ++o)
    for (i = 0; i < p->inner; ++i) {
      const float *ip = in + o * p->axis * p->inner + i;
      float *op = out + o * p->axis * p->inner + i;
      float mx = ip[0], sum = 0.0f;
      if (p->log == 2) {
        int32_t arg = 0;
        mx = -INFINITY;
        for (k = 0; k < p->axis; ++k) {
          const float v = ip[k * p->inner];
          if (v > mx || (isnan(v) && !isnan(mx))) {
            mx = v;
            arg = k;
          }
        }
        for (k = 0; k < p->axis; ++k) op[k * p->inner] = k == arg ? 1.0f : 0.0f;
        continue;
      }
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
