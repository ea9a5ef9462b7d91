/*
 * The weight layouts that the Cortex-M DSP int8 kernels
 * (runtime/kernels/cortexm/) read, packed at compile time. Plain C99 so
 * that the lowering (LowerConvS8.cpp) and the kernels' bit-exactness test
 * (test/runtime/kernels/) run this very code.
 */
#ifndef EDGEC_MCU_DSP_WEIGHT_PACKING_H
#define EDGEC_MCU_DSP_WEIGHT_PACKING_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Words of ec_gemm_s8_params.wx for a [cols][depth] matrix. */
size_t ec_pack_gemm_wx_words(int32_t cols, int32_t depth);

/* ec_gemm_s8_params.wx from w [cols][depth]: [ceil(cols / 4)][ceil(depth /
 * 4)][4][2] words; for channel 4i + r and k 4j..4j+3 the pair words
 * (w[k] | w[k + 2] << 16, w[k + 1] | w[k + 3] << 16), each half the
 * sign-extended weight, zero past cols and depth. */
void ec_pack_gemm_wx(const int8_t *w, int32_t cols, int32_t depth, int32_t *wx);

/* ec_fc_s8_dsp_w4's p->w from w [cols][depth] (both multiples of 4): still
 * one byte per weight, [cols / 4][depth / 4][4][4], column 4i + j and k
 * 4l..4l+3 at ((i * depth / 4 + l) * 4 + j) * 4. */
void ec_pack_fc_w4(const int8_t *w, int32_t cols, int32_t depth, int8_t *out);

/* Words of ec_conv_s8_params.dw_w for `channels` channels of `taps` taps. */
size_t ec_pack_dw_w_words(int32_t channels, int32_t taps);

/* ec_conv_s8_params.dw_w from w [channels][taps]: for each full group of
 * four channels 4j..4j+3 and each tap, the pair words (w[4j] | w[4j + 2] <<
 * 16, w[4j + 1] | w[4j + 3] << 16); [channels / 4][taps][2] words. */
void ec_pack_dw_w(const int8_t *w, int32_t channels, int32_t taps, int32_t *dw_w);

/* ec_dwconv_s8_dsp's g.w: w [channels][taps] transposed to [taps][channels]
 * (channels-last, as the input). */
void ec_pack_dw_taps_major(const int8_t *w, int32_t channels, int32_t taps, int8_t *out);

#ifdef __cplusplus
}
#endif

#endif
