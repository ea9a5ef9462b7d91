/*
 * Float reductions (ONNX ReduceSum/Mean/Max/Min/Prod/L1/L2/SumSquare/
 * LogSum/LogSumExp) over axes known at compile time
 * (reduce_axes_f32.h: read at run time). The compiler splits the input dims
 * into kept dims (in output order) and reduced dims, each with the input's
 * element strides; the output is contiguous over the kept dims.
 */
#ifndef EDGEC_REDUCE_F32_H
#define EDGEC_REDUCE_F32_H

#include "edgec_rt.h"

#define EC_RED_SUM 0
#define EC_RED_MEAN 1
#define EC_RED_MAX 2
#define EC_RED_MIN 3
#define EC_RED_PROD 4
#define EC_RED_L1 5
#define EC_RED_L2 6
#define EC_RED_SUM_SQUARE 7
#define EC_RED_LOG_SUM 8
#define EC_RED_LOG_SUM_EXP 9

typedef struct {
  int32_t op;
  int32_t keep_rank, red_rank;
  int32_t keep_dims[8], keep_str[8];
  int32_t red_dims[8], red_str[8];
} ec_reduce_f32_params;

void ec_reduce_f32(const ec_reduce_f32_params *p, const float *in, float *out);

#endif
