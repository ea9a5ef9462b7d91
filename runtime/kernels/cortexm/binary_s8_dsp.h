/*
 * ec_binary_s8 (kernels/reference/binary_s8.h) for Cortex-M cores with the
 * DSP extension: Add / Sub of same-shaped tensors whose output rescaling
 * the compiler proved fit for SMMULR (fast_out) take one SMMULR and a
 * rounding shift per element (dsp_q.h: instructions where
 * __ARM_FEATURE_DSP is defined, plain C elsewhere); everything else is
 * ec_binary_s8. Bit-identical to ec_binary_s8.
 *
 * tab_scratch (1024 words, 4-byte aligned, or NULL): where p->tab_a /
 * tab_b are NULL, the two 256-entry rescaling tables are built there at
 * run time from a_zp, b_zp, left_shift, m1, s1, m2, s2 (the arithmetic of
 * ec_binary_s8 itself), so that they need no flash.
 */
#ifndef EDGEC_BINARY_S8_DSP_H
#define EDGEC_BINARY_S8_DSP_H

#include "edgec_rt.h"
#include "kernels/reference/binary_s8.h"

void ec_binary_s8_dsp(const ec_binary_s8_params *p, const int8_t *a, const int8_t *b,
                      int8_t *out, int32_t *tab_scratch);

#endif
