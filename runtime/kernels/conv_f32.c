#include "conv_f32.h"

#include "activation_f32.h"

/* Multiply-accumulate: one fused instruction where the FPU has one
 * (Cortex-M4F/M7 VFMA), else a multiply and an add. */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__ARM_FEATURE_FMA)
#define EC_MAC(acc, a, b) __builtin_fmaf((a), (b), (acc))
#else
#define EC_MAC(acc, a, b) ((acc) + (a) * (b))
#endif

/* Number of k in [0, kmax) with lo <= base + k * d (the first valid k). */
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
static void tile_4x4(const float *x, int32_t ps, int32_t isc, int32_t ty,
                     int32_t tx, int32_t nky, int32_t kw, int32_t cig,
                     const float *w, float *acc) {
  float a00 = 0.0f, a01 = 0.0f, a02 = 0.0f, a03 = 0.0f;
  float a10 = 0.0f, a11 = 0.0f, a12 = 0.0f, a13 = 0.0f;
  float a20 = 0.0f, a21 = 0.0f, a22 = 0.0f, a23 = 0.0f;
  float a30 = 0.0f, a31 = 0.0f, a32 = 0.0f, a33 = 0.0f;
  int32_t ky, kx, c;
  for (ky = 0; ky < nky; ++ky)
    for (kx = 0; kx < kw; ++kx) {
      const float *EC_RESTRICT x0 = x + ky * ty + kx * tx;
      const float *EC_RESTRICT x1 = x0 + ps;
      const float *EC_RESTRICT x2 = x1 + ps;
      const float *EC_RESTRICT x3 = x2 + ps;
      const float *EC_RESTRICT wp = w + (ky * kw + kx) * cig * 4;
      for (c = 0; c < cig; ++c) {
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

/* One pixel, nky x nkx taps: x at the first valid tap, w at that tap's
 * weights; wrow is the weight stride of one kernel row. */
static void tile_1x4(const float *x, int32_t isc, int32_t ty, int32_t tx,
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

/* acc[4 * pixel + j] + bias -> out, for np pixels and nv channels. */
static void store_block(const ec_conv_f32_params *p, const float *acc, int32_t np,
                        int32_t nv, const float *bias, float *op, int32_t ops) {
  int32_t i, j;
  for (i = 0; i < np; ++i)
    for (j = 0; j < nv; ++j) {
      float v = acc[4 * i + j] + (bias ? bias[j] : 0.0f);
      op[i * ops + j * p->out_sc] = ec_activate_f32(v, &p->act);
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
              store_block(p, acc, 4, nv, bb, orow + ox * ops, ops);
              ox += 4;
            } else {
              const int32_t kx0 = first_tap(ix0, p->dw, 0, p->kw);
              const int32_t kx1 = end_tap(ix0, p->dw, iw, p->kw);
              if (kx1 > kx0 && nky > 0)
                tile_1x4(irow + (ix0 + kx0 * p->dw) * in_sw, p->in_sc, ty, tx, nky,
                         kx1 - kx0, wrow, cig, wrw + kx0 * cig * 4, acc);
              else
                acc[0] = acc[1] = acc[2] = acc[3] = 0.0f;
              store_block(p, acc, 1, nv, bb, orow + ox * ops, ops);
              ++ox;
            }
          }
        }
      }
    }
}

/* ------------------------------------------------------------------ */
/* Depthwise (one input and one output channel per group).             */

/* Channels-last: channels innermost, 4 at a time; w is [KH][KW][C]. */
static void depthwise_nhwc(const ec_conv_f32_params *p, const float *in,
                           const float *w, const float *bias, float *out) {
  const int32_t C = p->co;
  int32_t n, oy, ox, ky, kx, c;
  for (n = 0; n < p->n; ++n)
    for (oy = 0; oy < p->oh; ++oy) {
      const int32_t iy0 = oy * p->sh - p->ph;
      const int32_t ky0 = first_tap(iy0, p->dh, 0, p->kh);
      const int32_t ky1 = end_tap(iy0, p->dh, p->ih, p->kh);
      for (ox = 0; ox < p->ow; ++ox) {
        const int32_t ix0 = ox * p->sw - p->pw;
        const int32_t kx0 = first_tap(ix0, p->dw, 0, p->kw);
        const int32_t kx1 = end_tap(ix0, p->dw, p->iw, p->kw);
        const float *ip = in + n * p->in_sn + iy0 * p->in_sh + ix0 * p->in_sw;
        float *EC_RESTRICT op = out + n * p->out_sn + oy * p->out_sh + ox * p->out_sw;
        for (c = 0; c + 4 <= C; c += 4) {
          float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
          for (ky = ky0; ky < ky1; ++ky) {
            const float *EC_RESTRICT xr = ip + ky * p->dh * p->in_sh + c;
            const float *EC_RESTRICT wr = w + ky * p->kw * C + c;
            for (kx = kx0; kx < kx1; ++kx) {
              const float *EC_RESTRICT xp = xr + kx * p->dw * p->in_sw;
              const float *EC_RESTRICT wp = wr + kx * C;
              a0 = EC_MAC(a0, xp[0], wp[0]);
              a1 = EC_MAC(a1, xp[1], wp[1]);
              a2 = EC_MAC(a2, xp[2], wp[2]);
              a3 = EC_MAC(a3, xp[3], wp[3]);
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
    }
}

/* Any layout, one channel plane at a time; w is [C][KH][KW]. Interior
 * pixels go 4 at a time without bounds checks. */
static void depthwise_planar(const ec_conv_f32_params *p, const float *in,
                             const float *w, const float *bias, float *out) {
  const int32_t kh = p->kh, kw = p->kw;
  const int32_t tx = p->dw * p->in_sw, ps = p->sw * p->in_sw;
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
            float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
            for (ky = ky0; ky < ky1; ++ky) {
              const float *EC_RESTRICT xr =
                  ic + (iy0 + ky * p->dh) * p->in_sh + ix0 * p->in_sw;
              const float *EC_RESTRICT wr = wc + ky * kw;
              for (kx = 0; kx < kw; ++kx) {
                const float wv = wr[kx];
                const float *EC_RESTRICT xp = xr + kx * tx;
                a0 = EC_MAC(a0, xp[0], wv);
                a1 = EC_MAC(a1, xp[ps], wv);
                a2 = EC_MAC(a2, xp[2 * ps], wv);
                a3 = EC_MAC(a3, xp[3 * ps], wv);
              }
            }
            orow[ox * p->out_sw] = ec_activate_f32(a0 + b, &p->act);
            orow[(ox + 1) * p->out_sw] = ec_activate_f32(a1 + b, &p->act);
            orow[(ox + 2) * p->out_sw] = ec_activate_f32(a2 + b, &p->act);
            orow[(ox + 3) * p->out_sw] = ec_activate_f32(a3 + b, &p->act);
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
