/*
 * The skeleton target's one kernel (targets/skeleton/, a back end to copy):
 * float elementwise Add, Sub, Mul and Relu on equally shaped operands, with
 * an optional Relu on the result. It stands for the code a new back end
 * brings for the nodes it runs; every other node of the model runs on the
 * fallback target's (mcu) kernels in the same package.
 */
#ifndef EDGEC_SKELETON_ELTWISE_F32_H
#define EDGEC_SKELETON_ELTWISE_F32_H

#include "edgec_rt.h"

#define EC_SKEL_ADD 0
#define EC_SKEL_SUB 1
#define EC_SKEL_MUL 2
#define EC_SKEL_RELU 3 /* out = max(a, 0); b is not read */

typedef struct {
  int32_t op;    /* EC_SKEL_* */
  int32_t count; /* elements */
  int32_t relu;  /* 1: max(result, 0) */
} ec_skel_eltwise_params;

/* out[i] = a[i] op b[i] (then max(.., 0) with relu); out may equal a or b. */
void ec_skel_eltwise_f32(const ec_skel_eltwise_params *p, const float *a, const float *b,
                         float *out);

#endif
