#include "conv_f32.h"

#include "activation_f32.h"

/* Multiply-accumulate: one fused instruction where the FPU has one
 * (Cortex-M4F/M7 VFMA), else a multiply and an add. */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__ARM_FEATURE_FMA)
#define EC_MAC(acc, a, b) __builtin_fmaf((a), (b), (acc))
#else
#define EC_MAC(acc, a, b) ((acc) + (a) * (b))
#endif

/* The register-blocked loops stay out of line: their callers' live values
 * would otherwise crowd the accumulators out of registers. */
#if defined(__GNUC__) || defined(__clang__)
#define EC_NOINLINE __attribute__((noinline))
#else
#define EC_NOINLINE
#endif

/* Hosts with 128-bit SIMD: the 4 output channels of a block as one GCC
 * vector (same per-lane arithmetic as the scalar code). */
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__SSE2__) || defined(__ARM_NEON))
#define EC_F32_VEC 1
typedef float ec_v4f __attribute__((vector_size(16)));
EC_INLINE ec_v4f ec_splat(float v) {
  ec_v4f r = {v, v, v, v};
  return r;
}
#else
#define EC_F32_VEC 0
#endif

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

/* ------------------------------------------------------------------ */
/* Reference path: weights read through strides (computed weights).   */

static void conv_strided(const ec_conv_f32_params *p, const float *in,
                         const float *w, const float *bias, float *out) {
  const int32_t cig = p->ci / p->groups, cog = p->co / p->groups;
  int32_t n, y, x, o, c, ky, kx;
  for (n = 0; n < p->n; ++n)
    for (y = 0; y < p->oh; ++y)
      for (x = 0; x < p->ow; ++x) {
        float *op = out + n * p->out_sn + y * p->out_sh + x * p->out_sw;
        for (o = 0; o < p->co; ++o) {
          const int32_t g = o / cog;
          const float *ig = in + n * p->in_sn + g * cig * p->in_sc;
          float acc = bias ? bias[o] : 0.0f;
          for (ky = 0; ky < p->kh; ++ky) {
            int32_t iy = y * p->sh - p->ph + ky * p->dh;
            if (iy < 0 || iy >= p->ih) continue;
            for (kx = 0; kx < p->kw; ++kx) {
              int32_t ix = x * p->sw - p->pw + kx * p->dw;
              const float *ip, *wp;
              if (ix < 0 || ix >= p->iw) continue;
              ip = ig + iy * p->in_sh + ix * p->in_sw;
              wp = w + o * p->w_so + ky * p->w_sh + kx * p->w_sw;
              for (c = 0; c < cig; ++c) acc += ip[c * p->in_sc] * wp[c * p->w_sc];
            }
          }
          op[o * p->out_sc] = ec_activate_f32(acc, &p->act);
        }
      }
}

/* ------------------------------------------------------------------ */
/* Blocked path: 4 output channels x 4 (or 1) output pixels.           */

/* Taps of one output-channel block for 4 pixels ps apart (input pixel
 * stride), all taps in bounds: x is the input at tap (ky0, 0) of pixel 0,
 * w the block's weights at tap (ky0, 0). acc[4 * pixel + channel]. */
