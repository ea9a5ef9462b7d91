#include "convtranspose_f32.h"

#include "activation_f32.h"

/* The input index along one dim that kernel tap k maps onto output index o
 * (o = i * s - pad + k * d), or -1 when none does. */
static int32_t source_index(int32_t o, int32_t k, int32_t s, int32_t d, int32_t pad,
                            int32_t in) {
  int32_t t = o + pad - k * d, i;
  if (t < 0 || t % s != 0) return -1;
  i = t / s;
  return i < in ? i : -1;
}

void ec_convtranspose_f32(const ec_convtranspose_f32_params *p, const float *in,
                          const float *w, const float *bias, float *out) {
  const int32_t cig = p->ci / p->groups, cog = p->co / p->groups;
  const int32_t ksize = p->kh * p->kw;
  int32_t b, o, oy, ox, c, ky, kx;
  for (b = 0; b < p->n; ++b)
    for (o = 0; o < p->co; ++o) {
      const int32_t g = o / cog, oc = o % cog;
      const float *ib = in + b * p->in_sn + g * cig * p->in_sc;
      const float *wg = w + ((int32_t)(g * cig) * cog + oc) * ksize;
      float *ob = out + b * p->out_sn + o * p->out_sc;
      for (oy = 0; oy < p->oh; ++oy)
        for (ox = 0; ox < p->ow; ++ox) {
          float acc = bias ? bias[o] : 0.0f;
          for (ky = 0; ky < p->kh; ++ky) {
            const int32_t iy = source_index(oy, ky, p->sh, p->dh, p->ph, p->ih);
            if (iy < 0) continue;
            for (kx = 0; kx < p->kw; ++kx) {
              const int32_t ix = source_index(ox, kx, p->sw, p->dw, p->pw, p->iw);
              const float *ip;
              const float *wp;
              if (ix < 0) continue;
              ip = ib + iy * p->in_sh + ix * p->in_sw;
              wp = wg + ky * p->kw + kx;
              for (c = 0; c < cig; ++c)
                acc += ip[c * p->in_sc] * wp[c * cog * ksize];
            }
          }
          ob[oy * p->out_sh + ox * p->out_sw] = ec_activate_f32(acc, &p->act);
        }
    }
}
