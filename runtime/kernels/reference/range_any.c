#include "range_any.h"

static int64_t load_int(int32_t type, const void *v) {
  if (type == EC_INT16) return *(const int16_t *)v;
  if (type == EC_INT32) return *(const int32_t *)v;
  return *(const int64_t *)v;
}

void ec_range_any(const ec_range_any_params *p, const void *start, const void *delta, void *out) {
  int32_t i;
  if (p->type == EC_FLOAT32) {
    const double s = *(const float *)start, d = *(const float *)delta;
    for (i = 0; i < p->count; ++i) ((float *)out)[i] = (float)(s + (double)i * d);
    return;
  }
  {
    const uint64_t s = (uint64_t)load_int(p->type, start), d = (uint64_t)load_int(p->type, delta);
    for (i = 0; i < p->count; ++i) {
      const uint64_t v = s + (uint64_t)i * d;
      if (p->type == EC_INT16) ((int16_t *)out)[i] = (int16_t)(uint16_t)v;
      else if (p->type == EC_INT32) ((int32_t *)out)[i] = (int32_t)(uint32_t)v;
      else ((int64_t *)out)[i] = (int64_t)v;
    }
  }
}
