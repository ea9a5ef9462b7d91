#include "fc_s8_dsp_w4.h"
#include "dsp_q.h"
#include "requant_s8_dsp.h"

/* Four k steps of four columns: x pairs xa, xb; weight words at w. */
#define EC_W4_STEP(xa, xb, w)                                                   \
  {                                                                            \
    const uint32_t w0 = ec_ld32(w), w1 = ec_ld32(w + 4), w2 = ec_ld32(w + 8),  \
                   w3 = ec_ld32(w + 12);                                       \
    s0 = ec_smlad(xb, ec_sxtb16_ror8(w0), ec_smlad(xa, ec_sxtb16(w0), s0));    \
    s1 = ec_smlad(xb, ec_sxtb16_ror8(w1), ec_smlad(xa, ec_sxtb16(w1), s1));    \
    s2 = ec_smlad(xb, ec_sxtb16_ror8(w2), ec_smlad(xa, ec_sxtb16(w2), s2));    \
    s3 = ec_smlad(xb, ec_sxtb16_ror8(w3), ec_smlad(xa, ec_sxtb16(w3), s3));    \
  }


#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
/* four k steps of four columns in registers */
#define EC_W4_ASM                                                              \
  "ldr %[xb], [%[x]], #4\n\t"                                                 \
  "sxtb16 %[xa], %[xb]\n\t"                                                   \
  "sxtb16 %[xb], %[xb], ror #8\n\t"                                           \
  "ldrd %[wa], %[wb], [%[w]], #8\n\t"                                         \
  "sxtb16 %[t], %[wa]\n\t"                                                    \
  "smlad %[s0], %[xa], %[t], %[s0]\n\t"                                       \
  "sxtb16 %[wa], %[wa], ror #8\n\t"                                           \
  "smlad %[s0], %[xb], %[wa], %[s0]\n\t"                                      \
  "sxtb16 %[t], %[wb]\n\t"                                                    \
  "smlad %[s1], %[xa], %[t], %[s1]\n\t"                                       \
  "sxtb16 %[wb], %[wb], ror #8\n\t"                                           \
  "smlad %[s1], %[xb], %[wb], %[s1]\n\t"                                      \
  "ldrd %[wa], %[wb], [%[w]], #8\n\t"                                         \
  "sxtb16 %[t], %[wa]\n\t"                                                    \
  "smlad %[s2], %[xa], %[t], %[s2]\n\t"                                       \
  "sxtb16 %[wa], %[wa], ror #8\n\t"                                           \
  "smlad %[s2], %[xb], %[wa], %[s2]\n\t"                                      \
  "sxtb16 %[t], %[wb]\n\t"                                                    \
  "smlad %[s3], %[xa], %[t], %[s3]\n\t"                                       \
  "sxtb16 %[wb], %[wb], ror #8\n\t"                                           \
  "smlad %[s3], %[xb], %[wb], %[s3]\n\t"
#endif

/* The input rows sign-extended once into scratch (2 * depth bytes). */
static void ec_fc_w4_pairs(const ec_gemm_s8_params *p, const int8_t *a, int32_t rows,
                           int32_t a_stride, int8_t *out, int32_t out_row_stride,
                           void *scratch) {
  const int32_t depth = p->depth, cols = p->cols, ocs = p->out_col_stride;
  const ec_requant_s8 q = ec_requant_s8_init(p);
  uint32_t *const xs = (uint32_t *)scratch;
  const uint32_t *const xend = xs + depth / 2;
  int32_t r, c, k;
  for (r = 0; r < rows; ++r) {
    const int8_t *x = a + (size_t)r * (size_t)a_stride;
    const int8_t *w = p->w;
    int8_t *o = out + (size_t)r * (size_t)out_row_stride;
    for (k = 0; k < depth; k += 4) {
      const uint32_t v = ec_ld32(x + k);
      xs[k / 2] = ec_sxtb16(v);
      xs[k / 2 + 1] = ec_sxtb16_ror8(v);
    }
    for (c = 0; c < cols; c += 4, o += 4 * ocs) {
      int32_t s0 = p->bias[c], s1 = p->bias[c + 1], s2 = p->bias[c + 2], s3 = p->bias[c + 3];
      const uint32_t *xp = xs;
      if ((depth / 4) & 1) { /* an odd count of four-step blocks: one first */
        EC_W4_STEP(xp[0], xp[1], w)
        xp += 2;
        w += 16;
      }
#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
      if (xp != xend) {
        /* eight k steps: 2 LDRD of x, 4 LDRD of weights, 16 SXTB16, 16 SMLAD */
        uint32_t xa, xb, wa, wb, t;
        __asm__ volatile(
            "1:\n\t"
            "ldrd %[xa], %[xb], [%[x]], #8\n\t"
            "ldrd %[wa], %[wb], [%[w]], #8\n\t"
            "sxtb16 %[t], %[wa]\n\t"
            "smlad %[s0], %[xa], %[t], %[s0]\n\t"
            "sxtb16 %[wa], %[wa], ror #8\n\t"
            "smlad %[s0], %[xb], %[wa], %[s0]\n\t"
            "sxtb16 %[t], %[wb]\n\t"
            "smlad %[s1], %[xa], %[t], %[s1]\n\t"
            "sxtb16 %[wb], %[wb], ror #8\n\t"
            "smlad %[s1], %[xb], %[wb], %[s1]\n\t"
            "ldrd %[wa], %[wb], [%[w]], #8\n\t"
            "sxtb16 %[t], %[wa]\n\t"
            "smlad %[s2], %[xa], %[t], %[s2]\n\t"
            "sxtb16 %[wa], %[wa], ror #8\n\t"
            "smlad %[s2], %[xb], %[wa], %[s2]\n\t"
            "sxtb16 %[t], %[wb]\n\t"
            "smlad %[s3], %[xa], %[t], %[s3]\n\t"
            "sxtb16 %[wb], %[wb], ror #8\n\t"
            "smlad %[s3], %[xb], %[wb], %[s3]\n\t"
            "ldrd %[xa], %[xb], [%[x]], #8\n\t"
            "ldrd %[wa], %[wb], [%[w]], #8\n\t"
            "sxtb16 %[t], %[wa]\n\t"
            "smlad %[s0], %[xa], %[t], %[s0]\n\t"
            "sxtb16 %[wa], %[wa], ror #8\n\t"
            "smlad %[s0], %[xb], %[wa], %[s0]\n\t"
            "sxtb16 %[t], %[wb]\n\t"
            "smlad %[s1], %[xa], %[t], %[s1]\n\t"
            "sxtb16 %[wb], %[wb], ror #8\n\t"
            "smlad %[s1], %[xb], %[wb], %[s1]\n\t"
            "ldrd %[wa], %[wb], [%[w]], #8\n\t"
            "sxtb16 %[t], %[wa]\n\t"
            "smlad %[s2], %[xa], %[t], %[s2]\n\t"
            "sxtb16 %[wa], %[wa], ror #8\n\t"
            "smlad %[s2], %[xb], %[wa], %[s2]\n\t"
            "sxtb16 %[t], %[wb]\n\t"
            "smlad %[s3], %[xa], %[t], %[s3]\n\t"
            "sxtb16 %[wb], %[wb], ror #8\n\t"
            "smlad %[s3], %[xb], %[wb], %[s3]\n\t"
            "cmp %[x], %[end]\n\t"
            "bne 1b\n\t"
            : [s0] "+r"(s0), [s1] "+r"(s1), [s2] "+r"(s2), [s3] "+r"(s3), [x] "+r"(xp),
              [w] "+r"(w), [xa] "=&r"(xa), [xb] "=&r"(xb), [wa] "=&r"(wa), [wb] "=&r"(wb),
              [t] "=&r"(t)
            : [end] "r"(xend)
            : "cc", "memory");
      }
#else
      for (; xp != xend; xp += 2, w += 16) EC_W4_STEP(xp[0], xp[1], w)
#endif
      if (q.fast) {
        ec_requant4_fast(&q, s0, s1, s2, s3, c, o, ocs);
      } else {
        o[0] = ec_requant_s8_general(p, s0, c);
        o[ocs] = ec_requant_s8_general(p, s1, c + 1);
        o[2 * ocs] = ec_requant_s8_general(p, s2, c + 2);
        o[3 * ocs] = ec_requant_s8_general(p, s3, c + 3);
      }
    }
  }
}

