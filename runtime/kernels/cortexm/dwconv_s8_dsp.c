#include "dwconv_s8_dsp.h"
#include "dsp_q.h"
#include "requant_s8_dsp.h"

#include <string.h>

/* a0..a3 += the four channels of word v times the weight pair words at w
 * (then w += 2) */
#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
#define EC_DW_STEP(v)                                                           \
  {                                                                             \
    uint32_t vx = (v), xl, w0, w1;                                              \
    __asm__("ldrd %[w0], %[w1], [%[wp]], #8\n\t"                                \
            "sxtb16 %[xl], %[vx]\n\t"                                           \
            "sxtb16 %[vx], %[vx], ror #8\n\t"                                   \
            "smlabb %[a0], %[xl], %[w0], %[a0]\n\t"                             \
            "smlatt %[a2], %[xl], %[w0], %[a2]\n\t"                             \
            "smlabb %[a1], %[vx], %[w1], %[a1]\n\t"                             \
            "smlatt %[a3], %[vx], %[w1], %[a3]\n\t"                             \
            : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),       \
              [wp] "+r"(w), [vx] "+r"(vx), [xl] "=&r"(xl), [w0] "=&r"(w0),      \
              [w1] "=&r"(w1)                                                    \
            :                                                                   \
            : "memory");                                                        \
  }
#else
#define EC_DW_STEP(v)                                                           \
  {                                                                             \
    const uint32_t vx = (v);                                                    \
    const uint32_t w0 = (uint32_t)w[0], w1 = (uint32_t)w[1];                    \
    const uint32_t xl = ec_sxtb16(vx), xh = ec_sxtb16_ror8(vx);                 \
    w += 2;                                                                     \
    a0 = ec_smlabb(xl, w0, a0);                                                 \
    a2 = ec_smlatt(xl, w0, a2);                                                 \
    a1 = ec_smlabb(xh, w1, a1);                                                 \
    a3 = ec_smlatt(xh, w1, a3);                                                 \
  }
#endif

/* One channel, out of line: the general requantization (and the fast one
 * off the four-channel path) once in this file rather than inlined at every
 * store of every loop variant (flash). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
static int8_t ec_dw_rq(const ec_requant_s8 *q, int32_t acc, int32_t c) {
  return ec_requant_s8_apply_dsp(q, acc, c);
}

/* Channels c..c+3 of an output pixel from their accumulators. */
EC_INLINE void ec_dw_out4(const ec_requant_s8 *q, int32_t a0, int32_t a1, int32_t a2,
                          int32_t a3, int32_t c, int8_t *o) {
  if (q->fast) {
    ec_requant4_fast1(q, a0, a1, a2, a3, c, o + c);
    return;
  }
  o[c] = ec_dw_rq(q, a0, c);
  o[c + 1] = ec_dw_rq(q, a1, c + 1);
  o[c + 2] = ec_dw_rq(q, a2, c + 2);
  o[c + 3] = ec_dw_rq(q, a3, c + 3);
}

/* a0..a3 += the four channels of word vx times the four int8 weights of
 * word vw, paired at run time: SXTB16 gives channels 0 and 2 of either word,
 * SXTB16 of the word rotated by 8 channels 1 and 3 (the pairs ec_pack_dw_w
 * stores, built from one byte per weight) */
#define EC_DW_STEP_BYTES(v, wv)                                                 \
  {                                                                             \
    const uint32_t vx = (v), vw = (wv);                                         \
    const uint32_t xl = ec_sxtb16(vx), xh = ec_sxtb16_ror8(vx);                 \
    const uint32_t wl = ec_sxtb16(vw), wh = ec_sxtb16_ror8(vw);                 \
    a0 = ec_smlabb(xl, wl, a0);                                                 \
    a2 = ec_smlatt(xl, wl, a2);                                                 \
    a1 = ec_smlabb(xh, wh, a1);                                                 \
    a3 = ec_smlatt(xh, wh, a3);                                                 \
  }

/* One output pixel whose window lies inside the image: four channels per
 * step on the pre-expanded weights (dw_w) or on g.w's bytes paired at run
 * time (dw_w NULL), the zero point folded into the bias. */
