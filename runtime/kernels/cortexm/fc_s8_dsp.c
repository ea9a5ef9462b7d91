#include "fc_s8_dsp.h"
#include "dsp_q.h"
#include "requant_s8_dsp.h"

/* four k steps of the 2x2 block at byte offset o */
#define EC_GEMM_STEP4(o)                                                         \
  {                                                                              \
    const uint32_t vx0 = ec_ld32(x0 + (o)), vx1 = ec_ld32(x0 + a_stride + (o));  \
    const uint32_t vw0 = ec_ld32(w0 + (o)), vw1 = ec_ld32(w0 + depth + (o));     \
    const uint32_t x0l = ec_sxtb16(vx0), x1l = ec_sxtb16(vx1);                   \
    const uint32_t w0l = ec_sxtb16(vw0), w1l = ec_sxtb16(vw1);                   \
    s00 = ec_smlad(x0l, w0l, s00);                                               \
    s01 = ec_smlad(x0l, w1l, s01);                                               \
    s10 = ec_smlad(x1l, w0l, s10);                                               \
    s11 = ec_smlad(x1l, w1l, s11);                                               \
    {                                                                            \
      const uint32_t x0h = ec_sxtb16_ror8(vx0), x1h = ec_sxtb16_ror8(vx1);       \
      const uint32_t w0h = ec_sxtb16_ror8(vw0), w1h = ec_sxtb16_ror8(vw1);       \
      s00 = ec_smlad(x0h, w0h, s00);                                             \
      s01 = ec_smlad(x0h, w1h, s01);                                             \
      s10 = ec_smlad(x1h, w0h, s10);                                             \
      s11 = ec_smlad(x1h, w1h, s11);                                             \
    }                                                                            \
  }

/* acc + sum x[k] * w[k] over n elements */
static int32_t ec_dot_s8_dsp(const int8_t *x, const int8_t *w, int32_t n, int32_t acc) {
  int32_t k = n >> 2;
  while (k--) {
    uint32_t vx = ec_ld32(x), vw = ec_ld32(w);
    x += 4;
    w += 4;
    acc = ec_smlad(ec_sxtb16(vx), ec_sxtb16(vw), acc);
    acc = ec_smlad(ec_sxtb16_ror8(vx), ec_sxtb16_ror8(vw), acc);
  }
  for (k = n & 3; k; --k) acc += (int32_t)(*x++) * (int32_t)(*w++);
  return acc;
}

