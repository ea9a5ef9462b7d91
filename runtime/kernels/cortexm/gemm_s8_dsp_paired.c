#include "gemm_s8_dsp_paired.h"
#include "dsp_q.h"
#include "requant_s8_dsp.h"
#include "gemm_s8_wx.h"

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
  const int32_t ocs = p->out_col_stride, group = ((p->depth + 3) >> 2) * 32;
  const int32_t chunk = 4 * (group > 0 ? scratch_bytes / group : 0); /* columns per pass */
  int32_t c;
  if (p->wx || !scratch || chunk < 4 || rows < EC_GEMM_PAIRED_MIN_ROWS) {
    ec_gemm_s8_dsp(p, a, rows, a_stride, out, out_row_stride);
    return;
  }
  for (c = 0; c < p->cols; c += chunk) {
    /* columns c.. (ec_gemm_s8_wx reads the general requantization from pc) */
    ec_gemm_s8_params pc = *p;
    ec_requant_s8 qc;
    int32_t g;
    pc.cols = p->cols - c < chunk ? p->cols - c : chunk;
    pc.bias = p->bias + c;
    pc.wx = (const int32_t *)scratch;
    pc.mult = p->mult + c;
    pc.shift = p->shift + c;
    if (p->mult_neg) {
      pc.mult_neg = p->mult_neg + c;
      pc.shift_neg = p->shift_neg + c;
    }
    qc = ec_requant_s8_init(&pc);
    for (g = 0; g < pc.cols; g += 4)
      ec_pair_cols(p->w, p->cols, p->depth, c + g, (int32_t *)scratch + (size_t)g * (size_t)(group / 16));
    ec_gemm_s8_wx(&pc, &qc, a, rows, a_stride, out + (size_t)c * (size_t)ocs, out_row_stride);
  }
}