static void ec_dw_inside(const ec_conv_s8_params *p, const ec_requant_s8 *q,
                         const int8_t *x0, int8_t *o) {
  const int32_t C = p->in_c, KH = p->k_h, KW = p->k_w;
  const int32_t xs = p->dil_w * p->in_sw, ys = p->dil_h * p->in_sh;
  const int32_t *w = p->dw_w;
  const int32_t *const fb = p->dw_bias;
  int32_t c;
  if (!w) {
    /* one byte per weight: [kh][kw][C] (channels-last, as the input) */
    for (c = 0; c + 3 < C; c += 4) {
      int32_t a0 = fb[c], a1 = fb[c + 1], a2 = fb[c + 2], a3 = fb[c + 3];
      const int8_t *r = x0 + c, *wb = p->g.w + c;
#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
      if (KH == 3 && KW == 3) {
        uint32_t vx, xl, w0, w1;
#define EC_DWB_ASM_TAP(addr, waddr)                                            \
  "ldr %[vx], " addr "\n\t"                                                    \
  "ldr %[w0], " waddr "\n\t"                                                   \
  "sxtb16 %[xl], %[vx]\n\t"                                                    \
  "sxtb16 %[vx], %[vx], ror #8\n\t"                                            \
  "sxtb16 %[w1], %[w0], ror #8\n\t"                                            \
  "sxtb16 %[w0], %[w0]\n\t"                                                    \
  "smlabb %[a0], %[xl], %[w0], %[a0]\n\t"                                      \
  "smlatt %[a2], %[xl], %[w0], %[a2]\n\t"                                      \
  "smlabb %[a1], %[vx], %[w1], %[a1]\n\t"                                      \
  "smlatt %[a3], %[vx], %[w1], %[a3]\n\t"
#define EC_DWB_ASM_ROW                                                         \
  EC_DWB_ASM_TAP("[%[r]]", "[%[wb]]")                                          \
  EC_DWB_ASM_TAP("[%[r], %[xs]]", "[%[wb], %[cs]]")                            \
  "add %[r], %[r], %[xs]\n\t"                                                  \
  EC_DWB_ASM_TAP("[%[r], %[xs]]", "[%[wb], %[cs], lsl #1]")                    \
  "add %[wb], %[wb], %[cs], lsl #1\n\t"                                        \
  "add %[wb], %[wb], %[cs]\n\t"
        __asm__(EC_DWB_ASM_ROW "add %[r], %[r], %[ysm]\n\t" EC_DWB_ASM_ROW
                "add %[r], %[r], %[ysm]\n\t" EC_DWB_ASM_ROW
                : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [r] "+r"(r),
                  [wb] "+r"(wb), [vx] "=&r"(vx), [xl] "=&r"(xl), [w0] "=&r"(w0), [w1] "=&r"(w1)
                : [xs] "r"(xs), [ysm] "r"(ys - xs), [cs] "r"(C)
                : "memory");
#undef EC_DWB_ASM_ROW
#undef EC_DWB_ASM_TAP
      } else
#endif
      {
        int32_t kh, kw;
        for (kh = 0; kh < KH; ++kh, r += ys) {
          const int8_t *xp = r;
          for (kw = 0; kw < KW; ++kw, xp += xs, wb += C) EC_DW_STEP_BYTES(ec_ld32(xp), ec_ld32(wb))
        }
      }
      ec_dw_out4(q, a0, a1, a2, a3, c, o);
    }
  } else if (KH == 3 && KW == 3) {
    for (c = 0; c + 3 < C; c += 4) {
      int32_t a0 = fb[c], a1 = fb[c + 1], a2 = fb[c + 2], a3 = fb[c + 3];
#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
      {
        const int8_t *r = x0 + c;
        uint32_t vx, xl, w0, w1;
#define EC_DW_ASM_TAP(addr)                                                    \
  "ldr %[vx], " addr "\n\t"                                                    \
  "ldrd %[w0], %[w1], [%[wp]], #8\n\t"                                         \
  "sxtb16 %[xl], %[vx]\n\t"                                                    \
  "sxtb16 %[vx], %[vx], ror #8\n\t"                                            \
  "smlabb %[a0], %[xl], %[w0], %[a0]\n\t"                                      \
  "smlatt %[a2], %[xl], %[w0], %[a2]\n\t"                                      \
  "smlabb %[a1], %[vx], %[w1], %[a1]\n\t"                                      \
  "smlatt %[a3], %[vx], %[w1], %[a3]\n\t"
#define EC_DW_ASM_ROW                                                          \
  EC_DW_ASM_TAP("[%[r]]") EC_DW_ASM_TAP("[%[r], %[xs]]")                         \
  "add %[r], %[r], %[xs]\n\t" EC_DW_ASM_TAP("[%[r], %[xs]]")
        __asm__(EC_DW_ASM_ROW "add %[r], %[r], %[ysm]\n\t" EC_DW_ASM_ROW
                "add %[r], %[r], %[ysm]\n\t" EC_DW_ASM_ROW
                : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [r] "+r"(r),
                  [wp] "+r"(w), [vx] "=&r"(vx), [xl] "=&r"(xl), [w0] "=&r"(w0), [w1] "=&r"(w1)
                : [xs] "r"(xs), [ysm] "r"(ys - xs)
                : "memory");
#undef EC_DW_ASM_ROW
      }
#else
      {
        const int8_t *r0 = x0 + c, *r1 = r0 + ys, *r2 = r1 + ys;
        const int32_t xs2 = 2 * xs;
#define EC_DW_TAP(ptr, k)                                                       \
  {                                                                             \
    const uint32_t vx = ec_ld32(ptr);                                           \
    const uint32_t w0 = (uint32_t)w[2 * (k)], w1 = (uint32_t)w[2 * (k) + 1];    \
    const uint32_t xl = ec_sxtb16(vx), xh = ec_sxtb16_ror8(vx);                 \
    a0 = ec_smlabb(xl, w0, a0);                                                 \
    a2 = ec_smlatt(xl, w0, a2);                                                 \
    a1 = ec_smlabb(xh, w1, a1);                                                 \
    a3 = ec_smlatt(xh, w1, a3);                                                 \
  }
        EC_DW_TAP(r0, 0)
        EC_DW_TAP(r0 + xs, 1)
        EC_DW_TAP(r0 + xs2, 2)
        EC_DW_TAP(r1, 3)
        EC_DW_TAP(r1 + xs, 4)
        EC_DW_TAP(r1 + xs2, 5)
        EC_DW_TAP(r2, 6)
        EC_DW_TAP(r2 + xs, 7)
        EC_DW_TAP(r2 + xs2, 8)
#undef EC_DW_TAP
        w += 18;
      }
#endif
      ec_dw_out4(q, a0, a1, a2, a3, c, o);
    }
  } else {
    for (c = 0; c + 3 < C; c += 4) {
      int32_t a0 = fb[c], a1 = fb[c + 1], a2 = fb[c + 2], a3 = fb[c + 3];
      const int8_t *r = x0 + c;
      int32_t kh, kw;
      for (kh = 0; kh < KH; ++kh, r += ys) {
        const int8_t *xp = r;
        for (kw = 0; kw < KW; ++kw, xp += xs) {
          EC_DW_STEP(ec_ld32(xp))
        }
      }
      ec_dw_out4(q, a0, a1, a2, a3, c, o);
    }
  }
  for (; c < C; ++c) {
    int32_t acc = fb[c], kh, kw;
    for (kh = 0; kh < KH; ++kh)
      for (kw = 0; kw < KW; ++kw)
        acc += (int32_t)p->g.w[(size_t)(kh * KW + kw) * (size_t)C + c] *
               (int32_t)x0[(size_t)kh * (size_t)ys + (size_t)kw * (size_t)xs + c];
    o[c] = ec_dw_rq(q, acc, c);
  }
}