#if EC_F32_VEC
EC_INLINE void tile_4x4_body(const float *x, int32_t ps, int32_t isc, int32_t ty,
                            int32_t tx, int32_t nky, int32_t kw, int32_t cig,
                     const float *w, float *acc) {
  ec_v4f a0 = {0.0f, 0.0f, 0.0f, 0.0f}, a1 = a0, a2 = a0, a3 = a0;
  int32_t ky, kx;
  for (ky = 0; ky < nky; ++ky)
    for (kx = 0; kx < kw; ++kx) {
      const float *EC_RESTRICT x0 = x + ky * ty + kx * tx;
      const float *EC_RESTRICT x1 = x0 + ps;
      const float *EC_RESTRICT x2 = x1 + ps;
      const float *EC_RESTRICT x3 = x2 + ps;
      const float *EC_RESTRICT wp = w + (ky * kw + kx) * cig * 4;
      const float *const wend = wp + cig * 4;
      while (wp != wend) {
        ec_v4f wv, v;
        __builtin_memcpy(&wv, wp, sizeof wv);
        v = ec_splat(*x0); a0 += v * wv;
        v = ec_splat(*x1); a1 += v * wv;
        v = ec_splat(*x2); a2 += v * wv;
        v = ec_splat(*x3); a3 += v * wv;
        x0 += isc; x1 += isc; x2 += isc; x3 += isc;
        wp += 4;
      }
    }
  __builtin_memcpy(acc, &a0, sizeof a0);
  __builtin_memcpy(acc + 4, &a1, sizeof a1);
  __builtin_memcpy(acc + 8, &a2, sizeof a2);
  __builtin_memcpy(acc + 12, &a3, sizeof a3);
}
#else
EC_INLINE void tile_4x4_body(const float *x, int32_t ps, int32_t isc, int32_t ty,
                            int32_t tx, int32_t nky, int32_t kw, int32_t cig,
                     const float *w, float *acc) {
  float a00 = 0.0f, a01 = 0.0f, a02 = 0.0f, a03 = 0.0f;
  float a10 = 0.0f, a11 = 0.0f, a12 = 0.0f, a13 = 0.0f;
  float a20 = 0.0f, a21 = 0.0f, a22 = 0.0f, a23 = 0.0f;
  float a30 = 0.0f, a31 = 0.0f, a32 = 0.0f, a33 = 0.0f;
  int32_t ky, kx;
  for (ky = 0; ky < nky; ++ky)
    for (kx = 0; kx < kw; ++kx) {
      const float *EC_RESTRICT x0 = x + ky * ty + kx * tx;
      const float *EC_RESTRICT x1 = x0 + ps;
      const float *EC_RESTRICT x2 = x1 + ps;
      const float *EC_RESTRICT x3 = x2 + ps;
      const float *EC_RESTRICT wp = w + (ky * kw + kx) * cig * 4;
      const float *const wend = wp + cig * 4;
      while (wp != wend) {
        const float w0 = wp[0], w1 = wp[1], w2 = wp[2], w3 = wp[3];
        float v = *x0;
        a00 = EC_MAC(a00, v, w0); a01 = EC_MAC(a01, v, w1);
        a02 = EC_MAC(a02, v, w2); a03 = EC_MAC(a03, v, w3);
        v = *x1;
        a10 = EC_MAC(a10, v, w0); a11 = EC_MAC(a11, v, w1);
        a12 = EC_MAC(a12, v, w2); a13 = EC_MAC(a13, v, w3);
        v = *x2;
        a20 = EC_MAC(a20, v, w0); a21 = EC_MAC(a21, v, w1);
        a22 = EC_MAC(a22, v, w2); a23 = EC_MAC(a23, v, w3);
        v = *x3;
        a30 = EC_MAC(a30, v, w0); a31 = EC_MAC(a31, v, w1);
        a32 = EC_MAC(a32, v, w2); a33 = EC_MAC(a33, v, w3);
        x0 += isc; x1 += isc; x2 += isc; x3 += isc;
        wp += 4;
      }
    }
  acc[0] = a00; acc[1] = a01; acc[2] = a02; acc[3] = a03;
  acc[4] = a10; acc[5] = a11; acc[6] = a12; acc[7] = a13;
  acc[8] = a20; acc[9] = a21; acc[10] = a22; acc[11] = a23;
  acc[12] = a30; acc[13] = a31; acc[14] = a32; acc[15] = a33;
}
#endif

/* Specializations: adjacent pixels (channels-first, stride 1), adjacent
 * channels (channels-last), any strides. */
EC_NOINLINE static void tile_4x4_p1(const float *x, int32_t isc, int32_t ty, int32_t tx,
                        int32_t nky, int32_t kw, int32_t cig, const float *w,
                        float *acc) {
  tile_4x4_body(x, 1, isc, ty, tx, nky, kw, cig, w, acc);
}

EC_NOINLINE static void tile_4x4_c1(const float *x, int32_t ps, int32_t ty, int32_t tx,
                        int32_t nky, int32_t kw, int32_t cig, const float *w,
                        float *acc) {
  tile_4x4_body(x, ps, 1, ty, tx, nky, kw, cig, w, acc);
}

