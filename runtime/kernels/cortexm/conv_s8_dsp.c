#include "conv_s8_dsp.h"
#include "fc_s8_dsp.h"

#include <string.h>

/* n bytes (small, unaligned) */
static void ec_copy_bytes(int8_t *d, const int8_t *s, int32_t n) {
  for (; n >= 4; n -= 4, d += 4, s += 4) {
    uint32_t v;
    memcpy(&v, s, 4);
    memcpy(d, &v, 4);
  }
  for (; n > 0; --n) *d++ = *s++;
}

static void ec_fill_bytes(int8_t *d, int8_t v, int32_t n) {
  for (; n > 0; --n) *d++ = v;
}

/* One output pixel's receptive field, channels-last, padding = in_zp. */
static void ec_im2col_s8(const ec_conv_s8_params *p, const int8_t *in, int32_t oh,
                         int32_t ow, int8_t *col) {
  const int32_t ih0 = oh * p->stride_h - p->pad_t, iw0 = ow * p->stride_w - p->pad_l;
  const int32_t c = p->in_c, row = p->k_w * c;
  const int8_t zp = (int8_t)p->in_zp;
  const int rowInside = iw0 >= 0 && iw0 + (p->k_w - 1) * p->dil_w < p->in_w;
  int32_t kh, kw;
  for (kh = 0; kh < p->k_h; ++kh) {
    const int32_t ih = ih0 + kh * p->dil_h;
    if (ih < 0 || ih >= p->in_h) {
      ec_fill_bytes(col, zp, row);
    } else if (p->in_sc != 1) { /* channels-first: gather */
      const int32_t sc = p->in_sc;
      int32_t ic;
      for (kw = 0; kw < p->k_w; ++kw) {
        const int32_t iw = iw0 + kw * p->dil_w;
        int8_t *d = col + kw * c;
        if (iw < 0 || iw >= p->in_w) {
          ec_fill_bytes(d, zp, c);
        } else {
          const int8_t *src = in + (size_t)ih * (size_t)p->in_sh + (size_t)iw * (size_t)p->in_sw;
          for (ic = 0; ic < c; ++ic, src += sc) d[ic] = *src;
        }
      }
    } else if (rowInside && p->dil_w == 1 && p->in_sw == c) {
      /* the kernel row is contiguous in channels-last data */
      ec_copy_bytes(col, in + (size_t)ih * (size_t)p->in_sh + (size_t)iw0 * (size_t)c, row);
    } else {
      for (kw = 0; kw < p->k_w; ++kw) {
        const int32_t iw = iw0 + kw * p->dil_w;
        if (iw < 0 || iw >= p->in_w)
          ec_fill_bytes(col + kw * c, zp, c);
        else
          ec_copy_bytes(col + kw * c,
                        in + (size_t)ih * (size_t)p->in_sh + (size_t)iw * (size_t)p->in_sw, c);
      }
    }
    col += row;
  }
}

void ec_conv_s8_dsp(const ec_conv_s8_params *p, const int8_t *in, int8_t *out,
                    void *scratch) {
  const int32_t depth = p->g.depth;
  int8_t *col = (int8_t *)scratch;
  int32_t b, oh, ow;
  for (b = 0; b < p->batch; ++b) {
    const int8_t *ib = in + (size_t)b * (size_t)p->in_sn;
    int8_t *ob = out + (size_t)b * (size_t)p->out_sn;
    for (oh = 0; oh < p->out_h; ++oh) {
      int8_t *orow = ob + (size_t)oh * (size_t)p->out_sh;
      /* pairs of output pixels of one row: columns out_sw apart */
      for (ow = 0; ow + 1 < p->out_w; ow += 2) {
        ec_im2col_s8(p, ib, oh, ow, col);
        ec_im2col_s8(p, ib, oh, ow + 1, col + depth);
        ec_gemm_s8_dsp(&p->g, col, 2, depth, orow + (size_t)ow * (size_t)p->out_sw, p->out_sw);
      }
      if (ow < p->out_w) {
        ec_im2col_s8(p, ib, oh, ow, col);
        ec_gemm_s8_dsp(&p->g, col, 1, depth, orow + (size_t)ow * (size_t)p->out_sw, p->out_sw);
      }
    }
  }
}
