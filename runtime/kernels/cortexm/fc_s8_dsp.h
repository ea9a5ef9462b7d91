/*
 * ec_gemm_s8 (kernels/reference/fc_s8.h) for Cortex-M cores with the DSP
 * extension: SMLAD on SXTB16 pairs, in assembly where __ARM_FEATURE_DSP is
 * defined and through dsp_q.h's plain-C emulation elsewhere (the host).
 * Bit-identical to ec_gemm_s8 on the same matrix. Reads p->wx when set and
 * requantizes with ec_requant_fast when p->fast is set.
 */
#ifndef EDGEC_FC_S8_DSP_H
#define EDGEC_FC_S8_DSP_H

#include "edgec_rt.h"
#include "kernels/reference/fc_s8.h"

/* The same result, 2x2 blocked with SMLAD on SXTB16 pairs (DSP extension;
 * plain-C emulation elsewhere). */
void ec_gemm_s8_dsp(const ec_gemm_s8_params *p, const int8_t *a, int32_t rows,
                    int32_t a_stride, int8_t *out, int32_t out_row_stride);

#endif
