/*
 * ec_gemm_s8_wx: the matrix product on weights pre-expanded into 16-bit
 * pairs (ec_gemm_s8_params.wx layout), shared by fc_s8_dsp.c (weights
 * packed by the compiler) and gemm_s8_dsp_paired.c (pairs built at run
 * time), so that each of those kernel files stands alone: a package copies
 * only the kernel files it calls.
 */
#ifndef EDGEC_GEMM_S8_WX_H
#define EDGEC_GEMM_S8_WX_H

#include "edgec_rt.h"
#include "kernels/reference/fc_s8.h"

/* The product on the pre-expanded weights: one row, four columns per pass,
 * SMLAD on SXTB16 pairs of the row (1 load, 2 SXTB16, 4 LDRD, 8 SMLAD per
 * four k steps). */
void ec_gemm_s8_wx(const ec_gemm_s8_params *p, const ec_requant_s8 *q,
                   const int8_t *a, int32_t rows, int32_t a_stride, int8_t *out,
                   int32_t out_row_stride);

#endif
