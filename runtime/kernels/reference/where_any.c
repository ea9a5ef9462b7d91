#include "where_any.h"

#include <string.h>

void ec_where(const ec_where_params *p, const uint8_t *cond, const void *a, const void *b,
              void *out) {
  int32_t idx[EC_WHERE_MAX_RANK];
  int32_t d, total = 1, o, co = 0, ao = 0, bo = 0;
  const size_t size = (size_t)p->size;
  const uint8_t *ab = (const uint8_t *)a, *bb = (const uint8_t *)b;
  uint8_t *ob = (uint8_t *)out;
  for (d = 0; d < p->rank; ++d) {
    idx[d] = 0;
    total *= p->dims[d];
  }
  for (o = 0; o < total; ++o) {
    memcpy(ob + (size_t)o * size, cond[co] ? ab + (size_t)ao * size : bb + (size_t)bo * size,
           size);
    for (d = p->rank - 1; d >= 0; --d) {
      co += p->c_str[d]; ao += p->a_str[d]; bo += p->b_str[d];
      if (++idx[d] < p->dims[d]) break;
      co -= p->c_str[d] * p->dims[d]; ao -= p->a_str[d] * p->dims[d];
      bo -= p->b_str[d] * p->dims[d];
      idx[d] = 0;
    }
  }
}
