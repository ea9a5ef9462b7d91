#include "conv_case.h"

#include <stdio.h>
#include <string.h>

static int32_t window(ec_rng *r, int32_t max_k) {
  switch (rng_range(r, 0, 3)) {
  case 0: return 1;
  case 1: return max_k < 3 ? max_k : 3;
  default: return rng_range(r, 1, max_k);
  }
}

void conv_case(ec_rng *r, int32_t max_c, int32_t max_m, int32_t max_k, int nhwc,
               ec_conv_case *g) {
  const int one_d = rng_chance(r, 1, 6);
  do {
    int32_t eff_h, eff_w, pad_b, pad_r;
    g->batch = rng_chance(r, 1, 5) ? 2 : 1;
    g->in_c = rng_range(r, 1, max_c);
    g->out_c = rng_range(r, 1, max_m);
    g->k_h = one_d ? 1 : window(r, max_k);
    g->k_w = window(r, max_k);
    g->in_h = one_d ? 1 : rng_range(r, 1, EC_CONV_MAX_IN_H);
    g->in_w = rng_range(r, 1, EC_CONV_MAX_IN_W);
    g->stride_h = one_d ? 1 : (rng_chance(r, 1, 3) ? rng_range(r, 2, 3) : 1);
    g->stride_w = rng_chance(r, 1, 3) ? rng_range(r, 2, 3) : 1;
    g->dil_h = one_d ? 1 : (rng_chance(r, 1, 4) ? EC_CONV_MAX_DIL : 1);
    g->dil_w = rng_chance(r, 1, 4) ? EC_CONV_MAX_DIL : 1;
    eff_h = (g->k_h - 1) * g->dil_h + 1;
    eff_w = (g->k_w - 1) * g->dil_w + 1;
    g->pad_t = !one_d && rng_chance(r, 1, 2) ? rng_range(r, 0, eff_h) : 0;
    g->pad_l = rng_chance(r, 1, 2) ? rng_range(r, 0, eff_w) : 0;
    pad_b = !one_d && rng_chance(r, 1, 2) ? rng_range(r, 0, eff_h) : 0;
    pad_r = rng_chance(r, 1, 2) ? rng_range(r, 0, eff_w) : 0;
    g->out_h = g->in_h + g->pad_t + pad_b - eff_h < 0
                   ? 0
                   : (g->in_h + g->pad_t + pad_b - eff_h) / g->stride_h + 1;
    g->out_w = g->in_w + g->pad_l + pad_r - eff_w < 0
                   ? 0
                   : (g->in_w + g->pad_l + pad_r - eff_w) / g->stride_w + 1;
  } while (g->out_h < 1 || g->out_w < 1);
  g->nhwc = nhwc;
}

void conv_params(const ec_conv_case *g, int32_t groups, ec_conv_s8_params *p) {
  memset(p, 0, sizeof *p);
  p->g.cols = g->out_c;
  p->g.depth = g->k_h * g->k_w * (g->in_c / groups);
  p->g.out_col_stride = 1;
  p->batch = g->batch;
  p->in_h = g->in_h;
  p->in_w = g->in_w;
  p->in_c = g->in_c;
  p->out_h = g->out_h;
  p->out_w = g->out_w;
  p->k_h = g->k_h;
  p->k_w = g->k_w;
  p->stride_h = g->stride_h;
  p->stride_w = g->stride_w;
  p->dil_h = g->dil_h;
  p->dil_w = g->dil_w;
  p->pad_t = g->pad_t;
  p->pad_l = g->pad_l;
  p->groups = groups;
  p->in_sn = g->in_c * g->in_h * g->in_w;
  p->out_sn = g->out_c * g->out_h * g->out_w;
  if (g->nhwc) {
    p->in_sc = 1, p->in_sw = g->in_c, p->in_sh = g->in_w * g->in_c;
    p->out_sc = 1, p->out_sw = g->out_c, p->out_sh = g->out_w * g->out_c;
  } else {
    p->in_sw = 1, p->in_sh = g->in_w, p->in_sc = g->in_h * g->in_w;
    p->out_sw = 1, p->out_sh = g->out_w, p->out_sc = g->out_h * g->out_w;
  }
}

void conv_layer(ec_rng *r, const ec_conv_case *g, int32_t groups, int8_t *w, int8_t *in,
                int32_t *raw, int32_t *folded, ec_conv_layer *l) {
  const int wide = rng_chance(r, 1, 2);
  int32_t depth;
  conv_params(g, groups, &l->ref);
  depth = l->ref.g.depth;
  l->in_zp = rng_chance(r, 1, 4) ? 0 : rng_range(r, -128, 127);
  l->in_off = rng_range(r, 0, 3);
  rng_fill_s8(r, w, (size_t)g->out_c * (size_t)depth, wide ? -128 : -30, wide ? 127 : 30);
  rng_fill_s8(r, in, conv_in_elems(g) + 4, -128, 127);
  requant_case(r, g->out_c, &l->q);
  l->fast = layer_biases(r, &l->q, w, depth, l->in_zp, raw, folded) && rng_chance(r, 3, 4);
  l->ref.in_zp = l->in_zp;
  l->ref.g.w = w;
  l->ref.g.bias = raw;
  l->ref.raw_bias = raw;
  requant_params(&l->q, 0, &l->ref.g);
}

size_t conv_in_elems(const ec_conv_case *g) {
  return (size_t)g->batch * (size_t)g->in_h * (size_t)g->in_w * (size_t)g->in_c;
}

size_t conv_out_elems(const ec_conv_case *g) {
  return (size_t)g->batch * (size_t)g->out_h * (size_t)g->out_w * (size_t)g->out_c;
}

size_t conv_describe(const ec_conv_case *g, char *what, size_t n) {
  const int len =
      snprintf(what, n,
               "%s n%ld %ldx%ldx%ld -> %ld, k %ldx%ld stride %ld,%ld dil %ld,%ld pad %ld,%ld "
               "out %ldx%ld",
               g->nhwc ? "NHWC" : "NCHW", (long)g->batch, (long)g->in_h, (long)g->in_w,
               (long)g->in_c, (long)g->out_c, (long)g->k_h, (long)g->k_w, (long)g->stride_h,
               (long)g->stride_w, (long)g->dil_h, (long)g->dil_w, (long)g->pad_t,
               (long)g->pad_l, (long)g->out_h, (long)g->out_w);
  return len < 0 ? 0 : ((size_t)len < n ? (size_t)len : n - 1);
}
