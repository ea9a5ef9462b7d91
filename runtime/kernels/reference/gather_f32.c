#include "gather_f32.h"

#include <string.h>

void ec_gather_f32(const ec_gather_f32_params *p, const int32_t *indices,
                   const float *in, float *out) {
  int32_t o, j;
  for (o = 0; o < p->outer; ++o)
    for (j = 0; j < p->count; ++j)
      memcpy(out + (o * p->count + j) * p->inner,
             in + (o * p->axis + indices[j]) * p->inner,
             (size_t)p->inner * sizeof(float));
}
