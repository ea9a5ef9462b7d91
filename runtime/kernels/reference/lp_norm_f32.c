#include "lp_norm_f32.h"

#include <math.h>

void ec_lp_norm_f32(const ec_lp_norm_f32_params *p, const float *in, float *out) {
  int32_t o, k, j;
  for (o = 0; o < p->outer; ++o)
    for (k = 0; k < p->inner; ++k) {
      const int32_t base = o * p->n * p->inner + k;
      double norm = 0;
      for (j = 0; j < p->n; ++j) {
        const double v = in[base + j * p->inner];
        norm += p->p == 1 ? fabs(v) : v * v;
      }
      if (p->p == 2) norm = sqrt(norm);
      for (j = 0; j < p->n; ++j) {
        const int32_t i = base + j * p->inner;
        out[i] = norm == 0 ? 0.0f : (float)((double)in[i] / norm);
      }
    }
}