/* One output pixel of a window of at most 16 taps, the taps outside the
 * image reading a row of zero points (so the folded bias stays exact). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
static void ec_dw_taps(const ec_conv_s8_params *p, const ec_requant_s8 *q,
                       const int8_t *const *tp, int32_t taps, int8_t *o) {
  const int32_t C = p->in_c;
  const int32_t *w = p->dw_w;
  const int32_t *const fb = p->dw_bias;
  int32_t c, k;
  for (c = 0; c + 3 < C; c += 4) {
    int32_t a0 = fb[c], a1 = fb[c + 1], a2 = fb[c + 2], a3 = fb[c + 3];
    if (w) {
      for (k = 0; k < taps; ++k) {
        EC_DW_STEP(ec_ld32(tp[k] + c))
      }
    } else {
      const int8_t *wb = p->g.w + c;
      for (k = 0; k < taps; ++k, wb += C) EC_DW_STEP_BYTES(ec_ld32(tp[k] + c), ec_ld32(wb))
    }
    ec_dw_out4(q, a0, a1, a2, a3, c, o);
  }
  for (; c < C; ++c) {
    int32_t acc = fb[c];
    for (k = 0; k < taps; ++k) acc += (int32_t)p->g.w[(size_t)k * (size_t)C + c] * (int32_t)tp[k][c];
    o[c] = ec_dw_rq(q, acc, c);
  }
}

/* One output pixel of the depthwise kernel at (oh, ow) in batch b: the
 * window inside the image on the expanded weights, a window over the
 * border through tap pointers (zero-point row), or without dw_bias the raw
 * bias and SSUB16 over the kernel positions inside the image. */
