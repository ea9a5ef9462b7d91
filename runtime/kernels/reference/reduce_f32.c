#include "reduce_f32.h"

#include <math.h>

void ec_reduce_f32(const ec_reduce_f32_params *p, const float *in, float *out) {
  int32_t ki[8], ri[8];
  int32_t nk = 1, nr = 1, d, o, j;
  for (d = 0; d < p->keep_rank; ++d) {
    nk *= p->keep_dims[d];
    ki[d] = 0;
  }
  for (d = 0; d < p->red_rank; ++d) nr *= p->red_dims[d];
  for (o = 0; o < nk; ++o) {
    int32_t base = 0;
    float acc, mx = -INFINITY;
    for (d = 0; d < p->keep_rank; ++d) base += ki[d] * p->keep_str[d];
    if (p->op == EC_RED_MAX) acc = -INFINITY;
    else if (p->op == EC_RED_MIN) acc = INFINITY;
    else if (p->op == EC_RED_PROD) acc = 1.0f;
    else acc = 0.0f;
    if (p->op == EC_RED_LOG_SUM_EXP) {
      int32_t off = base;
      for (d = 0; d < p->red_rank; ++d) ri[d] = 0;
      for (j = 0; j < nr; ++j) {
        if (in[off] > mx) mx = in[off];
        for (d = p->red_rank - 1; d >= 0; --d) {
          off += p->red_str[d];
          if (++ri[d] < p->red_dims[d]) break;
          off -= p->red_str[d] * p->red_dims[d];
          ri[d] = 0;
        }
      }
      if (isinf(mx)) mx = 0.0f;
    }
    {
      int32_t off = base;
      for (d = 0; d < p->red_rank; ++d) ri[d] = 0;
      for (j = 0; j < nr; ++j) {
        float v = in[off];
        switch (p->op) {
        case EC_RED_MAX: if (v > acc || isnan(v)) acc = v; break;
        case EC_RED_MIN: if (v < acc || isnan(v)) acc = v; break;
        case EC_RED_PROD: acc *= v; break;
        case EC_RED_L1: acc += fabsf(v); break;
        case EC_RED_L2:
        case EC_RED_SUM_SQUARE: acc += v * v; break;
        case EC_RED_LOG_SUM_EXP: acc += expf(v - mx); break;
        default: acc += v; break;
        }
        for (d = p->red_rank - 1; d >= 0; --d) {
          off += p->red_str[d];
          if (++ri[d] < p->red_dims[d]) break;
          off -= p->red_str[d] * p->red_dims[d];
          ri[d] = 0;
        }
      }
    }
    if (p->op == EC_RED_MEAN) acc /= (float)nr;
    else if (p->op == EC_RED_L2) acc = sqrtf(acc);
    else if (p->op == EC_RED_LOG_SUM) acc = logf(acc);
    else if (p->op == EC_RED_LOG_SUM_EXP) acc = logf(acc) + mx;
    out[o] = acc;
    for (d = p->keep_rank - 1; d >= 0; --d) {
      if (++ki[d] < p->keep_dims[d]) break;
      ki[d] = 0;
    }
  }
}
