#include "fc_s8.h"
#include "dsp_q.h"

void ec_gemm_s8(const ec_gemm_s8_params *p, const int8_t *a, int32_t rows,
                int32_t a_stride, int8_t *out, int32_t out_row_stride) {
  const int32_t depth = p->depth, cols = p->cols, ocs = p->out_col_stride;
  int32_t r, c, k;
  for (r = 0; r < rows; ++r) {
    const int8_t *ar = a + (size_t)r * (size_t)a_stride;
    int8_t *orow = out + (size_t)r * (size_t)out_row_stride;
    const int8_t *w = p->w;
    for (c = 0; c < cols; ++c) {
      int32_t acc = p->bias[c];
      for (k = 0; k < depth; ++k) acc += (int32_t)w[k] * (int32_t)ar[k];
      w += depth;
      orow[c * ocs] = ec_gemm_requant_s8(p, acc, c);
    }
  }
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
  int32_t r = 0, c, k;
  for (; r + 1 < rows; r += 2) {
    const int8_t *a0 = a + (size_t)r * (size_t)a_stride;
    const int8_t *a1 = a0 + a_stride;
    int8_t *o0 = out + (size_t)r * (size_t)out_row_stride;
    int8_t *o1 = o0 + out_row_stride;
    for (c = 0; c + 1 < cols; c += 2) {
      const int8_t *w0 = p->w + (size_t)c * (size_t)depth;
      const int8_t *x0 = a0;
      const int8_t *const xend = a0 + (depth & ~3);
      int32_t s00 = p->bias[c], s01 = p->bias[c + 1];
      int32_t s10 = s00, s11 = s01;
      /* rows a0 / a1 and w0 / w1 are a_stride / depth apart */
      while (x0 != xend) {
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
      for (k = depth & 3; k; --k) {
        int32_t v0 = x0[0], v1 = x0[a_stride], u0 = w0[0], u1 = w0[depth];
        ++x0;
        ++w0;
        s00 += v0 * u0;
        s01 += v0 * u1;
        s10 += v1 * u0;
        s11 += v1 * u1;
      }
      o0[c * ocs] = ec_gemm_requant_s8(p, s00, c);
      o0[(c + 1) * ocs] = ec_gemm_requant_s8(p, s01, c + 1);
      o1[c * ocs] = ec_gemm_requant_s8(p, s10, c);
      o1[(c + 1) * ocs] = ec_gemm_requant_s8(p, s11, c + 1);
    }
    if (c < cols) {
      const int8_t *w0 = p->w + (size_t)c * (size_t)depth;
      o0[c * ocs] = ec_gemm_requant_s8(p, ec_dot_s8_dsp(a0, w0, depth, p->bias[c]), c);
      o1[c * ocs] = ec_gemm_requant_s8(p, ec_dot_s8_dsp(a1, w0, depth, p->bias[c]), c);
    }
  }
  if (r < rows) {
    const int8_t *a0 = a + (size_t)r * (size_t)a_stride;
    int8_t *o0 = out + (size_t)r * (size_t)out_row_stride;
    for (c = 0; c + 1 < cols; c += 2) {
      const int8_t *w0 = p->w + (size_t)c * (size_t)depth;
      const int8_t *w1 = w0 + depth;
      const int8_t *x0 = a0;
      int32_t s0 = p->bias[c], s1 = p->bias[c + 1];
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
      o0[c * ocs] = ec_gemm_requant_s8(p, s0, c);
      o0[(c + 1) * ocs] = ec_gemm_requant_s8(p, s1, c + 1);
    }
    if (c < cols)
      o0[c * ocs] = ec_gemm_requant_s8(
          p, ec_dot_s8_dsp(a0, p->w + (size_t)c * (size_t)depth, depth, p->bias[c]), c);
  }
}
