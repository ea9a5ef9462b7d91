/*
 * Float Pad (ONNX modes constant, edge, reflect, wrap) of a contiguous
 * tensor of rank <= 8 into a contiguous output.
 */
#ifndef EDGEC_PAD_F32_H
#define EDGEC_PAD_F32_H

#include "edgec_rt.h"

#define EC_PAD_CONSTANT 0
#define EC_PAD_EDGE 1
#define EC_PAD_REFLECT 2
#define EC_PAD_WRAP 3

typedef struct {
  int32_t mode, rank;
  int32_t in_dims[8], out_dims[8], pad_begin[8], in_str[8];
  float value;
} ec_pad_f32_params;

void ec_pad_f32(const ec_pad_f32_params *p, const float *in, float *out);

#endif
