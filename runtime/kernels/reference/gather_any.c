#include "gather_any.h"

#include <string.h>

void ec_gather_any(const ec_gather_any_params *p, const void *indices, const void *in,
                   void *out) {
  const size_t row = (size_t)p->inner * (size_t)p->elem_size;
  int32_t o, j;
  for (o = 0; o < p->outer; ++o)
    for (j = 0; j < p->count; ++j) {
      int64_t k = p->idx_i64 ? ((const int64_t *)indices)[j]
                             : (int64_t)((const int32_t *)indices)[j];
      uint8_t *dst = (uint8_t *)out + ((size_t)o * (size_t)p->count + (size_t)j) * row;
      if (k < 0) k += p->axis;
      if (k < 0 || k >= p->axis) memset(dst, 0, row);
      else memcpy(dst, (const uint8_t *)in + ((size_t)o * (size_t)p->axis + (size_t)k) * row, row);
    }
}
