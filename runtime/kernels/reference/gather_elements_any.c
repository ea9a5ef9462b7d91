#include "gather_elements_any.h"

#include <string.h>

void ec_gather_elements_any(const ec_gather_elements_any_params *p, const void *data,
                            const void *indices, void *out) {
  int32_t pos[EC_MAX_RANK], a, total = 1, i;
  const size_t es = (size_t)p->elem_size;
  for (a = 0; a < p->rank; ++a) {
    pos[a] = 0;
    total *= p->out_dims[a];
  }
  for (i = 0; i < total; ++i) {
    int64_t k = p->idx_i64 ? ((const int64_t *)indices)[i]
                           : (int64_t)((const int32_t *)indices)[i];
    uint8_t *dst = (uint8_t *)out + (size_t)i * es;
    if (k < 0) k += p->axis_len;
    if (k < 0 || k >= p->axis_len) {
      memset(dst, 0, es);
    } else {
      size_t off = 0;
      for (a = 0; a < p->rank; ++a)
        off += (size_t)(a == p->axis ? (int32_t)k : pos[a]) * (size_t)p->data_str[a];
      memcpy(dst, (const uint8_t *)data + off * es, es);
    }
    for (a = p->rank - 1; a >= 0; --a) {
      if (++pos[a] < p->out_dims[a]) break;
      pos[a] = 0;
    }
  }
}