/* The product on the pre-expanded weights: one row, four columns per pass,
 * SMLAD on SXTB16 pairs of the row (1 load, 2 SXTB16, 4 LDRD, 8 SMLAD per
 * four k steps). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
static void ec_gemm_s8_wx(const ec_gemm_s8_params *p, const ec_requant_s8 *q,
                          const int8_t *a, int32_t rows, int32_t a_stride, int8_t *out,
                          int32_t out_row_stride) {
  const int32_t depth = p->depth, cols = p->cols, ocs = p->out_col_stride;
  const int32_t nkb = depth >> 2, tail = depth & 3, kblocks = (depth + 3) >> 2;
  const int32_t *const bias = p->bias;
  int32_t r, c;
  for (r = 0; r < rows; ++r) {
    const int8_t *const ar = a + (size_t)r * (size_t)a_stride;
    int8_t *const orow = out + (size_t)r * (size_t)out_row_stride;
    const int32_t *wg = p->wx;
    uint32_t vt = 0; /* the partial last k block of the row, zero-padded */
    if (tail) {
      const int8_t *xt = ar + (nkb << 2);
      vt = (uint32_t)(uint8_t)xt[0];
      if (tail > 1) vt |= (uint32_t)(uint8_t)xt[1] << 8;
      if (tail > 2) vt |= (uint32_t)(uint8_t)xt[2] << 16;
    }
    if (q->fast && ocs == 1 && nkb) {
      /* full groups of four columns, the common case */
      for (c = 0; c + 3 < cols; c += 4) {
        const int8_t *x = ar;
        int32_t s0 = bias[c], s1 = bias[c + 1], s2 = bias[c + 2], s3 = bias[c + 3];
#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
        uint32_t t0, t1, ta, tb;
#define EC_WX_BODY                                                              \
  "ldr %[t0], [%[x]], #4\n\t"                                                   \
  "ldrd %[ta], %[tb], [%[w]], #8\n\t"                                           \
  "sxtb16 %[t1], %[t0]\n\t"                                                     \
  "sxtb16 %[t0], %[t0], ror #8\n\t"                                             \
  "smlad %[s0], %[t1], %[ta], %[s0]\n\t"                                        \
  "smlad %[s0], %[t0], %[tb], %[s0]\n\t"                                        \
  "ldrd %[ta], %[tb], [%[w]], #8\n\t"                                           \
  "smlad %[s1], %[t1], %[ta], %[s1]\n\t"                                        \
  "smlad %[s1], %[t0], %[tb], %[s1]\n\t"                                        \
  "ldrd %[ta], %[tb], [%[w]], #8\n\t"                                           \
  "smlad %[s2], %[t1], %[ta], %[s2]\n\t"                                        \
  "smlad %[s2], %[t0], %[tb], %[s2]\n\t"                                        \
  "ldrd %[ta], %[tb], [%[w]], #8\n\t"                                           \
  "smlad %[s3], %[t1], %[ta], %[s3]\n\t"                                        \
  "smlad %[s3], %[t0], %[tb], %[s3]\n\t"
        if (nkb & 1)
          __asm__ volatile(EC_WX_BODY
                           : [s0] "+r"(s0), [s1] "+r"(s1), [s2] "+r"(s2), [s3] "+r"(s3),
                             [x] "+r"(x), [w] "+r"(wg), [t0] "=&r"(t0), [t1] "=&r"(t1),
                             [ta] "=&r"(ta), [tb] "=&r"(tb)
                           :
                           : "memory");
        if (nkb >> 1) {
          int32_t n = nkb >> 1;
          __asm__ volatile("1:\n\t" EC_WX_BODY EC_WX_BODY
                           "subs %[n], %[n], #1\n\t"
                           "bne 1b\n\t"
                           : [s0] "+r"(s0), [s1] "+r"(s1), [s2] "+r"(s2), [s3] "+r"(s3),
                             [x] "+r"(x), [w] "+r"(wg), [n] "+r"(n), [t0] "=&r"(t0),
                             [t1] "=&r"(t1), [ta] "=&r"(ta), [tb] "=&r"(tb)
                           :
                           : "cc", "memory");
        }
#undef EC_WX_BODY
#else
        int32_t n;
        for (n = 0; n < nkb; ++n, x += 4, wg += 8) {
          const uint32_t vx = ec_ld32(x);
          const uint32_t xl = ec_sxtb16(vx), xh = ec_sxtb16_ror8(vx);
          s0 = ec_smlad(xh, (uint32_t)wg[1], ec_smlad(xl, (uint32_t)wg[0], s0));
          s1 = ec_smlad(xh, (uint32_t)wg[3], ec_smlad(xl, (uint32_t)wg[2], s1));
          s2 = ec_smlad(xh, (uint32_t)wg[5], ec_smlad(xl, (uint32_t)wg[4], s2));
          s3 = ec_smlad(xh, (uint32_t)wg[7], ec_smlad(xl, (uint32_t)wg[6], s3));
        }
#endif
        if (tail) {
          const uint32_t xl = ec_sxtb16(vt), xh = ec_sxtb16_ror8(vt);
          s0 = ec_smlad(xh, (uint32_t)wg[1], ec_smlad(xl, (uint32_t)wg[0], s0));
          s1 = ec_smlad(xh, (uint32_t)wg[3], ec_smlad(xl, (uint32_t)wg[2], s1));
          s2 = ec_smlad(xh, (uint32_t)wg[5], ec_smlad(xl, (uint32_t)wg[4], s2));
          s3 = ec_smlad(xh, (uint32_t)wg[7], ec_smlad(xl, (uint32_t)wg[6], s3));
          wg += 8;
        }
        ec_requant4_fast1(q, s0, s1, s2, s3, c, orow + c);
      }
      if (c >= cols) continue;
    } else {
      c = 0;
    }
    for (; c < cols; c += 4, wg += 8 * kblocks) {
      const int32_t *w = wg;
      const int8_t *x = ar;
      int32_t s0 = bias[c], s1 = c + 1 < cols ? bias[c + 1] : 0;
      int32_t s2 = c + 2 < cols ? bias[c + 2] : 0, s3 = c + 3 < cols ? bias[c + 3] : 0;
      if (nkb) {
#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
        int32_t n = nkb;
        uint32_t t0, t1, ta, tb;
        __asm__ volatile(
            "1:\n\t"
            "ldr %[t0], [%[x]], #4\n\t"
            "ldrd %[ta], %[tb], [%[w]], #8\n\t"
            "sxtb16 %[t1], %[t0]\n\t"
            "sxtb16 %[t0], %[t0], ror #8\n\t"
            "smlad %[s0], %[t1], %[ta], %[s0]\n\t"
            "smlad %[s0], %[t0], %[tb], %[s0]\n\t"
            "ldrd %[ta], %[tb], [%[w]], #8\n\t"
            "smlad %[s1], %[t1], %[ta], %[s1]\n\t"
            "smlad %[s1], %[t0], %[tb], %[s1]\n\t"
            "ldrd %[ta], %[tb], [%[w]], #8\n\t"
            "smlad %[s2], %[t1], %[ta], %[s2]\n\t"
            "smlad %[s2], %[t0], %[tb], %[s2]\n\t"
            "ldrd %[ta], %[tb], [%[w]], #8\n\t"
            "smlad %[s3], %[t1], %[ta], %[s3]\n\t"
            "smlad %[s3], %[t0], %[tb], %[s3]\n\t"
            "subs %[n], %[n], #1\n\t"
            "bne 1b\n\t"
            : [s0] "+r"(s0), [s1] "+r"(s1), [s2] "+r"(s2), [s3] "+r"(s3), [x] "+r"(x),
              [w] "+r"(w), [n] "+r"(n), [t0] "=&r"(t0), [t1] "=&r"(t1), [ta] "=&r"(ta),
              [tb] "=&r"(tb)
            :
            : "cc", "memory");
#else
        int32_t n;
        for (n = 0; n < nkb; ++n, x += 4, w += 8) {
          const uint32_t vx = ec_ld32(x);
          const uint32_t xl = ec_sxtb16(vx), xh = ec_sxtb16_ror8(vx);
          s0 = ec_smlad(xh, (uint32_t)w[1], ec_smlad(xl, (uint32_t)w[0], s0));
          s1 = ec_smlad(xh, (uint32_t)w[3], ec_smlad(xl, (uint32_t)w[2], s1));
          s2 = ec_smlad(xh, (uint32_t)w[5], ec_smlad(xl, (uint32_t)w[4], s2));
          s3 = ec_smlad(xh, (uint32_t)w[7], ec_smlad(xl, (uint32_t)w[6], s3));
        }
#endif
      }
      if (tail) {
        const uint32_t xl = ec_sxtb16(vt), xh = ec_sxtb16_ror8(vt);
        s0 = ec_smlad(xh, (uint32_t)w[1], ec_smlad(xl, (uint32_t)w[0], s0));
        s1 = ec_smlad(xh, (uint32_t)w[3], ec_smlad(xl, (uint32_t)w[2], s1));
        s2 = ec_smlad(xh, (uint32_t)w[5], ec_smlad(xl, (uint32_t)w[4], s2));
        s3 = ec_smlad(xh, (uint32_t)w[7], ec_smlad(xl, (uint32_t)w[6], s3));
      }
      if (c + 3 < cols && q->fast) {
        if (ocs == 1)
          ec_requant4_fast1(q, s0, s1, s2, s3, c, orow + c);
        else
          ec_requant4_fast(q, s0, s1, s2, s3, c, orow + c * ocs, ocs);
      } else if (c + 3 < cols) {
        orow[c * ocs] = ec_requant_s8_apply_dsp(q, s0, c);
        orow[(c + 1) * ocs] = ec_requant_s8_apply_dsp(q, s1, c + 1);
        orow[(c + 2) * ocs] = ec_requant_s8_apply_dsp(q, s2, c + 2);
        orow[(c + 3) * ocs] = ec_requant_s8_apply_dsp(q, s3, c + 3);
      } else {
        orow[c * ocs] = ec_requant_s8_apply_dsp(q, s0, c);
        if (c + 1 < cols) orow[(c + 1) * ocs] = ec_requant_s8_apply_dsp(q, s1, c + 1);
        if (c + 2 < cols) orow[(c + 2) * ocs] = ec_requant_s8_apply_dsp(q, s2, c + 2);
      }
    }
  }
}