static void ec_dw_pixel(const ec_conv_s8_params *p, const ec_requant_s8 *q, const int8_t *ib,
                        int32_t oh, int32_t ow, int8_t *o, const int8_t *zrow) {
  const int8_t *const wbase = p->g.w;
  const int32_t *const bias = p->g.bias; /* the raw bias */
  const int32_t C = p->in_c, KH = p->k_h, KW = p->k_w, IH = p->in_h, IW = p->in_w;
  const int32_t ish = p->in_sh, isw = p->in_sw, zp = p->in_zp, DH = p->dil_h, DW = p->dil_w;
  const int32_t xstep_w = DW * isw;
  const uint32_t zz = ((uint32_t)(uint16_t)(int16_t)zp) * 0x10001u;
  const int32_t ih0 = oh * p->stride_h - p->pad_t;
  const int32_t iw0 = ow * p->stride_w - p->pad_l;
  int32_t kh0 = 0, kh1 = KH, kw0 = 0, kw1 = KW, c, kh, kw;
  /* the kernel positions inside the image (padding adds nothing) */
  while (kh0 < KH && ih0 + kh0 * DH < 0) ++kh0;
  while (kh1 > kh0 && ih0 + (kh1 - 1) * DH >= IH) --kh1;
  while (kw0 < KW && iw0 + kw0 * DW < 0) ++kw0;
  while (kw1 > kw0 && iw0 + (kw1 - 1) * DW >= IW) --kw1;
  if (kh0 == 0 && kw0 == 0 && kh1 == KH && kw1 == KW && p->dw_bias) {
    ec_dw_inside(p, q, ib + (size_t)ih0 * (size_t)ish + (size_t)iw0 * (size_t)isw, o);
    return;
  }
  if (p->dw_bias && KH * KW <= 16) {
    const int8_t *tp[16];
    int32_t k = 0;
    for (kh = 0; kh < KH; ++kh) {
      const int32_t ih = ih0 + kh * DH;
      for (kw = 0; kw < KW; ++kw, ++k) {
        const int32_t iw = iw0 + kw * DW;
        tp[k] = (ih < 0 || ih >= IH || iw < 0 || iw >= IW)
                    ? zrow
                    : ib + (size_t)ih * (size_t)ish + (size_t)iw * (size_t)isw;
      }
    }
    ec_dw_taps(p, q, tp, k, o);
    return;
  }
  for (c = 0; c + 3 < C; c += 4) {
    int32_t a0 = bias[c], a1 = bias[c + 1], a2 = bias[c + 2], a3 = bias[c + 3];
    for (kh = kh0; kh < kh1; ++kh) {
      const int8_t *x = ib + (size_t)(ih0 + kh * DH) * (size_t)ish +
                        (size_t)(iw0 + kw0 * DW) * (size_t)isw + c;
      const int8_t *w = wbase + (size_t)(kh * KW + kw0) * (size_t)C + c;
      for (kw = kw0; kw < kw1; ++kw) {
        const uint32_t vx = ec_ld32(x), vw = ec_ld32(w);
        const uint32_t xl = ec_ssub16(ec_sxtb16(vx), zz);
        const uint32_t xh = ec_ssub16(ec_sxtb16_ror8(vx), zz);
        const uint32_t wl = ec_sxtb16(vw), wh = ec_sxtb16_ror8(vw);
        x += xstep_w;
        w += C;
        a0 = ec_smlabb(xl, wl, a0);
        a2 = ec_smlatt(xl, wl, a2);
        a1 = ec_smlabb(xh, wh, a1);
        a3 = ec_smlatt(xh, wh, a3);
      }
    }
    o[c] = ec_dw_rq(q, a0, c);
    o[c + 1] = ec_dw_rq(q, a1, c + 1);
    o[c + 2] = ec_dw_rq(q, a2, c + 2);
    o[c + 3] = ec_dw_rq(q, a3, c + 3);
  }
  for (; c < C; ++c) {
    int32_t acc = bias[c];
    for (kh = kh0; kh < kh1; ++kh)
      for (kw = kw0; kw < kw1; ++kw)
        acc += (int32_t)wbase[(size_t)(kh * KW + kw) * (size_t)C + c] *
               ((int32_t)ib[(size_t)(ih0 + kh * DH) * (size_t)ish +
                            (size_t)(iw0 + kw * DW) * (size_t)isw + c] - zp);
    o[c] = ec_dw_rq(q, acc, c);
  }
}

