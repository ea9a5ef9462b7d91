#include "grid_sample_f32.h"

#include <math.h>

static double reflect(double x, double lo, double hi) {
  const double rng = hi - lo;
  double dx, n, r;
  if (rng <= 0) return lo;
  if (x < lo) {
    dx = lo - x;
    n = floor(dx / rng);
    r = dx - n * rng;
    return fmod(n, 2.0) == 0 ? lo + r : hi - r;
  }
  if (x > hi) {
    dx = x - hi;
    n = floor(dx / rng);
    r = dx - n * rng;
    return fmod(n, 2.0) == 0 ? hi - r : lo + r;
  }
  return x;
}

static double cubic(double x) {
  const double a = -0.75;
  x = fabs(x);
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

/* The pixel index read at coordinate i of a dim of length d (-1: zero). */
static int32_t fetch(const ec_grid_sample_f32_params *p, double i, int32_t d, double lo,
                     double hi) {
  if (p->padding == EC_GS_ZEROS) return i >= 0 && i < (double)d ? (int32_t)i : -1;
  if (p->padding == EC_GS_REFLECTION) i = reflect(i, lo, hi);
  if (i < 0) return 0;
  if (i > (double)(d - 1)) return d - 1;
  return (int32_t)i;
}

void ec_grid_sample_f32(const ec_grid_sample_f32_params *p, const float *x, const float *grid,
                        float *out) {
  const int32_t r = p->rank;
  int32_t in_size = 1, out_size = 1, str[3], a, b, o, c, cnt[3], idx[3][4];
  double w[3][4];
  for (a = r - 1; a >= 0; --a) {
    str[a] = in_size;
    in_size *= p->in[a];
    out_size *= p->out[a];
  }
  for (b = 0; b < p->n; ++b)
    for (o = 0; o < out_size; ++o) {
      const float *g = grid + ((size_t)b * out_size + o) * r;
      int32_t k[3], t;
      for (a = 0; a < r; ++a) {
        const double len = (double)p->in[a], nv = g[r - 1 - a];
        const double lo = p->align_corners ? 0.0 : -0.5;
        const double hi = p->align_corners ? len - 1 : len - 0.5;
        double v = p->align_corners ? (nv + 1) / 2.0 * (len - 1) : ((nv + 1) * len - 1) / 2.0;
        if (p->mode == EC_GS_NEAREST) v = nearbyint(v);
        if (v < lo || v > hi) {
          if (p->padding == EC_GS_BORDER) v = v < 0 ? 0 : v > len - 1 ? len - 1 : v;
          else if (p->padding == EC_GS_REFLECTION) v = reflect(v, lo, hi);
        }
        if (!(fabs(v) <= 1e15)) v = -1e15;
        if (p->mode == EC_GS_NEAREST) {
          cnt[a] = 1;
          idx[a][0] = fetch(p, trunc(v), p->in[a], lo, hi);
          w[a][0] = 1;
        } else {
          const double f = floor(v), frac = v - f;
          if (p->mode == EC_GS_LINEAR) {
            cnt[a] = 2;
            idx[a][0] = fetch(p, f, p->in[a], lo, hi);
            idx[a][1] = fetch(p, f + 1, p->in[a], lo, hi);
            w[a][0] = 1 - frac;
            w[a][1] = frac;
          } else {
            cnt[a] = 4;
            for (t = 0; t < 4; ++t) {
              idx[a][t] = fetch(p, f + (t - 1), p->in[a], lo, hi);
              w[a][t] = cubic(frac - (t - 1));
            }
          }
        }
      }
      for (c = 0; c < p->c; ++c) {
        const float *src = x + ((size_t)b * p->c + c) * in_size;
        double acc = 0;
        for (a = 0; a < r; ++a) k[a] = 0;
        for (;;) {
          double ww = 1;
          int32_t off = 0, zero = 0;
          for (a = 0; a < r; ++a) {
            if (idx[a][k[a]] < 0) zero = 1;
            ww *= w[a][k[a]];
            off += idx[a][k[a]] * str[a];
          }
          if (!zero) acc += ww * (double)src[off];
          for (a = r - 1; a >= 0; --a) {
            if (++k[a] < cnt[a]) break;
            k[a] = 0;
          }
          if (a < 0) break;
        }
        out[((size_t)b * p->c + c) * out_size + o] = (float)acc;
      }
    }
}
