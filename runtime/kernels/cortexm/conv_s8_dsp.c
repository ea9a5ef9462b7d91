#include "conv_s8_dsp.h"
#include "dsp_q.h"
#include "fc_s8_dsp.h"
#include "requant_s8_dsp.h"

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

/* One output pixel's receptive field, channels-last, padding = in_zp,
 * then zeros up to g.depth. */
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
  /* depth rounded up with zero weights: zero the field's tail */
  ec_fill_bytes(col, 0, p->g.depth - p->k_h * row);
}

/* The receptive fields r0, r1 (depth bytes each) sign-extended into xs as
 * halfword pairs, rows interleaved by four-k block: words 4j, 4j + 1 =
 * (r0[4j] | r0[4j+2] << 16, r0[4j+1] | r0[4j+3] << 16), words 4j + 2, 4j + 3
 * the same of r1 (depth a multiple of 4). */
static void ec_expand2(const int8_t *r0, const int8_t *r1, int32_t depth, uint32_t *xs) {
#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
  /* a count, not an end pointer: r1 often equals r0 + depth, and gcc may
   * then give the end and r1 one register */
  int32_t n = depth >> 2;
  if (n) {
    uint32_t v0, v1, a, b;
    __asm__ volatile("1:\n\t"
                     "ldr %[v0], [%[r0]], #4\n\t"
                     "ldr %[v1], [%[r1]], #4\n\t"
                     "sxtb16 %[a], %[v0]\n\t"
                     "sxtb16 %[v0], %[v0], ror #8\n\t"
                     "sxtb16 %[b], %[v1]\n\t"
                     "sxtb16 %[v1], %[v1], ror #8\n\t"
                     "strd %[a], %[v0], [%[xs]], #8\n\t"
                     "strd %[b], %[v1], [%[xs]], #8\n\t"
                     "subs %[n], %[n], #1\n\t"
                     "bne 1b\n\t"
                     : [r0] "+r"(r0), [r1] "+r"(r1), [xs] "+r"(xs), [n] "+r"(n),
                       [v0] "=&r"(v0), [v1] "=&r"(v1), [a] "=&r"(a), [b] "=&r"(b)
                     :
                     : "cc", "memory");
  }
#else
  const int8_t *const end = r0 + depth;
  for (; r0 != end; r0 += 4, r1 += 4, xs += 4) {
    const uint32_t v0 = ec_ld32(r0), v1 = ec_ld32(r1);
    xs[0] = ec_sxtb16(v0);
    xs[1] = ec_sxtb16_ror8(v0);
    xs[2] = ec_sxtb16(v1);
    xs[3] = ec_sxtb16_ror8(v1);
  }
#endif
}

/* Four k steps of columns w0 and w0 + depth for both rows at x (C). */
#define EC_C2_BLOCK(x, v0, v1)                                                  \
  {                                                                            \
    const uint32_t wv0 = (v0), wv1 = (v1);                                     \
    const uint32_t w0l = ec_sxtb16(wv0), w0h = ec_sxtb16_ror8(wv0);            \
    const uint32_t w1l = ec_sxtb16(wv1), w1h = ec_sxtb16_ror8(wv1);            \
    s00 = ec_smlad((x)[1], w0h, ec_smlad((x)[0], w0l, s00));                   \
    s10 = ec_smlad((x)[3], w0h, ec_smlad((x)[2], w0l, s10));                   \
    s01 = ec_smlad((x)[1], w1h, ec_smlad((x)[0], w1l, s01));                   \
    s11 = ec_smlad((x)[3], w1h, ec_smlad((x)[2], w1l, s11));                   \
  }

#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
/* the same in registers: 3 LDRD, 2 LDR, 4 SXTB16, 8 SMLAD */
#define EC_C2_ASM                                                              \
  "ldr %[wv], [%[w], %[ds]]\n\t"                                               \
  "sxtb16 %[t], %[wv]\n\t"                                                     \
  "sxtb16 %[wv], %[wv], ror #8\n\t"                                            \
  "ldrd %[a], %[b], [%[x], #8]\n\t"                                            \
  "smlad %[s11], %[a], %[t], %[s11]\n\t"                                       \
  "smlad %[s11], %[b], %[wv], %[s11]\n\t"                                      \
  "ldrd %[a], %[b], [%[x]], #16\n\t"                                           \
  "smlad %[s01], %[a], %[t], %[s01]\n\t"                                       \
  "smlad %[s01], %[b], %[wv], %[s01]\n\t"                                      \
  "ldr %[wv], [%[w]], #4\n\t"                                                  \
  "sxtb16 %[t], %[wv]\n\t"                                                     \
  "sxtb16 %[wv], %[wv], ror #8\n\t"                                            \
  "smlad %[s00], %[a], %[t], %[s00]\n\t"                                       \
  "smlad %[s00], %[b], %[wv], %[s00]\n\t"                                      \
  "ldrd %[a], %[b], [%[x], #-8]\n\t"                                           \
  "smlad %[s10], %[a], %[t], %[s10]\n\t"                                       \
  "smlad %[s10], %[b], %[wv], %[s10]\n\t"
