#include "copy_q.h"

#include <string.h>

void ec_copy_q(const ec_copy_q_params *p, const void *in, void *out) {
  int32_t idx[EC_COPY_Q_MAX_RANK] = {0, 0, 0, 0, 0, 0};
  int32_t s = p->src_offset, d = p->dst_offset, k;
  const int32_t last = p->rank - 1;
  const int32_t inner = p->dims[last], ss = p->src_stride[last], ds = p->dst_stride[last];
  int32_t total = 1, rows, r, i;
  for (k = 0; k < last; ++k) total *= p->dims[k];
  rows = total;
  for (r = 0; r < rows; ++r) {
    if (p->elem_size == 2) {
      const int16_t *src = (const int16_t *)in + s;
      int16_t *dst = (int16_t *)out + d;
      for (i = 0; i < inner; ++i) dst[i * ds] = src[i * ss];
    } else {
      const int8_t *src = (const int8_t *)in + s;
      int8_t *dst = (int8_t *)out + d;
      if (p->lut)
        for (i = 0; i < inner; ++i) dst[i * ds] = p->lut[(int32_t)src[i * ss] + 128];
      else if (ss == 1 && ds == 1)
        memcpy(dst, src, (size_t)inner);
      else
        for (i = 0; i < inner; ++i) dst[i * ds] = src[i * ss];
    }
    for (k = last - 1; k >= 0; --k) {
      s += p->src_stride[k];
      d += p->dst_stride[k];
      if (++idx[k] < p->dims[k]) break;
      s -= p->src_stride[k] * p->dims[k];
      d -= p->dst_stride[k] * p->dims[k];
      idx[k] = 0;
    }
  }
}

void ec_fill_q(void *out, int32_t value, int32_t elem_size, size_t n) {
  size_t i;
  if (elem_size == 2) {
    int16_t *o = (int16_t *)out;
    for (i = 0; i < n; ++i) o[i] = (int16_t)value;
  } else {
    memset(out, (int8_t)value, n);
  }
}