EC_NOINLINE static void tile_4x4_any(const float *x, int32_t ps, int32_t isc,
                                     int32_t ty, int32_t tx, int32_t nky, int32_t kw,
                                     int32_t cig, const float *w, float *acc) {
  tile_4x4_body(x, ps, isc, ty, tx, nky, kw, cig, w, acc);
}

static void tile_4x4(const float *x, int32_t ps, int32_t isc, int32_t ty,
                     int32_t tx, int32_t nky, int32_t kw, int32_t cig,
                     const float *w, float *acc) {
  if (ps == 1)
    tile_4x4_p1(x, isc, ty, tx, nky, kw, cig, w, acc);
  else if (isc == 1)
    tile_4x4_c1(x, ps, ty, tx, nky, kw, cig, w, acc);
  else
    tile_4x4_any(x, ps, isc, ty, tx, nky, kw, cig, w, acc);
}

/* One pixel, nky x nkx taps: x at the first valid tap, w at that tap's
 * weights; wrow is the weight stride of one kernel row. */
EC_NOINLINE static void tile_1x4(const float *x, int32_t isc, int32_t ty, int32_t tx,
                     int32_t nky, int32_t nkx, int32_t wrow, int32_t cig,
                     const float *w, float *acc) {
  float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
  int32_t ky, kx, c;
  for (ky = 0; ky < nky; ++ky)
    for (kx = 0; kx < nkx; ++kx) {
      const float *EC_RESTRICT x0 = x + ky * ty + kx * tx;
      const float *EC_RESTRICT wp = w + ky * wrow + kx * cig * 4;
      for (c = 0; c < cig; ++c) {
        const float v = *x0;
        a0 = EC_MAC(a0, v, wp[0]); a1 = EC_MAC(a1, v, wp[1]);
        a2 = EC_MAC(a2, v, wp[2]); a3 = EC_MAC(a3, v, wp[3]);
        x0 += isc;
        wp += 4;
      }
    }
  acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
}

/* act(acc[4 * pixel + j] + bias[j]) -> op[pixel * ops + j * osc], for np
 * pixels and nv channels; the common activations without a per-element
 * switch. */
