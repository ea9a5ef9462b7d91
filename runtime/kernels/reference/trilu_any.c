#include "trilu_any.h"

#include <string.h>

void ec_trilu(const ec_trilu_params *p, const void *in, const int64_t *k_in, void *out) {
  int64_t k = k_in ? *k_in : 0;
  int32_t m, i;
  const size_t row_bytes = (size_t)p->cols * (size_t)p->size;
  if (k < -(int64_t)p->rows - 1) k = -(int64_t)p->rows - 1;
  if (k > (int64_t)p->cols + 1) k = (int64_t)p->cols + 1;
  for (m = 0; m < p->mats; ++m)
    for (i = 0; i < p->rows; ++i) {
      const size_t row = ((size_t)m * (size_t)p->rows + (size_t)i) * row_bytes;
      int64_t b = 0, e = p->cols;
      if (p->upper) b = i + k < 0 ? 0 : i + k;
      else e = i + k + 1 < e ? i + k + 1 : e;
      memset((uint8_t *)out + row, 0, row_bytes);
      if (e > b)
        memcpy((uint8_t *)out + row + (size_t)b * (size_t)p->size,
               (const uint8_t *)in + row + (size_t)b * (size_t)p->size,
               (size_t)(e - b) * (size_t)p->size);
    }
}