void ec_gemm_s8_dsp(const ec_gemm_s8_params *p, const int8_t *a, int32_t rows,
                    int32_t a_stride, int8_t *out, int32_t out_row_stride) {
  const int32_t depth = p->depth, cols = p->cols, ocs = p->out_col_stride;
  const ec_requant_s8 q = ec_requant_s8_init(p);
  const int8_t *const wbase = p->w;
  const int32_t *const bias = p->bias;
  int32_t r = 0, c, k;
  if (p->wx) {
    ec_gemm_s8_wx(p, &q, a, rows, a_stride, out, out_row_stride);
    return;
  }
  for (; r + 1 < rows; r += 2) {
    const int8_t *a0 = a + (size_t)r * (size_t)a_stride;
    const int8_t *a1 = a0 + a_stride;
    int8_t *o0 = out + (size_t)r * (size_t)out_row_stride;
    int8_t *o1 = o0 + out_row_stride;
    for (c = 0; c + 1 < cols; c += 2) {
      const int8_t *w0 = wbase + (size_t)c * (size_t)depth;
      const int8_t *x0 = a0;
      const int8_t *const xend = a0 + (depth & ~3);
      int32_t s00 = bias[c], s01 = bias[c + 1];
      int32_t s10 = s00, s11 = s01;
      /* rows a0 / a1 and w0 / w1 are a_stride / depth apart */
      if (depth & 4) {
        uint32_t vx0 = ec_ld32(x0), vx1 = ec_ld32(x0 + a_stride);
        uint32_t vw0 = ec_ld32(w0), vw1 = ec_ld32(w0 + depth);
        uint32_t x0l = ec_sxtb16(vx0), x0h = ec_sxtb16_ror8(vx0);
        uint32_t x1l = ec_sxtb16(vx1), x1h = ec_sxtb16_ror8(vx1);
        uint32_t w0l = ec_sxtb16(vw0), w0h = ec_sxtb16_ror8(vw0);
        uint32_t w1l = ec_sxtb16(vw1), w1h = ec_sxtb16_ror8(vw1);
        x0 += 4;
        w0 += 4;
        s00 = ec_smlad(x0l, w0l, s00);
        s01 = ec_smlad(x0l, w1l, s01);
        s10 = ec_smlad(x1l, w0l, s10);
        s11 = ec_smlad(x1l, w1l, s11);
        s00 = ec_smlad(x0h, w0h, s00);
        s01 = ec_smlad(x0h, w1h, s01);
        s10 = ec_smlad(x1h, w0h, s10);
        s11 = ec_smlad(x1h, w1h, s11);
      }
#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
      if (x0 != xend && a_stride == depth) {
        /* the same arithmetic with every value in a register: 4 loads, 8
         * SXTB16, 8 SMLAD per four k steps */
        uint32_t t0, t1, t2, t3, t4, t5;
        __asm__ volatile(
            "1:\n\t"
            "ldr %[t1], [%[x], %[ds]]\n\t"
            "ldr %[t0], [%[x]], #4\n\t"
            "sxtb16 %[t2], %[t0]\n\t"
            "sxtb16 %[t0], %[t0], ror #8\n\t"
            "sxtb16 %[t3], %[t1]\n\t"
            "sxtb16 %[t1], %[t1], ror #8\n\t"
            "ldr %[t4], [%[w], %[ds]]\n\t"
            "sxtb16 %[t5], %[t4]\n\t"
            "sxtb16 %[t4], %[t4], ror #8\n\t"
            "smlad %[s01], %[t2], %[t5], %[s01]\n\t"
            "smlad %[s01], %[t0], %[t4], %[s01]\n\t"
            "smlad %[s11], %[t3], %[t5], %[s11]\n\t"
            "smlad %[s11], %[t1], %[t4], %[s11]\n\t"
            "ldr %[t4], [%[w]], #4\n\t"
            "sxtb16 %[t5], %[t4]\n\t"
            "sxtb16 %[t4], %[t4], ror #8\n\t"
            "smlad %[s00], %[t2], %[t5], %[s00]\n\t"
            "smlad %[s00], %[t0], %[t4], %[s00]\n\t"
            "smlad %[s10], %[t3], %[t5], %[s10]\n\t"
            "smlad %[s10], %[t1], %[t4], %[s10]\n\t"
            "cmp %[x], %[end]\n\t"
            "bne 1b\n\t"
            : [s00] "+r"(s00), [s01] "+r"(s01), [s10] "+r"(s10), [s11] "+r"(s11),
              [x] "+r"(x0), [w] "+r"(w0), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2),
              [t3] "=&r"(t3), [t4] "=&r"(t4), [t5] "=&r"(t5)
            : [ds] "r"(depth), [end] "r"(xend)
            : "cc", "memory");
      }
#endif
      while (x0 != xend) {
        EC_GEMM_STEP4(0)
        x0 += 4;
        w0 += 4;
      }
      for (k = depth & 3; k; --k) {
        int32_t v0 = x0[0], v1 = x0[a_stride], u0 = w0[0], u1 = w0[depth];
        ++x0;
        ++w0;
        s00 += v0 * u0;
        s01 += v0 * u1;
        s10 += v1 * u0;
        s11 += v1 * u1;
      }
      o0[c * ocs] = ec_requant_s8_apply_dsp(&q, s00, c);
      o0[(c + 1) * ocs] = ec_requant_s8_apply_dsp(&q, s01, c + 1);
      o1[c * ocs] = ec_requant_s8_apply_dsp(&q, s10, c);
      o1[(c + 1) * ocs] = ec_requant_s8_apply_dsp(&q, s11, c + 1);
    }
    if (c < cols) {
      const int8_t *w0 = wbase + (size_t)c * (size_t)depth;
      o0[c * ocs] = ec_requant_s8_apply_dsp(&q, ec_dot_s8_dsp(a0, w0, depth, bias[c]), c);
      o1[c * ocs] = ec_requant_s8_apply_dsp(&q, ec_dot_s8_dsp(a1, w0, depth, bias[c]), c);
    }
  }
  if (r < rows) {
    const int8_t *a0 = a + (size_t)r * (size_t)a_stride;
    int8_t *o0 = out + (size_t)r * (size_t)out_row_stride;
    c = 0;
#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
    if (depth >= 4) {
      /* one row, four columns per pass (5 loads, 10 SXTB16, 8 SMLAD per four
       * k steps; the weight pointers post-incremented); the tail of k in C */
      for (; c + 3 < cols; c += 4) {
        const int8_t *w0 = wbase + (size_t)c * (size_t)depth;
        const int8_t *w2 = w0 + 2 * depth;
        const int8_t *x0 = a0;
        const int8_t *const xend = a0 + (depth & ~3);
        int32_t s0 = bias[c], s1 = bias[c + 1], s2 = bias[c + 2], s3 = bias[c + 3];
        uint32_t t0, t1, t2, t3;
        __asm__ volatile(
            "1:\n\t"
            "ldr %[t0], [%[x]], #4\n\t"
            "sxtb16 %[t1], %[t0]\n\t"
            "sxtb16 %[t0], %[t0], ror #8\n\t"
            "ldr %[t2], [%[w0], %[d]]\n\t"
            "sxtb16 %[t3], %[t2]\n\t"
            "sxtb16 %[t2], %[t2], ror #8\n\t"
            "smlad %[s1], %[t1], %[t3], %[s1]\n\t"
            "smlad %[s1], %[t0], %[t2], %[s1]\n\t"
            "ldr %[t2], [%[w0]], #4\n\t"
            "sxtb16 %[t3], %[t2]\n\t"
            "sxtb16 %[t2], %[t2], ror #8\n\t"
            "smlad %[s0], %[t1], %[t3], %[s0]\n\t"
            "smlad %[s0], %[t0], %[t2], %[s0]\n\t"
            "ldr %[t2], [%[w2], %[d]]\n\t"
            "sxtb16 %[t3], %[t2]\n\t"
            "sxtb16 %[t2], %[t2], ror #8\n\t"
            "smlad %[s3], %[t1], %[t3], %[s3]\n\t"
            "smlad %[s3], %[t0], %[t2], %[s3]\n\t"
            "ldr %[t2], [%[w2]], #4\n\t"
            "sxtb16 %[t3], %[t2]\n\t"
            "sxtb16 %[t2], %[t2], ror #8\n\t"
            "smlad %[s2], %[t1], %[t3], %[s2]\n\t"
            "smlad %[s2], %[t0], %[t2], %[s2]\n\t"
            "cmp %[x], %[end]\n\t"
            "bne 1b\n\t"
            : [s0] "+r"(s0), [s1] "+r"(s1), [s2] "+r"(s2), [s3] "+r"(s3), [x] "+r"(x0),
              [w0] "+r"(w0), [w2] "+r"(w2), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2),
              [t3] "=&r"(t3)
            : [d] "r"(depth), [end] "r"(xend)
            : "cc", "memory");
        for (k = depth & 3; k; --k) {
          const int32_t v = *x0++;
          s0 += v * (int32_t)w0[0];
          s1 += v * (int32_t)w0[depth];
          s2 += v * (int32_t)w2[0];
          s3 += v * (int32_t)w2[depth];
          ++w0;
          ++w2;
        }
        o0[c * ocs] = ec_requant_s8_apply_dsp(&q, s0, c);
        o0[(c + 1) * ocs] = ec_requant_s8_apply_dsp(&q, s1, c + 1);
        o0[(c + 2) * ocs] = ec_requant_s8_apply_dsp(&q, s2, c + 2);
        o0[(c + 3) * ocs] = ec_requant_s8_apply_dsp(&q, s3, c + 3);
      }
    }
