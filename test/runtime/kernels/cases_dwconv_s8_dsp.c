/*
 * ec_dwconv_s8_dsp against ec_conv_s8 (groups = channels, multiplier 1):
 * channels-last depthwise convolutions of random geometry (odd channel
 * counts, 3x3 and windows of up to 25 taps, strides, dilations, padding),
 * with the parameters the lowering gives each kernel: the reference the
 * raw bias and [c][kh][kw] weights, the DSP kernel the weights transposed
 * by ec_pack_dw_taps_major and, with the folded bias, either paired at
 * run time from those bytes (the default layout) or read as the pairs of
 * ec_pack_dw_w (the lowering's own code; the flash-budget layout); also
 * without the folded bias, the SSUB16 path; `fast` where allowed.
 */
#include "conv_case.h"

#include "kernels/cortexm/dwconv_s8_dsp.h"
#include "targets/mcu/lower/DspWeightPacking.h"

#include <stdio.h>

enum { kC = 21, kK = 5, kTaps = kK * kK };
enum {
  kIn = 2 * EC_CONV_MAX_IN_H * EC_CONV_MAX_IN_W * kC,
  kOut = 2 * EC_CONV_MAX_OUT(EC_CONV_MAX_IN_H, kK) * EC_CONV_MAX_OUT(EC_CONV_MAX_IN_W, kK) * kC
};

void cases_dwconv_s8_dsp(ec_rng *r, int32_t n, ec_tally *t) {
  static int8_t w[kC * kTaps], wt[kC * kTaps], in[kIn + 4], zrow[(kC + 3) / 4 * 4];
  static int32_t raw[kC], folded[kC], pairs[kC / 4 * kTaps * 2];
  static int8_t out_ref[kOut + 2 * EC_GUARD], out_opt[kOut + 2 * EC_GUARD];
  static ec_conv_layer l;
  int32_t i;
  for (i = 0; i < n; ++i) {
    ec_conv_case g;
    ec_conv_s8_params opt;
    int32_t taps;
    size_t len;
    int paired, folded_bias;
    char what[EC_WHAT];
    conv_case(r, kC, kC, kK, 1, &g);
    g.out_c = g.in_c;
    taps = g.k_h * g.k_w;
    conv_layer(r, &g, g.in_c, w, in, raw, folded, &l);
    t->fast += l.fast;
    folded_bias = g.in_c >= 4 && rng_chance(r, 3, 4);
    paired = folded_bias && rng_chance(r, 1, 2);
    opt = l.ref;
    opt.raw_bias = 0;
    ec_pack_dw_taps_major(w, g.in_c, taps, wt);
    opt.g.w = wt;
    requant_params(&l.q, l.fast, &opt.g);
    if (folded_bias) opt.dw_bias = folded;
    if (paired) {
      ec_pack_dw_w(w, g.in_c, taps, pairs);
      opt.dw_w = pairs;
    }
    case_begin(out_ref, out_opt, conv_out_elems(&g));
    ec_conv_s8(&l.ref, in + l.in_off, out_ref + EC_GUARD);
    ec_dwconv_s8_dsp(&opt, in + l.in_off, out_opt + EC_GUARD, folded_bias ? zrow : 0);
    len = conv_describe(&g, what, sizeof what);
    snprintf(what + len, sizeof what - len, " in_zp %ld fast %d folded %d pairs %d leaky %ld",
             (long)l.in_zp, l.fast, folded_bias, paired, (long)l.q.leaky);
    case_check(t, out_ref, out_opt, conv_out_elems(&g), what);
  }
}
