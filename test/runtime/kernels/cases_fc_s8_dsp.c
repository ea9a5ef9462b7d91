/*
 * ec_gemm_s8_dsp against ec_gemm_s8: random matrix products (odd and
 * multiple-of-4 depths and column counts, padded input rows, row-major and
 * interleaved outputs as im2col uses them), with and without the weights
 * repacked by the compiler (ec_pack_gemm_wx, the lowering's own code),
 * one byte per weight through ec_gemm_s8_dsp_paired (pairs built at run
 * time in scratch, as the lowering calls it for 1x1 convolutions) and with
 * and without `fast`.
 */
#include "requant_case.h"

#include "kernels/cortexm/fc_s8_dsp.h"
#include "kernels/cortexm/gemm_s8_dsp_paired.h"
#include "targets/mcu/lower/DspWeightPacking.h"

#include <stdio.h>

enum { kRows = 6, kDepth = 96, kStride = kDepth + 5 };
enum { kOut = kRows * EC_MAX_COLS * 3 + EC_MAX_COLS * 3 };

static int32_t dim(ec_rng *r, int32_t max) {
  switch (rng_range(r, 0, 3)) {
  case 0: return rng_range(r, 1, 4);
  case 1: { /* a multiple of 4, or one off */
    const int32_t m4 = 4 * rng_range(r, 1, max / 4), v = m4 + rng_range(r, -1, 1);
    return v < 1 ? 1 : (v > max ? max : v);
  }
  default: return rng_range(r, 1, max);
  }
}

void cases_fc_s8_dsp(ec_rng *r, int32_t n, ec_tally *t) {
  static int8_t w[EC_MAX_COLS * kDepth], a[kRows * kStride + 4];
  static int32_t pscratch[(kDepth + 3) / 4 * 8 * 3];
  static int32_t bias[EC_MAX_COLS], folded[EC_MAX_COLS], wx[(EC_MAX_COLS + 3) / 4 * 4 * ((kDepth + 3) / 4) * 2];
  static int8_t out_ref[kOut + 2 * EC_GUARD], out_opt[kOut + 2 * EC_GUARD];
  static ec_requant_case q;
  int32_t i;
  for (i = 0; i < n; ++i) {
    const int32_t rows = rng_range(r, 1, kRows), cols = dim(r, EC_MAX_COLS), depth = dim(r, kDepth);
    const int32_t a_stride = depth + (rng_chance(r, 1, 3) ? rng_range(r, 1, 5) : 0);
    const int32_t a_off = rng_range(r, 0, 3); /* rows at any alignment */
    const int wide = rng_chance(r, 1, 2); /* weights over the whole int8 range */
    int32_t ocs, ors;
    size_t out_n;
    ec_gemm_s8_params ref = {0}, opt;
    int fast, packed, paired;
    char what[EC_WHAT];
    if (rng_chance(r, 2, 3)) { /* row-major, columns ocs apart */
      ocs = rng_range(r, 1, 3);
      ors = (cols - 1) * ocs + 1 + rng_range(r, 0, 3);
    } else { /* rows interleaved with columns (an NCHW convolution) */
      ors = rng_range(r, 1, 2);
      ocs = (rows - 1) * ors + 1 + rng_range(r, 0, 2);
    }
    out_n = (size_t)((rows - 1) * ors + (cols - 1) * ocs + 1);
    rng_fill_s8(r, w, (size_t)cols * (size_t)depth, wide ? -128 : -20, wide ? 127 : 20);
    rng_fill_s8(r, a, sizeof a, -128, 127);
    requant_case(r, cols, &q);
    /* the zero point is already folded into a product's bias */
    fast = layer_biases(r, &q, w, depth, 0, bias, folded) && rng_chance(r, 3, 4);
    t->fast += fast;
    packed = rng_chance(r, 1, 2);
    paired = !packed && rng_chance(r, 2, 3);
    ref.cols = cols;
    ref.depth = depth;
    ref.out_col_stride = ocs;
    ref.w = w;
    ref.bias = bias;
    requant_params(&q, 0, &ref);
    opt = ref;
    requant_params(&q, fast, &opt);
    if (packed) {
      ec_pack_gemm_wx(w, cols, depth, wx);
      opt.wx = wx;
    }
    case_begin(out_ref, out_opt, out_n);
    ec_gemm_s8(&ref, a + a_off, rows, a_stride, out_ref + EC_GUARD, ors);
    if (paired)
      ec_gemm_s8_dsp_paired(&opt, a + a_off, rows, a_stride, out_opt + EC_GUARD, ors, pscratch,
                            (int32_t)sizeof pscratch - rng_range(r, 0, 40));
    else
      ec_gemm_s8_dsp(&opt, a + a_off, rows, a_stride, out_opt + EC_GUARD, ors);
    snprintf(what, sizeof what,
             "rows %ld cols %ld depth %ld a_stride %ld (+%ld) out strides %ld/%ld fast %d "
             "wx %d paired %d leaky %ld clamp [%ld, %ld]",
             (long)rows, (long)cols, (long)depth, (long)a_stride, (long)a_off, (long)ors,
             (long)ocs, fast, packed, paired, (long)q.leaky, (long)q.act_min, (long)q.act_max);
    case_check(t, out_ref, out_opt, out_n, what);
  }
}
