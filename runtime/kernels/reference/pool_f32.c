#include "pool_f32.h"

#include "activation_f32.h"

#include <math.h>

/* The first k in [0, kmax) with lo <= base + k * d (kmax if none). */
static int32_t first_tap(int32_t base, int32_t d, int32_t lo, int32_t kmax) {
  int32_t k;
  if (base >= lo) return 0;
  k = (lo - base + d - 1) / d;
  return k < kmax ? k : kmax;
}

/* One past the last k in [0, kmax) with base + k * d < hi. */
static int32_t end_tap(int32_t base, int32_t d, int32_t hi, int32_t kmax) {
  int32_t k;
  if (base >= hi) return 0;
  k = (hi - base + d - 1) / d;
  return k < kmax ? k : kmax;
}

/* Taps of [0, kmax) in [lo, hi). */
static int32_t tap_count(int32_t base, int32_t d, int32_t lo, int32_t hi, int32_t kmax) {
  int32_t a = first_tap(base, d, lo, kmax), b = end_tap(base, d, hi, kmax);
  return b > a ? b - a : 0;
}

/* Divisor of an average window: its valid taps, or with count_include_pad
 * its taps inside the padded input. */
static int32_t avg_count(const ec_pool_f32_params *p, int32_t iy0, int32_t ix0,
                         int32_t ny, int32_t nx) {
  if (!p->count_include_pad) return ny * nx;
  return tap_count(iy0, p->dh, -p->pt, p->ih + p->pb, p->kh) *
         tap_count(ix0, p->dw, -p->pl, p->iw + p->pr, p->kw);
}

/* Channels-last (in_sc == out_sc == 1): the channel loop innermost, the
 * output row of channels as the accumulator. */
static void pool_nhwc(const ec_pool_f32_params *p, const float *in, float *out) {
  const int32_t C = p->c, max = p->kind == EC_POOL_MAX;
  int32_t n, oy, ox, ky, kx, c;
  for (n = 0; n < p->n; ++n)
    for (oy = 0; oy < p->oh; ++oy) {
      const int32_t iy0 = oy * p->sh - p->pt;
      const int32_t ky0 = first_tap(iy0, p->dh, 0, p->kh);
      const int32_t ky1 = end_tap(iy0, p->dh, p->ih, p->kh);
      for (ox = 0; ox < p->ow; ++ox) {
        const int32_t ix0 = ox * p->sw - p->pl;
        const int32_t kx0 = first_tap(ix0, p->dw, 0, p->kw);
        const int32_t kx1 = end_tap(ix0, p->dw, p->iw, p->kw);
        float *EC_RESTRICT op = out + n * p->out_sn + oy * p->out_sh + ox * p->out_sw;
        const float *ib = in + n * p->in_sn;
        int32_t first = 1;
        if (ky1 <= ky0 || kx1 <= kx0) {
          for (c = 0; c < C; ++c) op[c] = max ? -INFINITY : 0.0f;
        } else {
          for (ky = ky0; ky < ky1; ++ky)
            for (kx = kx0; kx < kx1; ++kx) {
              const float *EC_RESTRICT ip = ib + (iy0 + ky * p->dh) * p->in_sh +
                                            (ix0 + kx * p->dw) * p->in_sw;
              if (first) {
                for (c = 0; c < C; ++c) op[c] = ip[c];
                first = 0;
              } else if (max) {
                for (c = 0; c < C; ++c) op[c] = ip[c] > op[c] ? ip[c] : op[c];
              } else {
                for (c = 0; c < C; ++c) op[c] += ip[c];
              }
            }
        }
        if (!max) {
          const int32_t cnt = avg_count(p, iy0, ix0, ky1 > ky0 ? ky1 - ky0 : 0,
                                        kx1 > kx0 ? kx1 - kx0 : 0);
          for (c = 0; c < C; ++c) op[c] = cnt > 0 ? op[c] / (float)cnt : 0.0f;
        }
        if (p->act.kind != EC_ACT_NONE)
          for (c = 0; c < C; ++c) op[c] = ec_activate_f32(op[c], &p->act);
      }
    }
}

/* Any layout, one channel plane at a time, windows clipped to the input. */
static void pool_planar(const ec_pool_f32_params *p, const float *in, float *out) {
  const int32_t max = p->kind == EC_POOL_MAX;
  int32_t n, c, oy, ox, ky, kx;
  for (n = 0; n < p->n; ++n)
    for (c = 0; c < p->c; ++c) {
      const float *ic = in + n * p->in_sn + c * p->in_sc;
      float *oc = out + n * p->out_sn + c * p->out_sc;
      for (oy = 0; oy < p->oh; ++oy) {
        const int32_t iy0 = oy * p->sh - p->pt;
        const int32_t ky0 = first_tap(iy0, p->dh, 0, p->kh);
        const int32_t ky1 = end_tap(iy0, p->dh, p->ih, p->kh);
        for (ox = 0; ox < p->ow; ++ox) {
          const int32_t ix0 = ox * p->sw - p->pl;
          const int32_t kx0 = first_tap(ix0, p->dw, 0, p->kw);
          const int32_t kx1 = end_tap(ix0, p->dw, p->iw, p->kw);
          float acc = max ? -INFINITY : 0.0f;
          if (ky1 > ky0 && kx1 > kx0) {
            acc = ic[(iy0 + ky0 * p->dh) * p->in_sh + (ix0 + kx0 * p->dw) * p->in_sw];
            if (!max) acc = 0.0f;
            for (ky = ky0; ky < ky1; ++ky) {
              const float *EC_RESTRICT row = ic + (iy0 + ky * p->dh) * p->in_sh +
                                             ix0 * p->in_sw;
              const int32_t st = p->dw * p->in_sw;
              if (max)
                for (kx = kx0; kx < kx1; ++kx) {
                  const float v = row[kx * st];
                  acc = v > acc ? v : acc;
                }
              else
                for (kx = kx0; kx < kx1; ++kx) acc += row[kx * st];
            }
          }
          if (!max) {
            const int32_t cnt = avg_count(p, iy0, ix0, ky1 > ky0 ? ky1 - ky0 : 0,
                                          kx1 > kx0 ? kx1 - kx0 : 0);
            acc = cnt > 0 ? acc / (float)cnt : 0.0f;
          }
          oc[oy * p->out_sh + ox * p->out_sw] = ec_activate_f32(acc, &p->act);
        }
      }
    }
}

void ec_pool_f32(const ec_pool_f32_params *p, const float *in, float *out) {
  if (p->in_sc == 1 && p->out_sc == 1 && p->c > 1)
    pool_nhwc(p, in, out);
  else
    pool_planar(p, in, out);
}
