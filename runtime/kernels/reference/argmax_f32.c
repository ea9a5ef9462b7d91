#include "argmax_f32.h"

#include <math.h>

void ec_argmax_f32(const ec_argmax_f32_params *p, const float *in, int64_t *out) {
  int32_t o, k, j;
  for (o = 0; o < p->outer; ++o)
    for (k = 0; k < p->inner; ++k) {
      const float *x = in + o * p->axis * p->inner + k;
      float best = x[0];
      int32_t bi = 0;
      for (j = 1; j < p->axis && !isnan(best); ++j) {
        const float v = x[j * p->inner];
        const int better = p->is_min ? v < best : v > best;
        if (better || isnan(v) || (p->select_last && v == best)) {
          best = v;
          bi = j;
        }
      }
      out[o * p->inner + k] = bi;
    }
}
