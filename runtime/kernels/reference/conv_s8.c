#include "conv_s8.h"

void ec_conv_s8(const ec_conv_s8_params *p, const int8_t *in, int8_t *out) {
  const ec_gemm_s8_params *g = &p->g;
  const ec_requant_s8 q = ec_requant_s8_init(g);
  const int32_t cg = p->in_c / p->groups, mg = g->cols / p->groups;
  const int32_t ksz = p->k_h * p->k_w * cg, zp = p->in_zp;
  int32_t b, oh, ow, oc, kh, kw, ic;
  for (b = 0; b < p->batch; ++b)
    for (oh = 0; oh < p->out_h; ++oh)
      for (ow = 0; ow < p->out_w; ++ow) {
        const int32_t ih0 = oh * p->stride_h - p->pad_t;
        const int32_t iw0 = ow * p->stride_w - p->pad_l;
        int8_t *o = out + (size_t)b * (size_t)p->out_sn + (size_t)oh * (size_t)p->out_sh +
                    (size_t)ow * (size_t)p->out_sw;
        for (oc = 0; oc < g->cols; ++oc) {
          const int8_t *wr = g->w + (size_t)oc * (size_t)ksz;
          const int8_t *xb = in + (size_t)b * (size_t)p->in_sn +
                             (size_t)(oc / mg) * (size_t)cg * (size_t)p->in_sc;
          int32_t acc = p->raw_bias[oc];
          for (kh = 0; kh < p->k_h; ++kh) {
            const int32_t ih = ih0 + kh * p->dil_h;
            if (ih < 0 || ih >= p->in_h) continue;
            for (kw = 0; kw < p->k_w; ++kw) {
              const int32_t iw = iw0 + kw * p->dil_w;
              const int8_t *x, *w;
              if (iw < 0 || iw >= p->in_w) continue;
              x = xb + (size_t)ih * (size_t)p->in_sh + (size_t)iw * (size_t)p->in_sw;
              w = wr + (kh * p->k_w + kw) * cg;
              for (ic = 0; ic < cg; ++ic)
                acc += (int32_t)w[ic] * ((int32_t)x[(size_t)ic * (size_t)p->in_sc] - zp);
            }
          }
          o[(size_t)oc * (size_t)p->out_sc] = ec_requant_s8_apply(&q, acc, oc);
        }
      }
}
