#include "gemm_s8_wx.h"
#include "dsp_q.h"
#include "requant_s8_dsp.h"

void ec_gemm_s8_wx(const ec_gemm_s8_params *p, const ec_requant_s8 *q,
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
        orow[c * ocs] = ec_requant_s8_apply_dsp_p(q, p, s0, c);
        orow[(c + 1) * ocs] = ec_requant_s8_apply_dsp_p(q, p, s1, c + 1);
        orow[(c + 2) * ocs] = ec_requant_s8_apply_dsp_p(q, p, s2, c + 2);
        orow[(c + 3) * ocs] = ec_requant_s8_apply_dsp_p(q, p, s3, c + 3);
      } else {
        orow[c * ocs] = ec_requant_s8_apply_dsp_p(q, p, s0, c);
        if (c + 1 < cols) orow[(c + 1) * ocs] = ec_requant_s8_apply_dsp_p(q, p, s1, c + 1);
        if (c + 2 < cols) orow[(c + 2) * ocs] = ec_requant_s8_apply_dsp_p(q, p, s2, c + 2);
      }
    }
  }
}
