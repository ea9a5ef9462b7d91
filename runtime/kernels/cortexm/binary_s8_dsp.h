/*
 * ec_binary_s8 (kernels/reference/binary_s8.h) for Cortex-M cores with the
 * DSP extension: Add / Sub of same-shaped tensors whose output rescaling
 * the compiler proved fit for SMMULR (fast_out) take one SMMULR and a
 * rounding shift per element (dsp_q.h: instructions where
 * __ARM_FEATURE_DSP is defined, plain C elsewhere); everything else is
 * ec_binary_s8. Bit-identical to ec_binary_s8.
 */
#ifndef EDGEC_BINARY_S8_DSP_H
#define EDGEC_BINARY_S8_DSP_H

#include "edgec_rt.h"
#include "kernels/reference/binary_s8.h"

void ec_binary_s8_dsp(const ec_binary_s8_params *p, const int8_t *a, const int8_t *b,
                      int8_t *out);

#endif