void ec_fc_s8_dsp_w4(const ec_gemm_s8_params *p, const int8_t *a, int32_t rows,
                     int32_t a_stride, int8_t *out, int32_t out_row_stride, void *scratch) {
  const int32_t depth = p->depth, cols = p->cols, ocs = p->out_col_stride;
  const ec_requant_s8 q = ec_requant_s8_init(p);
  int32_t r, c;
  if (scratch) {
    ec_fc_w4_pairs(p, a, rows, a_stride, out, out_row_stride, scratch);
    return;
  }
  for (r = 0; r < rows; ++r) {
    const int8_t *const xr = a + (size_t)r * (size_t)a_stride;
    const int8_t *const xend = xr + depth;
    const int8_t *w = p->w;
    int8_t *o = out + (size_t)r * (size_t)out_row_stride;
    for (c = 0; c < cols; c += 4, o += 4 * ocs) {
      int32_t s0 = p->bias[c], s1 = p->bias[c + 1], s2 = p->bias[c + 2], s3 = p->bias[c + 3];
      const int8_t *x = xr;
      if ((depth / 4) & 1) { /* an odd count of four-step blocks: one first */
        const uint32_t v = ec_ld32(x);
        EC_W4_STEP(ec_sxtb16(v), ec_sxtb16_ror8(v), w)
        x += 4;
        w += 16;
      }
#if defined(__ARM_FEATURE_DSP) && (defined(__GNUC__) || defined(__clang__))
      if (x != xend) {
        /* eight k steps: 2 LDR and 4 SXTB16 of x, 4 LDRD of weights, 16
         * SXTB16, 16 SMLAD */
        uint32_t xa, xb, wa, wb, t;
        __asm__ volatile("1:\n\t" EC_W4_ASM EC_W4_ASM
                         "cmp %[x], %[end]\n\t"
                         "bne 1b\n\t"
                         : [s0] "+r"(s0), [s1] "+r"(s1), [s2] "+r"(s2), [s3] "+r"(s3),
                           [x] "+r"(x), [w] "+r"(w), [xa] "=&r"(xa), [xb] "=&r"(xb),
                           [wa] "=&r"(wa), [wb] "=&r"(wb), [t] "=&r"(t)
                         : [end] "r"(xend)
                         : "cc", "memory");
      }
#else
      for (; x != xend; x += 4, w += 16) {
        const uint32_t v = ec_ld32(x);
        EC_W4_STEP(ec_sxtb16(v), ec_sxtb16_ror8(v), w)
      }
#endif
      if (q.fast) {
        ec_requant4_fast(&q, s0, s1, s2, s3, c, o, ocs);
      } else {
        o[0] = ec_requant_s8_general(p, s0, c);
        o[ocs] = ec_requant_s8_general(p, s1, c + 1);
        o[2 * ocs] = ec_requant_s8_general(p, s2, c + 2);
        o[3 * ocs] = ec_requant_s8_general(p, s3, c + 3);
      }
    }
  }
}
