#include "resize_rt_f32.h"

#include <math.h>

static double cubic_weight(double x, double a) {
  x = fabs(x);
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

/* The input coordinate of output index x; 0 when outside the crop. */
static int source_coordinate(const ec_resize_rt_f32_params *p, double x, double scale,
                             int32_t in_len, int32_t out_len, double r0, double r1,
                             double *xo) {
  const double width = scale * (double)in_len;
  switch (p->ctm) {
  case EC_CTM_ALIGN_CORNERS:
    *xo = width == 1 ? 0.0 : x * (double)(in_len - 1) / (width - 1);
    break;
  case EC_CTM_ASYMMETRIC: *xo = x / scale; break;
  case EC_CTM_TF_CROP_AND_RESIZE:
    *xo = width == 1 ? (r1 - r0) * (double)(in_len - 1) / 2
                     : x * (r1 - r0) * (double)(in_len - 1) / (width - 1);
    *xo += r0 * (double)(in_len - 1);
    if (!(*xo >= 0 && *xo <= (double)(in_len - 1))) return 0;
    break;
  case EC_CTM_PYTORCH_HALF_PIXEL: *xo = width == 1 ? -0.5 : (x + 0.5) / scale - 0.5; break;
  case EC_CTM_HALF_PIXEL_SYMMETRIC: {
    const double center = (double)in_len / 2, adj = (double)out_len / width;
    *xo = center * (1 - adj) + (x + 0.5) / scale - 0.5;
    break;
  }
  case EC_CTM_TF_HALF_PIXEL_FOR_NN: *xo = (x + 0.5) / scale; break;
  default: *xo = (x + 0.5) / scale - 0.5; break;
  }
  return 1;
}

static int32_t clampi(int64_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : v > hi ? hi : (int32_t)v;
}

/* The taps of one output index: count (-1: extrapolate), indices, weights. */
static int32_t axis_taps(const ec_resize_rt_f32_params *p, int32_t o, double scale,
                         int32_t in_len, int32_t out_len, double r0, double r1, int32_t *idx,
                         float *w) {
  double xo, c[64], fl, ratio, s, sum;
  int64_t x0, lo, i_start = 0, n, k, pad;
  int32_t cnt = 0;
  if (!source_coordinate(p, (double)o, scale, in_len, out_len, r0, r1, &xo)) return -1;
  if (!(fabs(xo) < 1e15)) xo = 0; /* not finite: any index is as good */
  fl = floor(xo);
  ratio = xo - fl;
  x0 = (int64_t)fl;
  if (p->mode == EC_RESIZE_NEAREST) {
    int64_t i = x0;
    if (p->nearest == EC_NEAREST_LEGACY) i = scale < 1 ? (int64_t)ceil(xo) : x0;
    else if (ratio != 0) {
      const int up = p->nearest == EC_NEAREST_ROUND_PREFER_CEIL ? ratio >= 0.5
                     : p->nearest == EC_NEAREST_FLOOR          ? 0
                     : p->nearest == EC_NEAREST_CEIL           ? 1
                                                               : ratio > 0.5;
      i = up ? x0 + 1 : x0;
    }
    idx[0] = clampi(i, 0, in_len - 1);
    w[0] = 1.0f;
    return 1;
  }
  if (ratio == 0) {
    ratio = 1;
    x0 -= 1;
  }
  s = scale < 1 ? scale : 1;
  if (!p->antialias) {
    if (p->mode == EC_RESIZE_LINEAR) {
      n = 2;
      c[0] = 1 - ratio;
      c[1] = ratio;
    } else {
      n = 4;
      i_start = -1;
      for (k = 0; k < 4; ++k) c[k] = cubic_weight((double)(k - 1) - ratio, p->cubic_a);
    }
  } else {
    const double support = p->mode == EC_RESIZE_LINEAR ? 1.0 : 2.0;
    const double st = floor(-support / s) + 1;
    /* At most 64 taps; a non-positive scale (bad sizes) gives none. */
    i_start = st > -31 ? (st < 1 ? (int64_t)st : 1) : -31;
    n = 2 - 2 * i_start;
    sum = 0;
    for (k = 0; k < n; ++k) {
      const double arg = s * ((double)(i_start + k) - ratio);
      double v;
      if (p->mode == EC_RESIZE_LINEAR) {
        v = 1 - fabs(arg);
        v = v < 0 ? 0 : v > 1 ? 1 : v;
      } else {
        v = cubic_weight(arg, p->cubic_a);
      }
      c[k] = v;
      sum += v;
    }
    if (sum != 0)
      for (k = 0; k < n; ++k) c[k] /= sum;
  }
  /* A window reaching beyond ceil(n/2) edge copies is shifted back inside. */
  pad = (n + 1) / 2;
  lo = x0 + i_start;
  if (lo < -pad) lo = -pad;
  if (lo > in_len + pad - n) lo = in_len + pad - n;
  if (p->exclude_outside) {
    sum = 0;
    for (k = 0; k < n; ++k) {
      if (lo + k < 0 || lo + k >= in_len) c[k] = 0;
      sum += c[k];
    }
    if (sum != 0)
      for (k = 0; k < n; ++k) c[k] /= sum;
  }
  for (k = 0; k < n && cnt < p->max_taps; ++k) {
    if (c[k] == 0) continue;
    idx[cnt] = clampi(lo + k, 0, in_len - 1);
    w[cnt] = (float)c[k];
    ++cnt;
  }
  return cnt;
}

void ec_resize_rt_f32(const ec_resize_rt_f32_params *p, const float *in, const float *roi,
                      const float *scales, const int64_t *sizes, void *scratch, float *out) {
  double scale[6], r0[6], r1[6];
  int32_t *cnt[6], *idx[6];
  float *wt[6];
  int32_t a, i, o, pos[6], tap[6], in_str[6], total = 1;
  int32_t *cur = (int32_t *)scratch;
  const int32_t r = p->rank, T = p->max_taps;
  for (a = 0; a < r; ++a) {
    scale[a] = p->in_dims[a] ? (double)p->out_dims[a] / p->in_dims[a] : 1.0;
    r0[a] = 0;
    r1[a] = 1;
    total *= p->out_dims[a];
  }
  if (total == 0) return;
  for (a = r - 1, i = 1; a >= 0; --a) {
    in_str[a] = i;
    i *= p->in_dims[a];
  }
  if (scales) {
    for (i = 0; i < p->n_axes; ++i)
      if (scales[i] > 0 && isfinite(scales[i])) scale[p->axes[i]] = scales[i];
  } else if (sizes) {
    double common = p->policy == EC_KEEP_NOT_LARGER ? (double)INFINITY : 0.0;
    for (i = 0; i < p->n_axes; ++i) {
      const int32_t d = p->in_dims[p->axes[i]];
      const double s = d ? (double)sizes[i] / d : 1.0;
      if (p->policy == EC_KEEP_STRETCH) scale[p->axes[i]] = d ? s : 1.0;
      else if (d) common = p->policy == EC_KEEP_NOT_LARGER ? (s < common ? s : common)
                                                           : (s > common ? s : common);
    }
    if (p->policy != EC_KEEP_STRETCH)
      for (i = 0; i < p->n_axes; ++i) scale[p->axes[i]] = isfinite(common) ? common : 1.0;
  }
  for (a = 0; a < r; ++a) /* a scale from bad sizes: the static one */
    if (!(scale[a] > 0 && scale[a] < 1e30))
      scale[a] = p->in_dims[a] ? (double)p->out_dims[a] / p->in_dims[a] : 1.0;
  if (roi && p->ctm == EC_CTM_TF_CROP_AND_RESIZE)
    for (i = 0; i < p->n_axes; ++i) {
      r0[p->axes[i]] = roi[i];
      r1[p->axes[i]] = roi[p->n_axes + i];
    }
  for (a = 0; a < r; ++a) {
    const int32_t n = p->out_dims[a];
    cnt[a] = cur;
    idx[a] = cur + n;
    wt[a] = (float *)(cur + n + n * T);
    cur += n * (1 + 2 * T);
    for (o = 0; o < n; ++o) {
      if (p->in_dims[a] == n && scale[a] == 1.0 && p->ctm != EC_CTM_TF_CROP_AND_RESIZE) {
        cnt[a][o] = 1; /* an unscaled dim */
        idx[a][o * T] = o;
        wt[a][o * T] = 1.0f;
      } else {
        cnt[a][o] = axis_taps(p, o, scale[a], p->in_dims[a], n, r0[a], r1[a], idx[a] + o * T,
                              wt[a] + o * T);
      }
    }
  }
  for (a = 0; a < r; ++a) pos[a] = 0;
  for (o = 0; o < total; ++o) {
    int extrapolate = 0, empty = 0;
    double acc = 0;
    for (a = 0; a < r; ++a) {
      tap[a] = 0;
      if (cnt[a][pos[a]] < 0) extrapolate = 1;
      if (cnt[a][pos[a]] == 0) empty = 1;
    }
    if (extrapolate || empty) {
      out[o] = extrapolate ? p->extrapolation : 0.0f;
    } else {
      for (;;) {
        double w = 1;
        int32_t off = 0;
        for (a = 0; a < r; ++a) {
          const int32_t t = pos[a] * T + tap[a];
          w *= (double)wt[a][t];
          off += idx[a][t] * in_str[a];
        }
        acc += w * (double)in[off];
        for (a = r - 1; a >= 0; --a) {
          if (++tap[a] < cnt[a][pos[a]]) break;
          tap[a] = 0;
        }
        if (a < 0) break;
      }
      out[o] = (float)acc;
    }
    for (a = r - 1; a >= 0; --a) {
      if (++pos[a] < p->out_dims[a]) break;
      pos[a] = 0;
    }
  }
}
