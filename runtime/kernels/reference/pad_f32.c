#include "pad_f32.h"

void ec_pad_f32(const ec_pad_f32_params *p, const float *in, float *out) {
  int32_t idx[8];
  int32_t total = 1, d, o;
  for (d = 0; d < p->rank; ++d) {
    idx[d] = 0;
    total *= p->out_dims[d];
  }
  for (o = 0; o < total; ++o) {
    int32_t off = 0, inside = 1;
    for (d = 0; d < p->rank; ++d) {
      int32_t n = p->in_dims[d], i = idx[d] - p->pad_begin[d];
      if (i < 0 || i >= n) {
        if (p->mode == EC_PAD_CONSTANT || n == 0) {
          inside = 0;
          break;
        } else if (p->mode == EC_PAD_EDGE) {
          i = i < 0 ? 0 : n - 1;
        } else if (p->mode == EC_PAD_REFLECT) {
          if (n == 1) i = 0;
          else {
            int32_t period = 2 * (n - 1);
            i %= period;
            if (i < 0) i += period;
            if (i >= n) i = period - i;
          }
        } else {
          i %= n;
          if (i < 0) i += n;
        }
      }
      off += i * p->in_str[d];
    }
    out[o] = inside ? in[off] : p->value;
    for (d = p->rank - 1; d >= 0; --d) {
      if (++idx[d] < p->out_dims[d]) break;
      idx[d] = 0;
    }
  }
}
