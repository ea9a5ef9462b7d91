#include "conv_s8.h"
#include "dsp_q.h"

#include <string.h>

void ec_conv_s8(const ec_conv_s8_params *p, const int8_t *in, int8_t *out) {
  const ec_gemm_s8_params *g = &p->g;
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
          o[(size_t)oc * (size_t)p->out_sc] = ec_gemm_requant_s8(g, acc, oc);
        }
      }
}

/* One output pixel's receptive field, channels-last, padding = in_zp. */
static void ec_im2col_s8(const ec_conv_s8_params *p, const int8_t *in, int32_t oh,
                         int32_t ow, int8_t *col) {
  const int32_t ih0 = oh * p->stride_h - p->pad_t, iw0 = ow * p->stride_w - p->pad_l;
  const int32_t c = p->in_c;
  int32_t kh, kw;
  for (kh = 0; kh < p->k_h; ++kh) {
    const int32_t ih = ih0 + kh * p->dil_h;
    if (ih < 0 || ih >= p->in_h) {
      memset(col, (int8_t)p->in_zp, (size_t)(p->k_w * c));
      col += p->k_w * c;
      continue;
    }
    for (kw = 0; kw < p->k_w; ++kw) {
      const int32_t iw = iw0 + kw * p->dil_w;
      if (iw < 0 || iw >= p->in_w)
        memset(col, (int8_t)p->in_zp, (size_t)c);
      else
        memcpy(col, in + (size_t)ih * (size_t)p->in_sh + (size_t)iw * (size_t)p->in_sw,
               (size_t)c);
      col += c;
    }
  }
}

void ec_conv_s8_dsp(const ec_conv_s8_params *p, const int8_t *in, int8_t *out,
                    void *scratch) {
  const int32_t depth = p->g.depth, oc = p->g.cols;
  int8_t *col = (int8_t *)scratch;
  int32_t b;
  for (b = 0; b < p->batch; ++b) {
    const int8_t *ib = in + (size_t)b * (size_t)p->in_sn;
    int8_t *ob = out + (size_t)b * (size_t)p->out_sn;
    int32_t n = 0, pix = 0, oh, ow;
    for (oh = 0; oh < p->out_h; ++oh)
      for (ow = 0; ow < p->out_w; ++ow) {
        ec_im2col_s8(p, ib, oh, ow, col + (size_t)n * (size_t)depth);
        if (++n == 2) {
          ec_gemm_s8_dsp(&p->g, col, 2, depth, ob + (size_t)pix * (size_t)oc, oc);
          pix += 2;
          n = 0;
        }
      }
    if (n) ec_gemm_s8_dsp(&p->g, col, 1, depth, ob + (size_t)pix * (size_t)oc, oc);
  }
}

void ec_dwconv_s8_dsp(const ec_conv_s8_params *p, const int8_t *in, int8_t *out) {
  const ec_gemm_s8_params *g = &p->g;
  const int32_t C = p->in_c, kk = p->k_h * p->k_w;
  const uint32_t zpb = (uint32_t)(uint8_t)(int8_t)p->in_zp;
  const uint32_t zpw = zpb | (zpb << 8) | (zpb << 16) | (zpb << 24);
  const uint32_t zl = ec_sxtb16(zpw);
  int32_t b, oh, ow, c, kh, kw;
  for (b = 0; b < p->batch; ++b)
    for (oh = 0; oh < p->out_h; ++oh)
      for (ow = 0; ow < p->out_w; ++ow) {
        const int32_t ih0 = oh * p->stride_h - p->pad_t;
        const int32_t iw0 = ow * p->stride_w - p->pad_l;
        const int8_t *ib = in + (size_t)b * (size_t)p->in_sn;
        int8_t *o = out + (size_t)b * (size_t)p->out_sn + (size_t)oh * (size_t)p->out_sh +
                    (size_t)ow * (size_t)p->out_sw;
        for (c = 0; c + 3 < C; c += 4) {
          int32_t a0 = g->bias[c], a1 = g->bias[c + 1], a2 = g->bias[c + 2],
                  a3 = g->bias[c + 3];
          const int8_t *w = g->w + c;
          for (kh = 0; kh < p->k_h; ++kh) {
            const int32_t ih = ih0 + kh * p->dil_h;
            const int rowIn = ih >= 0 && ih < p->in_h;
            const int8_t *xr = ib + (size_t)(rowIn ? ih : 0) * (size_t)p->in_sh + c;
            for (kw = 0; kw < p->k_w; ++kw) {
              const int32_t iw = iw0 + kw * p->dil_w;
              uint32_t vw = ec_ld32(w), wl = ec_sxtb16(vw), wh = ec_sxtb16_ror8(vw);
              uint32_t xl, xh;
              w += C;
              if (rowIn && iw >= 0 && iw < p->in_w) {
                uint32_t vx = ec_ld32(xr + (size_t)iw * (size_t)p->in_sw);
                xl = ec_sxtb16(vx);
                xh = ec_sxtb16_ror8(vx);
              } else {
                xl = zl;
                xh = zl;
              }
              a0 = ec_smlabb(xl, wl, a0);
              a2 = ec_smlatt(xl, wl, a2);
              a1 = ec_smlabb(xh, wh, a1);
              a3 = ec_smlatt(xh, wh, a3);
            }
          }
          o[c] = ec_gemm_requant_s8(g, a0, c);
          o[c + 1] = ec_gemm_requant_s8(g, a1, c + 1);
          o[c + 2] = ec_gemm_requant_s8(g, a2, c + 2);
          o[c + 3] = ec_gemm_requant_s8(g, a3, c + 3);
        }
        for (; c < C; ++c) {
          int32_t acc = g->bias[c];
          const int8_t *w = g->w + c;
          for (kh = 0; kh < p->k_h; ++kh) {
            const int32_t ih = ih0 + kh * p->dil_h;
            for (kw = 0; kw < p->k_w; ++kw, w += C) {
              const int32_t iw = iw0 + kw * p->dil_w;
              int32_t x = p->in_zp;
              if (ih >= 0 && ih < p->in_h && iw >= 0 && iw < p->in_w)
                x = ib[(size_t)ih * (size_t)p->in_sh + (size_t)iw * (size_t)p->in_sw + c];
              acc += (int32_t)(*w) * x;
            }
          }
          o[c] = ec_gemm_requant_s8(g, acc, c);
        }
      }
  (void)kk;
}
