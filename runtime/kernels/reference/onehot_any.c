#include "onehot_any.h"

#include <string.h>

/* Index i of the indices as int64; 0 with *ok = 0 when not representable. */
static int64_t index_at(int32_t type, const void *v, int32_t i, int *ok) {
  *ok = 1;
  switch (type) {
  case EC_FLOAT32: {
    const float f = ((const float *)v)[i];
    if (!(f > -4.0e18f && f < 4.0e18f)) {
      *ok = 0;
      return 0;
    }
    return (int64_t)f;
  }
  case EC_INT8: return ((const int8_t *)v)[i];
  case EC_UINT8: return ((const uint8_t *)v)[i];
  case EC_INT16: return ((const int16_t *)v)[i];
  case EC_ONEHOT_UINT16: return ((const uint16_t *)v)[i];
  case EC_INT32: return ((const int32_t *)v)[i];
  case EC_ONEHOT_UINT32: return ((const uint32_t *)v)[i];
  default: return ((const int64_t *)v)[i];
  }
}

void ec_onehot_any(const ec_onehot_any_params *p, const void *indices, const void *values,
                   void *out) {
  const size_t es = (size_t)p->elem_size;
  const uint8_t *off = (const uint8_t *)values, *on = off + es;
  int32_t o, k, i;
  for (o = 0; o < p->outer; ++o)
    for (k = 0; k < p->depth; ++k)
      for (i = 0; i < p->inner; ++i)
        memcpy((uint8_t *)out + (((size_t)o * p->depth + k) * p->inner + i) * es, off, es);
  for (o = 0; o < p->outer; ++o)
    for (i = 0; i < p->inner; ++i) {
      int ok;
      int64_t c = index_at(p->idx_type, indices, o * p->inner + i, &ok);
      if (c < 0) c += p->depth;
      if (!ok || c < 0 || c >= p->depth) continue;
      memcpy((uint8_t *)out + (((size_t)o * p->depth + (size_t)c) * p->inner + i) * es, on, es);
    }
}
