/*
 * ec_fc_s8_dsp_w4: ec_gemm_s8 (kernels/reference/fc_s8.h) for fully
 * connected layers on Cortex-M cores with the DSP extension, int8 weights
 * still one byte each but grouped by four columns so that one LDRD brings
 * two columns' four k steps: p->w is [cols / 4][depth / 4][4][4] bytes
 * (column 4i + j, k 4l..4l+3 at byte ((i * depth / 4 + l) * 4 + j) * 4;
 * ec_pack_fc_w4 in targets/mcu/lower/DspWeightPacking.h). cols and depth
 * are multiples of 4. The input is sign-extended into the pairs (x0 | x2
 * << 16, x1 | x3 << 16), which SMLAD multiplies with SXTB16 of a weight
 * word and of that word rotated by 8: once per row into `scratch` (2 *
 * depth bytes, 4-byte aligned) where given, else once per group of four
 * columns (NULL: no RAM). Bit-identical to ec_gemm_s8 on the same matrix;
 * plain C through dsp_q.h where there is no DSP extension.
 */
#ifndef EDGEC_FC_S8_DSP_W4_H
#define EDGEC_FC_S8_DSP_W4_H

#include "edgec_rt.h"
#include "kernels/reference/fc_s8.h"

void ec_fc_s8_dsp_w4(const ec_gemm_s8_params *p, const int8_t *a, int32_t rows,
                     int32_t a_stride, int8_t *out, int32_t out_row_stride, void *scratch);

#endif
