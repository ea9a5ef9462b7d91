#include "resize_f32.h"

void ec_resize_f32(const ec_resize_f32_params *p, const int32_t *idx0,
                   const int32_t *idx1, const float *w1, const float *in,
                   float *out) {
  int32_t o[6], base[6];
  int32_t total = 1, d, e, corner, ncorner;
  base[0] = 0;
  for (d = 0; d < p->rank; ++d) {
    o[d] = 0;
    total *= p->out_dims[d];
    if (d + 1 < p->rank) base[d + 1] = base[d] + p->out_dims[d];
  }
  ncorner = 1 << p->rank;
  for (e = 0; e < total; ++e) {
    float acc = 0.0f;
    for (corner = 0; corner < ncorner; ++corner) {
      int32_t off = 0, skip = 0;
      float w = 1.0f;
      for (d = 0; d < p->rank; ++d) {
        int32_t t = base[d] + o[d];
        if (corner & (1 << d)) {
          if (!(p->linear_mask & (1 << d))) {
            skip = 1;
            break;
          }
          w *= w1[t];
          off += idx1[t] * p->in_str[d];
        } else {
          if (p->linear_mask & (1 << d)) w *= 1.0f - w1[t];
          off += idx0[t] * p->in_str[d];
        }
      }
      if (!skip) acc += w * in[off];
    }
    out[e] = acc;
    for (d = p->rank - 1; d >= 0; --d) {
      if (++o[d] < p->out_dims[d]) break;
      o[d] = 0;
    }
  }
}
