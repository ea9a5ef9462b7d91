#include "fc_s8.h"

void ec_gemm_s8(const ec_gemm_s8_params *p, const int8_t *a, int32_t rows,
                int32_t a_stride, int8_t *out, int32_t out_row_stride) {
  const int32_t depth = p->depth, cols = p->cols, ocs = p->out_col_stride;
  const ec_requant_s8 q = ec_requant_s8_init(p);
  const int8_t *const w0 = p->w;
  const int32_t *const bias = p->bias;
  int32_t r, c, k;
  for (r = 0; r < rows; ++r) {
    const int8_t *ar = a + (size_t)r * (size_t)a_stride;
    int8_t *orow = out + (size_t)r * (size_t)out_row_stride;
    const int8_t *w = w0;
    for (c = 0; c < cols; ++c) {
      int32_t acc = bias[c];
      for (k = 0; k < depth; ++k) acc += (int32_t)w[k] * (int32_t)ar[k];
      w += depth;
      orow[c * ocs] = ec_requant_s8_apply(&q, acc, c);
    }
  }
}
