/*
 * Gather with indices read at run time, any element type (elem_size bytes),
 * along the middle dim of [outer, axis, inner]: out[o][j][i] =
 * in[o][idx[j]][i] for the `count` int32 or int64 indices; a negative index
 * counts from the end, one out of range gives zeros.
 */
#ifndef EDGEC_GATHER_ANY_H
#define EDGEC_GATHER_ANY_H

#include "edgec_rt.h"

typedef struct {
  int32_t outer, axis, inner, count;
  int32_t elem_size;
  int32_t idx_i64; /* 1: int64 indices, 0: int32 */
} ec_gather_any_params;

void ec_gather_any(const ec_gather_any_params *p, const void *indices, const void *in,
                   void *out);

#endif
