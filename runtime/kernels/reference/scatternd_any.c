#include "scatternd_any.h"

#include <string.h>

void ec_scatternd_any(const ec_scatternd_any_params *p, const void *data, const void *indices,
                      const void *updates, void *out) {
  const size_t es = (size_t)p->elem_size;
  int32_t i, j, e;
  if (out != data) memcpy(out, data, (size_t)p->data_count * es);
  for (i = 0; i < p->n; ++i) {
    size_t off = 0;
    int ok = 1;
    for (j = 0; j < p->k; ++j) {
      const int32_t t = i * p->k + j;
      int64_t c = p->idx_i64 ? ((const int64_t *)indices)[t] : (int64_t)((const int32_t *)indices)[t];
      if (c < 0) c += p->data_dims[j];
      if (c < 0 || c >= p->data_dims[j]) ok = 0;
      else off += (size_t)c * (size_t)p->data_str[j];
    }
    if (!ok) continue;
    if (p->reduction == EC_SCATTER_NONE) {
      memcpy((uint8_t *)out + off * es, (const uint8_t *)updates + (size_t)i * p->slice * es,
             (size_t)p->slice * es);
    } else {
      for (e = 0; e < p->slice; ++e)
        ((float *)out)[off + e] = ec_scatter_combine(p->reduction, ((float *)out)[off + e],
                                                     ((const float *)updates)[i * p->slice + e]);
    }
  }
}