void ec_dwconv_s8_dsp(const ec_conv_s8_params *p, const int8_t *in, int8_t *out,
                      void *scratch) {
  const ec_requant_s8 q = ec_requant_s8_init(&p->g);
  const int32_t KH = p->k_h, KW = p->k_w, IH = p->in_h, IW = p->in_w;
  const int32_t ish = p->in_sh, isw = p->in_sw, DH = p->dil_h, DW = p->dil_w;
  const int32_t sw = p->stride_w;
  int8_t *const zrow = (int8_t *)scratch;
  int32_t b, oh, ow, owa = 0, owb = 0;
  if (p->dw_bias) {
    /* the output columns whose window lies inside the image horizontally */
    const int32_t lim = IW - (KW - 1) * DW + p->pad_l; /* ow * sw < lim */
    memset(zrow, (int8_t)p->in_zp, (size_t)p->in_c);
    owa = (p->pad_l + sw - 1) / sw;
    owb = lim > 0 ? (lim - 1) / sw + 1 : 0;
    if (owb > p->out_w) owb = p->out_w;
    if (owa > owb) owa = owb;
  }
  for (b = 0; b < p->batch; ++b) {
    const int8_t *ib = in + (size_t)b * (size_t)p->in_sn;
    for (oh = 0; oh < p->out_h; ++oh) {
      const int32_t ih0 = oh * p->stride_h - p->pad_t;
      int8_t *orow = out + (size_t)b * (size_t)p->out_sn + (size_t)oh * (size_t)p->out_sh;
      const int inside = p->dw_bias && ih0 >= 0 && ih0 + (KH - 1) * DH < IH;
      for (ow = 0; ow < p->out_w; ++ow) {
        if (inside && ow == owa && owa < owb) {
          /* the run of pixels inside the image */
          const int8_t *x = ib + (size_t)ih0 * (size_t)ish +
                            (size_t)(owa * sw - p->pad_l) * (size_t)isw;
          const int32_t xstep = sw * isw;
          for (; ow < owb; ++ow, x += xstep)
            ec_dw_inside(p, &q, x, orow + (size_t)ow * (size_t)p->out_sw);
          if (ow >= p->out_w) break;
        }
        ec_dw_pixel(p, &q, ib, oh, ow, orow + (size_t)ow * (size_t)p->out_sw, zrow);
      }
    }
  }
}
