/*
 * Float 1-D/2-D convolution (ONNX Conv) with groups, strides, dilations,
 * pads, bias and a fused activation. Input and output are addressed through
 * element strides of N, C, H, W, so one kernel serves NCHW and NHWC.
 * Weights are repacked by the compiler as [C_out][KH][KW][C_in / groups].
 */
#ifndef EDGEC_CONV_F32_H
#define EDGEC_CONV_F32_H

#include "edgec_rt.h"

typedef struct {
  int32_t n, ci, ih, iw, co, oh, ow, kh, kw;
  int32_t sh, sw, dh, dw, ph, pw; /* strides, dilations, pads top/left */
  int32_t groups;
  int32_t in_sn, in_sc, in_sh, in_sw;     /* input element strides */
  int32_t out_sn, out_sc, out_sh, out_sw; /* output element strides */
  ec_act_params act;
} ec_conv_f32_params;

/* bias may be NULL. out must not overlap in. */
void ec_conv_f32(const ec_conv_f32_params *p, const float *in, const float *w,
                 const float *bias, float *out);

#endif
