#include "conv_f32.h"

#include "activation_f32.h"

/* 1x1, stride 1, no padding, one group: a per-pixel matrix-vector product. */
static void conv_1x1(const ec_conv_f32_params *p, const float *in, const float *w,
                     const float *bias, float *out) {
  int32_t n, y, x, o, c;
  for (n = 0; n < p->n; ++n)
    for (y = 0; y < p->oh; ++y)
      for (x = 0; x < p->ow; ++x) {
        const float *ip = in + n * p->in_sn + y * p->in_sh + x * p->in_sw;
        float *op = out + n * p->out_sn + y * p->out_sh + x * p->out_sw;
        for (o = 0; o < p->co; ++o) {
          const float *wp = w + o * p->ci;
          float acc = bias ? bias[o] : 0.0f;
          for (c = 0; c < p->ci; ++c) acc += ip[c * p->in_sc] * wp[c];
          op[o * p->out_sc] = ec_activate_f32(acc, &p->act);
        }
      }
}

/* One input channel per group and one output channel per group. */
static void conv_depthwise(const ec_conv_f32_params *p, const float *in,
                           const float *w, const float *bias, float *out) {
  int32_t n, y, x, c, ky, kx;
  for (n = 0; n < p->n; ++n)
    for (c = 0; c < p->co; ++c) {
      const float *ic = in + n * p->in_sn + c * p->in_sc;
      const float *wc = w + c * p->kh * p->kw;
      float *oc = out + n * p->out_sn + c * p->out_sc;
      float b = bias ? bias[c] : 0.0f;
      for (y = 0; y < p->oh; ++y)
        for (x = 0; x < p->ow; ++x) {
          float acc = b;
          for (ky = 0; ky < p->kh; ++ky) {
            int32_t iy = y * p->sh - p->ph + ky * p->dh;
            if (iy < 0 || iy >= p->ih) continue;
            for (kx = 0; kx < p->kw; ++kx) {
              int32_t ix = x * p->sw - p->pw + kx * p->dw;
              if (ix < 0 || ix >= p->iw) continue;
              acc += ic[iy * p->in_sh + ix * p->in_sw] * wc[ky * p->kw + kx];
            }
          }
          oc[y * p->out_sh + x * p->out_sw] = ec_activate_f32(acc, &p->act);
        }
    }
}

static void conv_general(const ec_conv_f32_params *p, const float *in,
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
              wp = w + ((o * p->kh + ky) * p->kw + kx) * cig;
              if (p->in_sc == 1)
                for (c = 0; c < cig; ++c) acc += ip[c] * wp[c];
              else
                for (c = 0; c < cig; ++c) acc += ip[c * p->in_sc] * wp[c];
            }
          }
          op[o * p->out_sc] = ec_activate_f32(acc, &p->act);
        }
      }
}

void ec_conv_f32(const ec_conv_f32_params *p, const float *in, const float *w,
                 const float *bias, float *out) {
  if (p->kh == 1 && p->kw == 1 && p->sh == 1 && p->sw == 1 && p->ph == 0 &&
      p->pw == 0 && p->groups == 1 && p->ih == p->oh && p->iw == p->ow)
    conv_1x1(p, in, w, bias, out);
  else if (p->groups == p->ci && p->groups == p->co)
    conv_depthwise(p, in, w, bias, out);
  else
    conv_general(p, in, w, bias, out);
}
