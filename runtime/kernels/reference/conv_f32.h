/*
 * Float 1-D/2-D convolution (ONNX Conv) with groups, strides, dilations,
 * pads, bias and a fused activation. Input and output are addressed through
 * element strides of N, C, H, W, so one kernel serves NCHW and NHWC.
 *
 * The compiler picks a weight format (mode) when it lowers the Conv:
 *  EC_CONV_F32_STRIDED  weights read through w_so/w_sh/w_sw/w_sc (computed
 *                       weights, read in place);
 *  EC_CONV_F32_BLOCKED  constant weights repacked per group into blocks of 4
 *                       output channels: [g][co_g/4 (rounded up)][KH][KW]
 *                       [C_in/g][4], zero padded; a register-blocked direct
 *                       convolution (4 output channels x 4 pixels), also
 *                       serving 1x1 convolutions as a matrix product;
 *  EC_CONV_F32_DEPTHWISE constant depthwise weights: [KH][KW][C] when the
 *                       input and output are channels-last (in_sc == out_sc
 *                       == 1), else [C][KH][KW].
 */
#ifndef EDGEC_CONV_F32_H
#define EDGEC_CONV_F32_H

#include "edgec_rt.h"

#define EC_CONV_F32_STRIDED 0
#define EC_CONV_F32_BLOCKED 1
#define EC_CONV_F32_DEPTHWISE 2

typedef struct {
  int32_t n, ci, ih, iw, co, oh, ow, kh, kw;
  int32_t sh, sw, dh, dw, ph, pw; /* strides, dilations, pads top/left */
  int32_t groups;
  int32_t in_sn, in_sc, in_sh, in_sw;     /* input element strides */
  int32_t out_sn, out_sc, out_sh, out_sw; /* output element strides */
  int32_t w_so, w_sh, w_sw, w_sc;         /* weight element strides (STRIDED) */
  ec_act_params act;
  int32_t mode;                           /* EC_CONV_F32_* */
} ec_conv_f32_params;

/* bias may be NULL. out must not overlap in. */
void ec_conv_f32(const ec_conv_f32_params *p, const float *in, const float *w,
                 const float *bias, float *out);

#endif