#endif
    for (; c + 1 < cols; c += 2) {
      const int8_t *w0 = wbase + (size_t)c * (size_t)depth;
      const int8_t *w1 = w0 + depth;
      const int8_t *x0 = a0;
      int32_t s0 = bias[c], s1 = bias[c + 1];
      k = depth >> 2;
      while (k--) {
        uint32_t vx = ec_ld32(x0), vw0 = ec_ld32(w0), vw1 = ec_ld32(w1);
        uint32_t xl = ec_sxtb16(vx), xh = ec_sxtb16_ror8(vx);
        x0 += 4;
        w0 += 4;
        w1 += 4;
        s0 = ec_smlad(xl, ec_sxtb16(vw0), s0);
        s1 = ec_smlad(xl, ec_sxtb16(vw1), s1);
        s0 = ec_smlad(xh, ec_sxtb16_ror8(vw0), s0);
        s1 = ec_smlad(xh, ec_sxtb16_ror8(vw1), s1);
      }
      for (k = depth & 3; k; --k) {
        int32_t v = *x0++;
        s0 += v * (int32_t)(*w0++);
        s1 += v * (int32_t)(*w1++);
      }
      o0[c * ocs] = ec_requant_s8_apply_dsp(&q, s0, c);
      o0[(c + 1) * ocs] = ec_requant_s8_apply_dsp(&q, s1, c + 1);
    }
    if (c < cols)
      o0[c * ocs] = ec_requant_s8_apply_dsp(
          &q, ec_dot_s8_dsp(a0, wbase + (size_t)c * (size_t)depth, depth, bias[c]), c);
  }
}

