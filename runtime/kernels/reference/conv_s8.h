/*
 * Integer 2-D convolution (TFLite's ConvPerChannel / DepthwiseConvPerChannel
 * arithmetic; grouped, any depth multiplier, pads, strides, dilations).
 * Tensors are addressed by element strides (n, c, h, w), so one kernel
 * serves NCHW and channels-last data; a 1-D convolution has in_h = 1.
 *
 *   acc = bias[oc] + sum_{ic, kh, kw in image} w * (x - in_zp)
 *   y   = clamp(MBQM(acc, mult[oc], shift[oc]) + out_zp, act_min, act_max)
 */
#ifndef EDGEC_CONV_S8_H
#define EDGEC_CONV_S8_H

#include "edgec_rt.h"
#include "fc_s8.h"

typedef struct {
  ec_gemm_s8_params g; /* cols = out_c, depth = k_h * k_w * (in_c / groups)
                          (ec_conv_s8_dsp: or that rounded up to a multiple
                          of 4, the weights zero-padded);
                          g.w is [out_c][k_h][k_w][in_c / groups] and g.bias
                          the bias minus in_zp * sum(w) (ec_conv_s8_dsp in
                          kernels/cortexm/conv_s8_dsp.h) */
  int32_t batch, in_h, in_w, in_c, out_h, out_w;
  int32_t k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_t, pad_l;
  int32_t groups;
  int32_t in_sn, in_sc, in_sh, in_sw;
  int32_t out_sn, out_sc, out_sh, out_sw;
  int32_t in_zp;
  const int32_t *raw_bias; /* [out_c] the bias itself (ec_conv_s8) */
  /* ec_dwconv_s8_dsp (kernels/cortexm/dwconv_s8_dsp.h; else NULL): the
   * bias minus in_zp * sum of the kernel (set: the folded-bias paths, the
   * weights paired at run time from g.w), and optionally (a flash-for-speed
   * choice, --option flash-budget) the weights of channels 4j..4j+3 as
   * halfword pairs, [in_c / 4][k_h * k_w][2] words (w[4j] | w[4j+2] << 16,
   * w[4j+1] | w[4j+3] << 16); ec_conv_s8 ignores both */
  const int32_t *dw_w;
  const int32_t *dw_bias;
} ec_conv_s8_params;

/* Portable direct convolution (any layout, groups). */
void ec_conv_s8(const ec_conv_s8_params *p, const int8_t *in, int8_t *out);

#endif
