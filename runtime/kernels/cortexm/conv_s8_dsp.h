/*
 * Ungrouped integer convolution for Cortex-M cores with the DSP extension:
 * im2col into arena scratch and ec_gemm_s8_dsp (fc_s8_dsp.h). Bit-identical
 * to ec_conv_s8 (kernels/reference/conv_s8.h) on the same layer.
 */
#ifndef EDGEC_CONV_S8_DSP_H
#define EDGEC_CONV_S8_DSP_H

#include "edgec_rt.h"
#include "kernels/reference/conv_s8.h"

/* groups = 1, any layout (g.out_col_stride = out_sc): im2col of two output
 * pixels of a row into `scratch` (2 * g.depth bytes, padding read as in_zp)
 * and the blocked DSP matrix product. */
void ec_conv_s8_dsp(const ec_conv_s8_params *p, const int8_t *in, int8_t *out,
                    void *scratch);

#endif
