/*
 * Ungrouped integer convolution for Cortex-M cores with the DSP extension:
 * im2col into arena scratch, then with one byte per weight (g.wx NULL) the
 * two output pixels' fields sign-extended once into halfword pairs and a
 * two-pixel by two-column SMLAD loop pairing the weights at run time, or
 * with the pair layout (g.wx) ec_gemm_s8_dsp (fc_s8_dsp.h). Bit-identical
 * to ec_conv_s8 (kernels/reference/conv_s8.h) on the same layer.
 */
#ifndef EDGEC_CONV_S8_DSP_H
#define EDGEC_CONV_S8_DSP_H

#include "edgec_rt.h"
#include "kernels/reference/conv_s8.h"

/* Bytes of ec_conv_s8_dsp's scratch (4-byte aligned) for g.depth = depth
 * and g.cols = cols: with one byte per weight, depth a multiple of 4 and at
 * least 4 columns the sign-extended pairs of two fields (4 * depth bytes)
 * before their bytes (2 * depth), else the bytes alone. */
#define EC_CONV_S8_DSP_PAIRS(depth, cols) ((depth) % 4 == 0 && (cols) >= 4)
#define EC_CONV_S8_DSP_SCRATCH(depth, cols)                                    \
  ((EC_CONV_S8_DSP_PAIRS(depth, cols) ? 4 * (depth) : 0) + 2 * (depth))

/* groups = 1, any layout (g.out_col_stride = out_sc): im2col of two output
 * pixels of a row into `scratch` (EC_CONV_S8_DSP_SCRATCH(g.depth, g.cols) bytes,
 * padding read as in_zp) and the blocked DSP matrix product. */
void ec_conv_s8_dsp(const ec_conv_s8_params *p, const int8_t *in, int8_t *out,
                    void *scratch);

#endif
