/*
 * Float 1-D/2-D transposed convolution (ONNX ConvTranspose) with groups,
 * strides, dilations, pads (from pads, auto_pad, output_padding or
 * output_shape: the compiler resolves them to the top/left pads and the
 * output size) and a fused activation. Input and output are addressed
 * through element strides of N, C, H, W, so one kernel serves NCHW and NHWC;
 * weights are ONNX's [C_in][C_out/groups][KH][KW], contiguous.
 *
 * Input position (iy, ix) with kernel tap (ky, kx) adds to output position
 * (iy * sh - ph + ky * dh, ix * sw - pw + kx * dw); the kernel gathers those
 * contributions per output element, adds the bias and applies act.
 */
#ifndef EDGEC_CONVTRANSPOSE_F32_H
#define EDGEC_CONVTRANSPOSE_F32_H

#include "edgec_rt.h"

typedef struct {
  int32_t n, ci, ih, iw, co, oh, ow, kh, kw;
  int32_t sh, sw, dh, dw, ph, pw; /* strides, dilations, pads top/left */
  int32_t groups;
  int32_t in_sn, in_sc, in_sh, in_sw;     /* input element strides */
  int32_t out_sn, out_sc, out_sh, out_sw; /* output element strides */
  ec_act_params act;
} ec_convtranspose_f32_params;

/* bias may be NULL. out must not overlap in. */
void ec_convtranspose_f32(const ec_convtranspose_f32_params *p, const float *in,
                          const float *w, const float *bias, float *out);

#endif
