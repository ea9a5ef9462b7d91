#include "softmax_s8.h"

static int32_t ec_add_wrap(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }

/* 1 / (1 + a) for a in [0, 1), Q0.31 (gemmlowp one_over_one_plus_x_for_x_in_0_1). */
static int32_t ec_one_over_one_plus_x(int32_t a) {
  int64_t s = (int64_t)a + INT32_MAX;
  int32_t half, x, i;
  s += s >= 0 ? 1 : -1;
  half = (int32_t)(s / 2);
  x = ec_add_wrap(1515870810, ec_srdhm(half, -1010580540));
  for (i = 0; i < 3; ++i) {
    int32_t hdx = ec_srdhm(half, x);
    int32_t one_minus = (int32_t)((uint32_t)(1 << 29) - (uint32_t)hdx);
    x = ec_add_wrap(x, ec_srmbp(ec_srdhm(x, one_minus), 2));
  }
  return ec_srmbp(x, 1);
}

static int32_t ec_clz32(uint32_t x) {
  int32_t n = 0;
  if (x == 0) return 32;
  while (!(x & 0x80000000u)) {
    x <<= 1;
    ++n;
  }
  return n;
}

/* rounding divide by 2^e for 0 <= e <= 62 */
static int32_t ec_rdbp_wide(int32_t x, int32_t e) {
  int64_t mask, rem, thr;
  if (e <= 0) return x;
  if (e > 62) e = 62;
  mask = ((int64_t)1 << e) - 1;
  rem = (int64_t)x & mask;
  thr = (mask >> 1) + (x < 0 ? 1 : 0);
  return (int32_t)(((int64_t)x >> e) + (rem > thr ? 1 : 0));
}

void ec_softmax_s8(const ec_softmax_s8_params *p, const int8_t *in, int8_t *out) {
  const int32_t depth = p->depth, inner = p->inner;
  int32_t o, i, c;
  for (o = 0; o < p->outer; ++o)
    for (i = 0; i < inner; ++i) {
      const int8_t *x = in + (size_t)o * (size_t)depth * (size_t)inner + i;
      int8_t *y = out + (size_t)o * (size_t)depth * (size_t)inner + i;
      int32_t mx = -128, sum = 0, hr, nbits, scale;
      for (c = 0; c < depth; ++c)
        if (x[(size_t)c * (size_t)inner] > mx) mx = x[(size_t)c * (size_t)inner];
      for (c = 0; c < depth; ++c) {
        const int32_t d = mx - x[(size_t)c * (size_t)inner];
        const int32_t e = d < p->exp_len ? p->exp_table[d] : -1;
        if (e >= 0) sum += ec_rdbp(e, 12);
      }
      if (sum <= 0) {
        nbits = 0;
        scale = INT32_MAX;
      } else {
        hr = ec_clz32((uint32_t)sum);
        nbits = 12 - hr;
        scale = ec_one_over_one_plus_x(
            (int32_t)(((uint32_t)sum << hr) - 0x80000000u));
      }
      for (c = 0; c < depth; ++c) {
        const int32_t d = mx - x[(size_t)c * (size_t)inner];
        const int32_t e = d < p->exp_len ? p->exp_table[d] : -1;
        int32_t r = -128;
        if (e >= 0) {
          r = ec_rdbp_wide(ec_srdhm(scale, e), nbits + 31 - 8) - 128;
          r = ec_clamp_i32(r, -128, 127);
        }
        if (p->requant) r = p->requant[r + 128];
        y[(size_t)c * (size_t)inner] = (int8_t)ec_clamp_i32(r, p->act_min, p->act_max);
      }
    }
}
