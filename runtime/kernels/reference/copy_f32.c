#include "copy_f32.h"

#include <string.h>

void ec_copy_f32(const ec_copy_f32_params *p, const float *src, float *dst) {
  int32_t idx[EC_COPY_MAX_RANK];
  int32_t r = p->rank, d, i, outer = 1, o, last, ss, ds;
  if (r == 0) {
    dst[0] = src[0];
    return;
  }
  last = p->dims[r - 1];
  ss = p->src_str[r - 1];
  ds = p->dst_str[r - 1];
  for (d = 0; d + 1 < r; ++d) {
    idx[d] = 0;
    outer *= p->dims[d];
  }
  for (o = 0; o < outer; ++o) {
    if (ss == 1 && ds == 1)
      memcpy(dst, src, (size_t)last * sizeof(float));
    else
      for (i = 0; i < last; ++i) dst[i * ds] = src[i * ss];
    for (d = r - 2; d >= 0; --d) {
      src += p->src_str[d];
      dst += p->dst_str[d];
      if (++idx[d] < p->dims[d]) break;
      src -= p->src_str[d] * p->dims[d];
      dst -= p->dst_str[d] * p->dims[d];
      idx[d] = 0;
    }
  }
}