/* Columns c0..c0+3 of w [cols][depth] as ec_gemm_s8_params.wx's pairs (one
 * group of ec_pack_gemm_wx's layout, zero past cols and depth), paired at run
 * time: SXTB16 of a word of four weights gives k0 and k2, SXTB16 of the word
 * rotated by 8 gives k1 and k3. */
static void ec_pair_cols(const int8_t *w, int32_t cols, int32_t depth, int32_t c0,
                         int32_t *dst) {
  const int32_t nkb = depth >> 2, tail = depth & 3;
  int32_t i, j;
  for (i = 0; i < 4; ++i) {
    int32_t *d = dst + 2 * i;
    if (c0 + i >= cols) {
      for (j = 0; j < nkb + (tail ? 1 : 0); ++j, d += 8) d[0] = d[1] = 0;
      continue;
    }
    {
      const int8_t *wr = w + (size_t)(c0 + i) * (size_t)depth;
      for (j = 0; j < nkb; ++j, wr += 4, d += 8) {
        const uint32_t v = ec_ld32(wr);
        d[0] = (int32_t)ec_sxtb16(v);
        d[1] = (int32_t)ec_sxtb16_ror8(v);
      }
      if (tail) {
        uint32_t v = (uint32_t)(uint8_t)wr[0];
        if (tail > 1) v |= (uint32_t)(uint8_t)wr[1] << 8;
        if (tail > 2) v |= (uint32_t)(uint8_t)wr[2] << 16;
        d[0] = (int32_t)ec_sxtb16(v);
        d[1] = (int32_t)ec_sxtb16_ror8(v);
      }
    }
  }
}

