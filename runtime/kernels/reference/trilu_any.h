/*
 * ONNX Trilu on any element type: each of `mats` [rows, cols] matrices keeps
 * its upper (j - i >= k) or lower (j - i <= k) triangle and zeroes the
 * rest; elements of `size` bytes. k is read at run time (int64 scalar; NULL
 * means 0). out does not overlap in.
 */
#ifndef EDGEC_TRILU_ANY_H
#define EDGEC_TRILU_ANY_H

#include "edgec_rt.h"

typedef struct {
  int32_t mats, rows, cols;
  int32_t size;  /* bytes per element */
  int32_t upper; /* 1: upper triangle, 0: lower */
} ec_trilu_params;

void ec_trilu(const ec_trilu_params *p, const void *in, const int64_t *k, void *out);

#endif
