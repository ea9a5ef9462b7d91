#include "lrn_f32.h"

#include <math.h>

void ec_lrn_f32(const ec_lrn_f32_params *p, const float *in, float *out) {
  const int32_t before = (p->size - 1) / 2, after = p->size - 1 - before;
  const float k = p->alpha / (float)p->size;
  int32_t n, c, i, j;
  for (n = 0; n < p->n; ++n)
    for (i = 0; i < p->inner; ++i) {
      const float *ip = in + n * p->s_n + i * p->s_i;
      float *op = out + n * p->s_n + i * p->s_i;
      for (c = 0; c < p->c; ++c) {
        int32_t lo = c - before < 0 ? 0 : c - before;
        int32_t hi = c + after >= p->c ? p->c - 1 : c + after;
        float sq = 0.0f, x = ip[c * p->s_c];
        for (j = lo; j <= hi; ++j) sq += ip[j * p->s_c] * ip[j * p->s_c];
        op[c * p->s_c] = x / powf(p->bias + k * sq, p->beta);
      }
    }
}
