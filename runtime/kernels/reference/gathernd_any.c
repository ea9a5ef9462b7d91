#include "gathernd_any.h"

#include <string.h>

void ec_gathernd_any(const ec_gathernd_any_params *p, const void *data, const void *indices,
                     void *out) {
  const size_t es = (size_t)p->elem_size, row = (size_t)p->slice * es;
  int32_t b, i, j;
  for (b = 0; b < p->batch; ++b)
    for (i = 0; i < p->n; ++i) {
      const int32_t t0 = (b * p->n + i) * p->k;
      uint8_t *dst = (uint8_t *)out + ((size_t)b * p->n + i) * row;
      size_t off = (size_t)b * (size_t)p->batch_stride;
      int ok = 1;
      for (j = 0; j < p->k; ++j) {
        int64_t c = p->idx_i64 ? ((const int64_t *)indices)[t0 + j]
                               : (int64_t)((const int32_t *)indices)[t0 + j];
        if (c < 0) c += p->dims[j];
        if (c < 0 || c >= p->dims[j]) ok = 0;
        else off += (size_t)c * (size_t)p->str[j];
      }
      if (ok) memcpy(dst, (const uint8_t *)data + off * es, row);
      else memset(dst, 0, row);
    }
}
