#include "targets/mcu/lower/DspWeightPacking.h"

/* The halfword of a sign-extended weight. */
static uint32_t half(int8_t v) { return (uint32_t)(uint16_t)(int16_t)v; }

/* The int32 with the bits of u (no implementation-defined conversion). */
static int32_t word(uint32_t lo, uint32_t hi) {
  const uint32_t u = lo | (hi << 16);
  return u <= (uint32_t)INT32_MAX ? (int32_t)u : -(int32_t)(~u) - 1;
}

size_t ec_pack_gemm_wx_words(int32_t cols, int32_t depth) {
  return (size_t)((cols + 3) / 4) * 4u * (size_t)((depth + 3) / 4) * 2u;
}

void ec_pack_gemm_wx(const int8_t *w, int32_t cols, int32_t depth, int32_t *wx) {
  const int32_t kb = (depth + 3) / 4;
  int32_t g, j, c, i;
  for (g = 0; g < cols; g += 4)
    for (j = 0; j < kb; ++j)
      for (c = g; c < g + 4; ++c) {
        uint32_t h[4];
        for (i = 0; i < 4; ++i) {
          const int32_t k = 4 * j + i;
          h[i] = c < cols && k < depth ? half(w[(size_t)c * (size_t)depth + (size_t)k]) : 0u;
        }
        *wx++ = word(h[0], h[2]);
        *wx++ = word(h[1], h[3]);
      }
}

void ec_pack_fc_w4(const int8_t *w, int32_t cols, int32_t depth, int8_t *out) {
  int32_t g, l, j, i;
  for (g = 0; g < cols; g += 4)
    for (l = 0; l < depth; l += 4)
      for (j = g; j < g + 4; ++j)
        for (i = l; i < l + 4; ++i) *out++ = w[(size_t)j * (size_t)depth + (size_t)i];
}

size_t ec_pack_dw_w_words(int32_t channels, int32_t taps) {
  return (size_t)(channels / 4) * (size_t)taps * 2u;
}

void ec_pack_dw_w(const int8_t *w, int32_t channels, int32_t taps, int32_t *dw_w) {
  int32_t c, k;
  for (c = 0; c + 3 < channels; c += 4)
    for (k = 0; k < taps; ++k) {
      const int8_t *const t = w + (size_t)c * (size_t)taps + (size_t)k;
      *dw_w++ = word(half(t[0]), half(t[2 * taps]));
      *dw_w++ = word(half(t[taps]), half(t[3 * taps]));
    }
}

void ec_pack_dw_taps_major(const int8_t *w, int32_t channels, int32_t taps, int8_t *out) {
  int32_t c, k;
  for (c = 0; c < channels; ++c)
    for (k = 0; k < taps; ++k)
      out[(size_t)k * (size_t)channels + (size_t)c] = w[(size_t)c * (size_t)taps + (size_t)k];
}
