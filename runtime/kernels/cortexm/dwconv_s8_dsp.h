/*
 * Depthwise integer convolution for Cortex-M cores with the DSP extension:
 * SMLABB / SMLATT on halfword pairs, in assembly where __ARM_FEATURE_DSP is
 * defined and through dsp_q.h's plain-C emulation elsewhere. Bit-identical
 * to ec_conv_s8 (kernels/reference/conv_s8.h) on the same layer.
 */
#ifndef EDGEC_DWCONV_S8_DSP_H
#define EDGEC_DWCONV_S8_DSP_H

#include "edgec_rt.h"
#include "kernels/reference/conv_s8.h"

/* Depthwise, channels-last, depth multiplier 1 (groups = in_c = out_c):
 * four channels per step (SSUB16 of the zero point, SMLABB / SMLATT) over
 * the kernel positions inside the image. g.w is [k_h][k_w][in_c], g.bias
 * the raw bias (read only without dw_bias or past 16 taps). With dw_bias: the folded bias, the weights paired at run
 * time from g.w's bytes (or read pre-expanded from dw_w when set), the taps
 * outside the image reading in_zp from `scratch` (in_c bytes). */
void ec_dwconv_s8_dsp(const ec_conv_s8_params *p, const int8_t *in, int8_t *out,
                      void *scratch);

#endif
