#include "scatter_elements_any.h"

#include <string.h>

void ec_scatter_elements_any(const ec_scatter_elements_any_params *p, const void *data,
                             const void *indices, const void *updates, void *out) {
  int32_t pos[EC_MAX_RANK], a, total = 1, i;
  const size_t es = (size_t)p->elem_size;
  if (out != data) memcpy(out, data, (size_t)p->data_count * es);
  for (a = 0; a < p->rank; ++a) {
    pos[a] = 0;
    total *= p->upd_dims[a];
  }
  for (i = 0; i < total; ++i) {
    int64_t k = p->idx_i64 ? ((const int64_t *)indices)[i]
                           : (int64_t)((const int32_t *)indices)[i];
    if (k < 0) k += p->axis_len;
    if (k >= 0 && k < p->axis_len) {
      size_t off = 0;
      for (a = 0; a < p->rank; ++a)
        off += (size_t)(a == p->axis ? (int32_t)k : pos[a]) * (size_t)p->data_str[a];
      if (p->reduction == EC_SCATTER_NONE)
        memcpy((uint8_t *)out + off * es, (const uint8_t *)updates + (size_t)i * es, es);
      else
        ((float *)out)[off] =
            ec_scatter_combine(p->reduction, ((float *)out)[off], ((const float *)updates)[i]);
    }
    for (a = p->rank - 1; a >= 0; --a) {
      if (++pos[a] < p->upd_dims[a]) break;
      pos[a] = 0;
    }
  }
}