void ec_gemm_s8_dsp_paired(const ec_gemm_s8_params *p, const int8_t *a, int32_t rows,
                           int32_t a_stride, int8_t *out, int32_t out_row_stride,
                           void *scratch, int32_t scratch_bytes) {
  const ec_requant_s8 q = ec_requant_s8_init(p);
  const int32_t ocs = p->out_col_stride, group = ((p->depth + 3) >> 2) * 32;
  const int32_t chunk = 4 * (group > 0 ? scratch_bytes / group : 0); /* columns per pass */
  int32_t c;
  if (p->wx || !scratch || chunk < 4 || rows < EC_GEMM_PAIRED_MIN_ROWS) {
    ec_gemm_s8_dsp(p, a, rows, a_stride, out, out_row_stride);
    return;
  }
  for (c = 0; c < p->cols; c += chunk) {
    ec_gemm_s8_params pc = *p;
    ec_requant_s8 qc = q;
    int32_t g;
    pc.cols = p->cols - c < chunk ? p->cols - c : chunk;
    pc.bias = p->bias + c;
    pc.wx = (const int32_t *)scratch;
    qc.m = q.m + c;
    qc.s = q.s + c;
    if (q.mn) {
      qc.mn = q.mn + c;
      qc.sn = q.sn + c;
    }
    for (g = 0; g < pc.cols; g += 4)
      ec_pair_cols(p->w, p->cols, p->depth, c + g, (int32_t *)scratch + (size_t)g * (size_t)(group / 16));
    ec_gemm_s8_wx(&pc, &qc, a, rows, a_stride, out + (size_t)c * (size_t)ocs, out_row_stride);
  }
}
