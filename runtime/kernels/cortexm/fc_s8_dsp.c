#include "fc_s8_dsp.h"
#include "dsp_q.h"
#include "requant_s8_dsp.h"
#include "gemm_s8_wx.h"

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
         * SXTB16, 8 SMLAD per four k steps, eight k steps per pass (the
         * block above left a multiple of 8) */
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
      o0[c * ocs] = ec_requant_s8_apply_dsp_p(&q, p, s00, c);
      o0[(c + 1) * ocs] = ec_requant_s8_apply_dsp_p(&q, p, s01, c + 1);
      o1[c * ocs] = ec_requant_s8_apply_dsp_p(&q, p, s10, c);
      o1[(c + 1) * ocs] = ec_requant_s8_apply_dsp_p(&q, p, s11, c + 1);
    }
    if (c < cols) {
      const int8_t *w0 = wbase + (size_t)c * (size_t)depth;
      o0[c * ocs] = ec_requant_s8_apply_dsp_p(&q, p, ec_dot_s8_dsp(a0, w0, depth, bias[c]), c);
      o1[c * ocs] = ec_requant_s8_apply_dsp_p(&q, p, ec_dot_s8_dsp(a1, w0, depth, bias[c]), c);
    }
  }
  if (r < rows) {
    const int8_t *a0 = a + (size_t)r * (size_t)a_stride;
    int8_t *o0 = out + (size_t)r * (size_t)out_row_stride;
    c = 0;
#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
    if (depth >= 4) {
      /* one row, four columns per pass (5 loads, 10 SXTB16, 8 SMLAD per four
       * k steps; the weight pointers post-incremented; the end of the row
       * reloaded from the stack: gcc found no 13 free registers for the
       * Cortex-M4 build); the tail of k in C */
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
            "ldr %[t0], %[end]\n\t"
            "cmp %[x], %[t0]\n\t"
            "bne 1b\n\t"
            : [s0] "+r"(s0), [s1] "+r"(s1), [s2] "+r"(s2), [s3] "+r"(s3), [x] "+r"(x0),
              [w0] "+r"(w0), [w2] "+r"(w2), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2),
              [t3] "=&r"(t3)
            : [d] "r"(depth), [end] "m"(xend)
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
      o0[c * ocs] = ec_requant_s8_apply_dsp_p(&q, p, s0, c);
      o0[(c + 1) * ocs] = ec_requant_s8_apply_dsp_p(&q, p, s1, c + 1);
    }
    if (c < cols)
      o0[c * ocs] = ec_requant_s8_apply_dsp(
          &q, ec_dot_s8_dsp(a0, wbase + (size_t)c * (size_t)depth, depth, bias[c]), c);
  }
}
