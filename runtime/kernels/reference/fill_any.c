#include "fill_any.h"

#include <string.h>

void ec_fill_any(const ec_fill_any_params *p, const void *pattern, void *out) {
  int32_t at = 0;
  if (p->period <= 0) return;
  while (at < p->bytes) {
    const int32_t n = p->bytes - at < p->period ? p->bytes - at : p->period;
    memcpy((uint8_t *)out + at, pattern, (size_t)n);
    at += n;
  }
}