static void store_block(const ec_act_params *act, const float *acc, int32_t np,
                        int32_t nv, const float *bias, float *op, int32_t ops,
                        int32_t osc) {
  float b[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  int32_t i, j;
  if (bias) { /* element by element: a loop here becomes a memcpy call */
    b[0] = bias[0];
    if (nv > 1) b[1] = bias[1];
    if (nv > 2) b[2] = bias[2];
    if (nv > 3) b[3] = bias[3];
  }
  switch (act->kind) {
  case EC_ACT_NONE:
    for (i = 0; i < np; ++i)
      for (j = 0; j < nv; ++j) op[i * ops + j * osc] = acc[4 * i + j] + b[j];
    break;
  case EC_ACT_RELU:
    for (i = 0; i < np; ++i)
      for (j = 0; j < nv; ++j) {
        const float v = acc[4 * i + j] + b[j];
        op[i * ops + j * osc] = v > 0.0f ? v : 0.0f;
      }
    break;
  default:
    for (i = 0; i < np; ++i)
      for (j = 0; j < nv; ++j)
        op[i * ops + j * osc] = ec_activate_f32(acc[4 * i + j] + b[j], act);
    break;
  }
}

static void conv_blocked(const ec_conv_f32_params *p, const float *in,
                         const float *w, const float *bias, float *out) {
  const int32_t cig = p->ci / p->groups, cog = p->co / p->groups;
  const int32_t nb = (cog + 3) / 4, wblock = p->kh * p->kw * cig * 4;
  const int32_t wrow = p->kw * cig * 4;
  int32_t ih = p->ih, iw = p->iw, oh = p->oh, ow = p->ow;
  int32_t in_sh = p->in_sh, in_sw = p->in_sw, out_sh = p->out_sh, out_sw = p->out_sw;
  const int32_t ty = p->dh * p->in_sh, tx = p->dw * p->in_sw;
  int32_t n, g, b, oy, ox, ox_lo, ox_hi, ps, ops;
  float acc[16];
  /* A pointwise convolution over dense planes: one row of pixels. */
  if (p->kh == 1 && p->kw == 1 && p->sh == 1 && p->sw == 1 && p->ph == 0 &&
      p->pw == 0 && ih == oh && iw == ow && in_sh == iw * in_sw &&
      out_sh == ow * out_sw) {
    iw = ow = ih * iw;
    ih = oh = 1;
    in_sh = iw * in_sw;
    out_sh = ow * out_sw;
  }
  ps = p->sw * in_sw;
  ops = out_sw;
  /* Output columns whose taps are all inside the input row. */
  ox_lo = p->pw > 0 ? (p->pw + p->sw - 1) / p->sw : 0;
  if (ox_lo > ow) ox_lo = ow;
  {
    int32_t lim = iw + p->pw - (p->kw - 1) * p->dw; /* ox * sw < lim */
    ox_hi = lim > 0 ? (lim + p->sw - 1) / p->sw : 0;
    if (ox_hi > ow) ox_hi = ow;
    if (ox_hi < ox_lo) ox_hi = ox_lo;
  }
  for (n = 0; n < p->n; ++n)
    for (g = 0; g < p->groups; ++g) {
      const float *ig = in + n * p->in_sn + g * cig * p->in_sc;
      for (b = 0; b < nb; ++b) {
        const int32_t o0 = g * cog + b * 4;
        const int32_t nv = cog - b * 4 < 4 ? cog - b * 4 : 4;
        const float *wb = w + (g * nb + b) * wblock;
        const float *bb = bias ? bias + o0 : 0;
        for (oy = 0; oy < oh; ++oy) {
          const int32_t iy0 = oy * p->sh - p->ph;
          const int32_t ky0 = first_tap(iy0, p->dh, 0, p->kh);
          const int32_t ky1 = end_tap(iy0, p->dh, ih, p->kh);
          const int32_t nky = ky1 > ky0 ? ky1 - ky0 : 0;
          const float *irow = ig + (iy0 + ky0 * p->dh) * in_sh;
          const float *wrw = wb + ky0 * wrow;
          float *orow = out + n * p->out_sn + oy * out_sh + o0 * p->out_sc;
          for (ox = 0; ox < ow;) {
            const int32_t ix0 = ox * p->sw - p->pw;
            if (ox >= ox_lo && ox + 4 <= ox_hi) {
              tile_4x4(irow + ix0 * in_sw, ps, p->in_sc, ty, tx, nky, p->kw, cig, wrw,
                       acc);
              store_block(&p->act, acc, 4, nv, bb, orow + ox * ops, ops, p->out_sc);
              ox += 4;
            } else {
              const int32_t kx0 = first_tap(ix0, p->dw, 0, p->kw);
              const int32_t kx1 = end_tap(ix0, p->dw, iw, p->kw);
              if (kx1 > kx0 && nky > 0)
                tile_1x4(irow + (ix0 + kx0 * p->dw) * in_sw, p->in_sc, ty, tx, nky,
                         kx1 - kx0, wrow, cig, wrw + kx0 * cig * 4, acc);
              else
                acc[0] = acc[1] = acc[2] = acc[3] = 0.0f;
              store_block(&p->act, acc, 1, nv, bb, orow + ox * ops, ops, p->out_sc);
              ++ox;
            }
          }
        }
      }
    }
}

/* ------------------------------------------------------------------ */
/* Depthwise (one input and one output channel per group).             */

/* Channels-last depthwise, 4 pixels ps apart x 4 adjacent channels, all
 * taps in bounds: x at tap (ky0, 0) of pixel 0, w ([KH][KW][C]) at tap
 * (ky0, 0); wt is the weight stride of one tap (C). */
EC_NOINLINE static void dw_nhwc_4x4(const float *x, int32_t ps, int32_t ty,
                                    int32_t tx, int32_t nky, int32_t kw,
                                    const float *w, int32_t wt, float *acc) {
  float a00 = 0.0f, a01 = 0.0f, a02 = 0.0f, a03 = 0.0f;
  float a10 = 0.0f, a11 = 0.0f, a12 = 0.0f, a13 = 0.0f;
  float a20 = 0.0f, a21 = 0.0f, a22 = 0.0f, a23 = 0.0f;
  float a30 = 0.0f, a31 = 0.0f, a32 = 0.0f, a33 = 0.0f;
  int32_t ky, kx;
  for (ky = 0; ky < nky; ++ky) {
    const float *EC_RESTRICT x0 = x + ky * ty;
    const float *EC_RESTRICT x1 = x0 + ps;
    const float *EC_RESTRICT x2 = x1 + ps;
    const float *EC_RESTRICT x3 = x2 + ps;
    const float *EC_RESTRICT wp = w + ky * kw * wt;
    for (kx = 0; kx < kw; ++kx) {
      const float w0 = wp[0], w1 = wp[1], w2 = wp[2], w3 = wp[3];
      a00 = EC_MAC(a00, x0[0], w0); a01 = EC_MAC(a01, x0[1], w1);
      a02 = EC_MAC(a02, x0[2], w2); a03 = EC_MAC(a03, x0[3], w3);
      a10 = EC_MAC(a10, x1[0], w0); a11 = EC_MAC(a11, x1[1], w1);
      a12 = EC_MAC(a12, x1[2], w2); a13 = EC_MAC(a13, x1[3], w3);
      a20 = EC_MAC(a20, x2[0], w0); a21 = EC_MAC(a21, x2[1], w1);
      a22 = EC_MAC(a22, x2[2], w2); a23 = EC_MAC(a23, x2[3], w3);
      a30 = EC_MAC(a30, x3[0], w0); a31 = EC_MAC(a31, x3[1], w1);
      a32 = EC_MAC(a32, x3[2], w2); a33 = EC_MAC(a33, x3[3], w3);
      x0 += tx; x1 += tx; x2 += tx; x3 += tx;
      wp += wt;
    }
  }
  acc[0] = a00; acc[1] = a01; acc[2] = a02; acc[3] = a03;
  acc[4] = a10; acc[5] = a11; acc[6] = a12; acc[7] = a13;
  acc[8] = a20; acc[9] = a21; acc[10] = a22; acc[11] = a23;
  acc[12] = a30; acc[13] = a31; acc[14] = a32; acc[15] = a33;
}

/* Channels-last depthwise, one pixel, channels c0.. C, taps clipped. */
static void dw_nhwc_pixel(const ec_conv_f32_params *p, const float *in, const float *w,
                          const float *bias, float *out, int32_t n, int32_t oy,
                          int32_t ox, int32_t c0) {
  const int32_t C = p->co;
  const int32_t iy0 = oy * p->sh - p->ph, ix0 = ox * p->sw - p->pw;
  const int32_t ky0 = first_tap(iy0, p->dh, 0, p->kh);
  const int32_t ky1 = end_tap(iy0, p->dh, p->ih, p->kh);
  const int32_t kx0 = first_tap(ix0, p->dw, 0, p->kw);
  const int32_t kx1 = end_tap(ix0, p->dw, p->iw, p->kw);
  const float *ip = in + n * p->in_sn + iy0 * p->in_sh + ix0 * p->in_sw;
  float *op = out + n * p->out_sn + oy * p->out_sh + ox * p->out_sw;
  int32_t ky, kx, c;
  for (c = c0; c + 4 <= C; c += 4) {
    float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
    for (ky = ky0; ky < ky1; ++ky) {
      const float *EC_RESTRICT xp = ip + ky * p->dh * p->in_sh + kx0 * p->dw * p->in_sw + c;
      const float *EC_RESTRICT wp = w + (ky * p->kw + kx0) * C + c;
      for (kx = kx0; kx < kx1; ++kx) {
        a0 = EC_MAC(a0, xp[0], wp[0]);
        a1 = EC_MAC(a1, xp[1], wp[1]);
        a2 = EC_MAC(a2, xp[2], wp[2]);
        a3 = EC_MAC(a3, xp[3], wp[3]);
        xp += p->dw * p->in_sw;
        wp += C;
      }
    }
    if (bias) {
      a0 += bias[c]; a1 += bias[c + 1]; a2 += bias[c + 2]; a3 += bias[c + 3];
    }
    op[c] = ec_activate_f32(a0, &p->act);
    op[c + 1] = ec_activate_f32(a1, &p->act);
    op[c + 2] = ec_activate_f32(a2, &p->act);
    op[c + 3] = ec_activate_f32(a3, &p->act);
  }
  for (; c < C; ++c) {
    float a = 0.0f;
    for (ky = ky0; ky < ky1; ++ky)
      for (kx = kx0; kx < kx1; ++kx)
        a = EC_MAC(a, ip[ky * p->dh * p->in_sh + kx * p->dw * p->in_sw + c],
                   w[(ky * p->kw + kx) * C + c]);
    if (bias) a += bias[c];
    op[c] = ec_activate_f32(a, &p->act);
  }
}

/* Channels-last: channels innermost, 4 at a time; w is [KH][KW][C].
 * Interior pixels go 4 at a time without bounds checks. */
static void depthwise_nhwc(const ec_conv_f32_params *p, const float *in,
                           const float *w, const float *bias, float *out) {
  const int32_t C = p->co, C4 = C & ~3;
  const int32_t ty = p->dh * p->in_sh, tx = p->dw * p->in_sw, ps = p->sw * p->in_sw;
  int32_t n, oy, ox, c, i, ox_lo, ox_hi;
  float acc[16];
  ox_lo = p->pw > 0 ? (p->pw + p->sw - 1) / p->sw : 0;
  if (ox_lo > p->ow) ox_lo = p->ow;
  {
    int32_t lim = p->iw + p->pw - (p->kw - 1) * p->dw;
    ox_hi = lim > 0 ? (lim + p->sw - 1) / p->sw : 0;
    if (ox_hi > p->ow) ox_hi = p->ow;
    if (ox_hi < ox_lo) ox_hi = ox_lo;
  }
  for (n = 0; n < p->n; ++n)
    for (oy = 0; oy < p->oh; ++oy) {
      const int32_t iy0 = oy * p->sh - p->ph;
      const int32_t ky0 = first_tap(iy0, p->dh, 0, p->kh);
      const int32_t ky1 = end_tap(iy0, p->dh, p->ih, p->kh);
      const int32_t nky = ky1 > ky0 ? ky1 - ky0 : 0;
      const float *irow = in + n * p->in_sn + (iy0 + ky0 * p->dh) * p->in_sh;
      const float *wrow = w + ky0 * p->kw * C;
      float *orow = out + n * p->out_sn + oy * p->out_sh;
      for (ox = 0; ox < p->ow;) {
        if (ox >= ox_lo && ox + 4 <= ox_hi && C4 > 0) {
          const float *x = irow + (ox * p->sw - p->pw) * p->in_sw;
          for (c = 0; c < C4; c += 4) {
            dw_nhwc_4x4(x + c, ps, ty, tx, nky, p->kw, wrow + c, C, acc);
            store_block(&p->act, acc, 4, 4, bias ? bias + c : 0,
                        orow + ox * p->out_sw + c, p->out_sw, 1);
          }
          if (C4 < C)
            for (i = 0; i < 4; ++i) dw_nhwc_pixel(p, in, w, bias, out, n, oy, ox + i, C4);
          ox += 4;
        } else {
          dw_nhwc_pixel(p, in, w, bias, out, n, oy, ox, 0);
          ++ox;
        }
      }
    }
}

/* 4 pixels ps apart of one channel plane, all taps in bounds: x at tap
 * (ky0, 0) of pixel 0, w the plane's weights at row ky0. */
EC_INLINE void dw_plane_4_body(const float *x, int32_t ps, int32_t ty, int32_t tx,
                               int32_t nky, int32_t kw, const float *w, float *acc) {
  float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
  int32_t ky, kx;
  for (ky = 0; ky < nky; ++ky) {
    const float *EC_RESTRICT xp = x + ky * ty;
    const float *EC_RESTRICT wp = w + ky * kw;
    for (kx = 0; kx < kw; ++kx) {
      const float wv = wp[kx];
      a0 = EC_MAC(a0, xp[0], wv);
      a1 = EC_MAC(a1, xp[ps], wv);
      a2 = EC_MAC(a2, xp[2 * ps], wv);
      a3 = EC_MAC(a3, xp[3 * ps], wv);
      xp += tx;
    }
  }
  acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
}

EC_NOINLINE static void dw_plane_4(const float *x, int32_t ps, int32_t ty, int32_t tx,
                                   int32_t nky, int32_t kw, const float *w, float *acc) {
  if (ps == 1 && tx == 1)
    dw_plane_4_body(x, 1, ty, 1, nky, kw, w, acc);
  else if (ps == 2 && tx == 1)
    dw_plane_4_body(x, 2, ty, 1, nky, kw, w, acc);
  else
    dw_plane_4_body(x, ps, ty, tx, nky, kw, w, acc);
}

/* Any layout, one channel plane at a time; w is [C][KH][KW]. Interior
 * pixels go 4 at a time without bounds checks. */
static void depthwise_planar(const ec_conv_f32_params *p, const float *in,
                             const float *w, const float *bias, float *out) {
  const int32_t kh = p->kh, kw = p->kw;
  const int32_t ty = p->dh * p->in_sh, tx = p->dw * p->in_sw, ps = p->sw * p->in_sw;
  int32_t n, c, oy, ox, ky, kx, ox_lo, ox_hi;
  ox_lo = p->pw > 0 ? (p->pw + p->sw - 1) / p->sw : 0;
  if (ox_lo > p->ow) ox_lo = p->ow;
  {
    int32_t lim = p->iw + p->pw - (kw - 1) * p->dw;
    ox_hi = lim > 0 ? (lim + p->sw - 1) / p->sw : 0;
    if (ox_hi > p->ow) ox_hi = p->ow;
    if (ox_hi < ox_lo) ox_hi = ox_lo;
  }
  for (n = 0; n < p->n; ++n)
    for (c = 0; c < p->co; ++c) {
      const float *ic = in + n * p->in_sn + c * p->in_sc;
      const float *wc = w + c * kh * kw;
      float *oc = out + n * p->out_sn + c * p->out_sc;
      const float b = bias ? bias[c] : 0.0f;
      for (oy = 0; oy < p->oh; ++oy) {
        const int32_t iy0 = oy * p->sh - p->ph;
        const int32_t ky0 = first_tap(iy0, p->dh, 0, kh);
        const int32_t ky1 = end_tap(iy0, p->dh, p->ih, kh);
        float *orow = oc + oy * p->out_sh;
        for (ox = 0; ox < p->ow;) {
          const int32_t ix0 = ox * p->sw - p->pw;
          if (ox >= ox_lo && ox + 4 <= ox_hi) {
            float acc[4];
            dw_plane_4(ic + (iy0 + ky0 * p->dh) * p->in_sh + ix0 * p->in_sw, ps, ty, tx,
                       ky1 > ky0 ? ky1 - ky0 : 0, kw, wc + ky0 * kw, acc);
            orow[ox * p->out_sw] = ec_activate_f32(acc[0] + b, &p->act);
            orow[(ox + 1) * p->out_sw] = ec_activate_f32(acc[1] + b, &p->act);
            orow[(ox + 2) * p->out_sw] = ec_activate_f32(acc[2] + b, &p->act);
            orow[(ox + 3) * p->out_sw] = ec_activate_f32(acc[3] + b, &p->act);
            ox += 4;
          } else {
            const int32_t kx0 = first_tap(ix0, p->dw, 0, kw);
            const int32_t kx1 = end_tap(ix0, p->dw, p->iw, kw);
            float a = 0.0f;
            for (ky = ky0; ky < ky1; ++ky)
              for (kx = kx0; kx < kx1; ++kx)
                a = EC_MAC(a, ic[(iy0 + ky * p->dh) * p->in_sh + (ix0 + kx * p->dw) * p->in_sw],
                           wc[ky * kw + kx]);
            orow[ox * p->out_sw] = ec_activate_f32(a + b, &p->act);
            ++ox;
          }
        }
      }
    }
}

void ec_conv_f32(const ec_conv_f32_params *p, const float *in, const float *w,
                 const float *bias, float *out) {
  if (p->mode == EC_CONV_F32_BLOCKED)
    conv_blocked(p, in, w, bias, out);
  else if (p->mode == EC_CONV_F32_DEPTHWISE && p->in_sc == 1 && p->out_sc == 1)
    depthwise_nhwc(p, in, w, bias, out);
  else if (p->mode == EC_CONV_F32_DEPTHWISE)
    depthwise_planar(p, in, w, bias, out);
  else
    conv_strided(p, in, w, bias, out);
}
