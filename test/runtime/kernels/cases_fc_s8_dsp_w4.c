/*
 * ec_fc_s8_dsp_w4 against ec_gemm_s8: random fully connected layers
 * (column counts and depths multiples of 4, an odd or even count of
 * four-step blocks, padded input rows at any alignment, row-major and
 * strided outputs), the weights grouped by the compiler's own
 * ec_pack_fc_w4, with and without `fast`, with and without scratch.
 */
#include "requant_case.h"

#include "kernels/cortexm/fc_s8_dsp_w4.h"
#include "targets/mcu/lower/DspWeightPacking.h"

#include <stdio.h>

enum { kRows = 3, kDepth = 96, kStride = kDepth + 5 };
enum { kOut = kRows * EC_MAX_COLS * 3 + EC_MAX_COLS * 3 };

void cases_fc_s8_dsp_w4(ec_rng *r, int32_t n, ec_tally *t) {
  static int8_t w[EC_MAX_COLS * kDepth], w4[EC_MAX_COLS * kDepth], a[kRows * kStride + 4];
  static int32_t bias[EC_MAX_COLS], folded[EC_MAX_COLS], scratch[kDepth / 2];
  static int8_t out_ref[kOut + 2 * EC_GUARD], out_opt[kOut + 2 * EC_GUARD];
  static ec_requant_case q;
  int32_t i;
  for (i = 0; i < n; ++i) {
    const int32_t rows = rng_range(r, 1, kRows);
    const int32_t cols = 4 * rng_range(r, 1, EC_MAX_COLS / 4), depth = 4 * rng_range(r, 1, kDepth / 4);
    const int32_t a_stride = depth + (rng_chance(r, 1, 3) ? rng_range(r, 1, 5) : 0);
    const int32_t a_off = rng_range(r, 0, 3);
    const int wide = rng_chance(r, 1, 2);
    const int32_t ocs = rng_range(r, 1, 3);
    const int32_t ors = (cols - 1) * ocs + 1 + rng_range(r, 0, 3);
    const size_t out_n = (size_t)((rows - 1) * ors + (cols - 1) * ocs + 1);
    ec_gemm_s8_params ref = {0}, opt;
    int fast;
    char what[EC_WHAT];
    rng_fill_s8(r, w, (size_t)cols * (size_t)depth, wide ? -128 : -20, wide ? 127 : 20);
    rng_fill_s8(r, a, sizeof a, -128, 127);
    requant_case(r, cols, &q);
    fast = layer_biases(r, &q, w, depth, 0, bias, folded) && rng_chance(r, 3, 4);
    t->fast += fast;
    ref.cols = cols;
    ref.depth = depth;
    ref.out_col_stride = ocs;
    ref.w = w;
    ref.bias = bias;
    requant_params(&q, 0, &ref);
    opt = ref;
    requant_params(&q, fast, &opt);
    ec_pack_fc_w4(w, cols, depth, w4);
    opt.w = w4;
    case_begin(out_ref, out_opt, out_n);
    ec_gemm_s8(&ref, a + a_off, rows, a_stride, out_ref + EC_GUARD, ors);
    const int pairs = rng_chance(r, 1, 2);
    ec_fc_s8_dsp_w4(&opt, a + a_off, rows, a_stride, out_opt + EC_GUARD, ors, pairs ? scratch : 0);
    snprintf(what, sizeof what,
             "rows %ld cols %ld depth %ld a_stride %ld (+%ld) out strides %ld/%ld fast %d "
             "leaky %ld clamp [%ld, %ld] scratch %d",
             (long)rows, (long)cols, (long)depth, (long)a_stride, (long)a_off, (long)ors,
             (long)ocs, fast, (long)q.leaky, (long)q.act_min, (long)q.act_max, pairs);
    case_check(t, out_ref, out_opt, out_n, what);
  }
}
