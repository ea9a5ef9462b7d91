/*
 * ec_gemm_s8_dsp_paired: ec_gemm_s8 for int8 weights stored one byte each,
 * with the 16-bit weight pairs of a few column groups built at run time in
 * scratch (1x1 convolutions: the pairs are reused over every pixel).
 * Bit-identical to ec_gemm_s8 on the same matrix.
 */
#ifndef EDGEC_GEMM_S8_DSP_PAIRED_H
#define EDGEC_GEMM_S8_DSP_PAIRED_H

#include "edgec_rt.h"
#include "fc_s8_dsp.h"

/* Rows below which ec_gemm_s8_dsp_paired calls ec_gemm_s8_dsp (pairing a
 * column group costs about as much as running it over a few rows). */
#define EC_GEMM_PAIRED_MIN_ROWS 4

/* The same result for int8 weights stored one byte each (wx NULL): as many
 * groups of four columns as `scratch` holds at a time (one group of wx is
 * 8 * ceil(depth / 4) words, ec_pack_gemm_wx_words(4, depth) in
 * targets/mcu/lower/; 4-byte aligned) are paired at run time (SXTB16) and run over
 * every row by the pair-layout loop (the speed of wx at one byte per weight
 * when rows are many: 1x1 convolutions). With wx set, fewer than
 * EC_GEMM_PAIRED_MIN_ROWS rows or scratch below one group: ec_gemm_s8_dsp. */
void ec_gemm_s8_dsp_paired(const ec_gemm_s8_params *p, const int8_t *a, int32_t rows,
                           int32_t a_stride, int8_t *out, int32_t out_row_stride,
                           void *scratch, int32_t scratch_bytes);

#endif
