/*
 * Fills `bytes` bytes of out with copies of a `period`-byte pattern (the
 * last copy cut short): the output of an op fixed by static shapes (Shape,
 * Size, EyeLike: the whole tensor, ConstantOfShape: one element).
 */
#ifndef EDGEC_FILL_ANY_H
#define EDGEC_FILL_ANY_H

#include "edgec_rt.h"

typedef struct {
  int32_t bytes, period;
} ec_fill_any_params;

void ec_fill_any(const ec_fill_any_params *p, const void *pattern, void *out);

#endif
