/*
 * ec_conv_s8_dsp (im2col + ec_gemm_s8_dsp) against ec_conv_s8: ungrouped
 * convolutions of random geometry in both layouts, with the parameters the
 * lowering gives each kernel: the reference the raw bias, the DSP kernel
 * the bias with the input zero point folded in, the output channel stride
 * as the column stride, `fast` where allowed and the weights repacked by
 * ec_pack_gemm_wx (the lowering's own code; also without: one byte per
 * weight, the fields sign-extended into pairs, two pixels by two columns,
 * and with the depth rounded up to a multiple of 4 by zero weights).
 */
#include "conv_case.h"

#include "kernels/cortexm/conv_s8_dsp.h"
#include "targets/mcu/lower/DspWeightPacking.h"

#include <stdio.h>

enum { kC = 13, kM = 12, kK = 5, kDepth = kK * kK * kC };
enum {
  kIn = 2 * EC_CONV_MAX_IN_H * EC_CONV_MAX_IN_W * kC,
  kOut = 2 * EC_CONV_MAX_OUT(EC_CONV_MAX_IN_H, kK) * EC_CONV_MAX_OUT(EC_CONV_MAX_IN_W, kK) * kM
};

void cases_conv_s8_dsp(ec_rng *r, int32_t n, ec_tally *t) {
  static int8_t w[kM * kDepth], in[kIn + 4];
  static int32_t col[(6 * (kDepth + 3) + 3) / 4]; /* EC_CONV_S8_DSP_SCRATCH at most */
  static int8_t wpad[kM * (kDepth + 3)];
  static int32_t raw[kM], folded[kM], wx[(kM + 3) / 4 * 4 * ((kDepth + 3) / 4) * 2];
  static int8_t out_ref[kOut + 2 * EC_GUARD], out_opt[kOut + 2 * EC_GUARD];
  static ec_conv_layer l;
  int32_t i;
  for (i = 0; i < n; ++i) {
    ec_conv_case g;
    ec_conv_s8_params opt;
    size_t len;
    int packed, padded = 0;
    char what[EC_WHAT];
    conv_case(r, kC, kM, kK, rng_chance(r, 1, 2), &g);
    conv_layer(r, &g, 1, w, in, raw, folded, &l);
    t->fast += l.fast;
    packed = rng_chance(r, 3, 4);
    opt = l.ref;
    opt.raw_bias = 0;
    opt.g.bias = folded;
    opt.g.out_col_stride = l.ref.out_sc;
    requant_params(&l.q, l.fast, &opt.g);
    if (packed) {
      ec_pack_gemm_wx(w, g.out_c, l.ref.g.depth, wx);
      opt.g.wx = wx;
    } else if (l.ref.g.depth % 4 && g.out_c >= 4 && rng_chance(r, 1, 2)) {
      /* the depth rounded up to a multiple of 4 with zero weights, as the
       * lowering stores them for the pair path */
      const int32_t d = l.ref.g.depth, d4 = (d + 3) / 4 * 4;
      int32_t o, k;
      for (o = 0; o < g.out_c; ++o)
        for (k = 0; k < d4; ++k) wpad[o * d4 + k] = k < d ? w[o * d + k] : 0;
      opt.g.w = wpad;
      opt.g.depth = d4;
      padded = 1;
    }
    case_begin(out_ref, out_opt, conv_out_elems(&g));
    ec_conv_s8(&l.ref, in + l.in_off, out_ref + EC_GUARD);
    ec_conv_s8_dsp(&opt, in + l.in_off, out_opt + EC_GUARD, col);
    len = conv_describe(&g, what, sizeof what);
    snprintf(what + len, sizeof what - len, " in_zp %ld fast %d wx %d padded %d leaky %ld",
             (long)l.in_zp, l.fast, packed, padded, (long)l.q.leaky);
    case_check(t, out_ref, out_opt, conv_out_elems(&g), what);
  }
}