#endif

/* Every column for two output pixels whose fields xs holds (ec_expand2;
 * depth a multiple of 4), stored at o0 and o1, weights paired at run time
 * from one byte each: two rows by two columns per pass. */
static void ec_conv_2px(const ec_conv_s8_params *p, const ec_requant_s8 *q,
                        const uint32_t *xs, int8_t *o0, int8_t *o1) {
  const ec_gemm_s8_params *const g = &p->g;
  const int32_t depth = g->depth, cols = g->cols, ocs = g->out_col_stride;
  const int32_t nkb = depth >> 2;
  const uint32_t *const xfull = xs + 4 * nkb;
  int32_t c;
  for (c = 0; c < cols; c += 2) {
    const int two = c + 1 < cols;
    const int8_t *w = g->w + (size_t)c * (size_t)depth;
    const uint32_t *x = xs;
    int32_t s00 = g->bias[c], s01 = two ? g->bias[c + 1] : 0, s10 = s00, s11 = s01;
    if (two) {
      if (nkb & 1) {
        EC_C2_BLOCK(x, ec_ld32(w), ec_ld32(w + depth))
        x += 4;
        w += 4;
      }
#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
      if (x != xfull) {
        uint32_t a, b, t, wv;
        __asm__ volatile("1:\n\t" EC_C2_ASM EC_C2_ASM
                         "cmp %[x], %[end]\n\t"
                         "bne 1b\n\t"
                         : [s00] "+r"(s00), [s01] "+r"(s01), [s10] "+r"(s10),
                           [s11] "+r"(s11), [x] "+r"(x), [w] "+r"(w), [a] "=&r"(a),
                           [b] "=&r"(b), [t] "=&r"(t), [wv] "=&r"(wv)
                         : [ds] "r"(depth), [end] "r"(xfull)
                         : "cc", "memory");
      }
#else
      for (; x != xfull; x += 4, w += 4) EC_C2_BLOCK(x, ec_ld32(w), ec_ld32(w + depth))
#endif
    } else {
      for (; x != xfull; x += 4, w += 4) EC_C2_BLOCK(x, ec_ld32(w), 0u)
    }
    o0[c * ocs] = ec_requant_s8_apply_dsp_p(q, g, s00, c);
    o1[c * ocs] = ec_requant_s8_apply_dsp_p(q, g, s10, c);
    if (two) {
      o0[(c + 1) * ocs] = ec_requant_s8_apply_dsp_p(q, g, s01, c + 1);
      o1[(c + 1) * ocs] = ec_requant_s8_apply_dsp_p(q, g, s11, c + 1);
    }
  }
}

void ec_conv_s8_dsp(const ec_conv_s8_params *p, const int8_t *in, int8_t *out,
                    void *scratch) {
  const int32_t depth = p->g.depth;
  int32_t b, oh, ow;
  if (!p->g.wx && EC_CONV_S8_DSP_PAIRS(depth, p->g.cols)) {
    /* one byte per weight: the fields sign-extended once per pixel pair
     * (amortized over the columns; a last odd pixel through
     * ec_gemm_s8_dsp) */
    const ec_requant_s8 q = ec_requant_s8_init(&p->g);
    uint32_t *const xs = (uint32_t *)scratch;
    int8_t *const col = (int8_t *)(xs + depth);
    for (b = 0; b < p->batch; ++b) {
      const int8_t *ib = in + (size_t)b * (size_t)p->in_sn;
      int8_t *ob = out + (size_t)b * (size_t)p->out_sn;
      for (oh = 0; oh < p->out_h; ++oh) {
        int8_t *orow = ob + (size_t)oh * (size_t)p->out_sh;
        for (ow = 0; ow + 1 < p->out_w; ow += 2) {
          ec_im2col_s8(p, ib, oh, ow, col);
          ec_im2col_s8(p, ib, oh, ow + 1, col + depth);
          ec_expand2(col, col + depth, depth, xs);
          ec_conv_2px(p, &q, xs, orow + (size_t)ow * (size_t)p->out_sw,
                      orow + (size_t)(ow + 1) * (size_t)p->out_sw);
        }
        if (ow < p->out_w) {
          ec_im2col_s8(p, ib, oh, ow, col);
          ec_gemm_s8_dsp(&p->g, col, 1, depth, orow + (size_t)ow * (size_t)p->out_sw, p->out_sw);
        }
      }
    }
    return;
  }
  {
    int8_t *col = (int8_t *)scratch;
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
}
