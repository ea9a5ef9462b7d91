#include "lut_s8.h"

void ec_lut_s8(const int8_t *table, const int8_t *in, int8_t *out, size_t n) {
  size_t i;
  for (i = 0; i < n; ++i) out[i] = table[(int32_t)in[i] + 128];
}

void ec_lut_s16(const int16_t *table, const int16_t *in, int16_t *out, size_t n) {
  size_t i;
  for (i = 0; i < n; ++i) out[i] = table[(int32_t)in[i] + 32768];
}
