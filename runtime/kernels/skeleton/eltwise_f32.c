#include "eltwise_f32.h"

void ec_skel_eltwise_f32(const ec_skel_eltwise_params *p, const float *a, const float *b,
                         float *out) {
  int32_t i;
  for (i = 0; i < p->count; ++i) {
    float y;
    switch (p->op) {
    case EC_SKEL_ADD: y = a[i] + b[i]; break;
    case EC_SKEL_SUB: y = a[i] - b[i]; break;
    case EC_SKEL_MUL: y = a[i] * b[i]; break;
    default: y = a[i] > 0.0f ? a[i] : 0.0f; break;
    }
    if (p->relu) y = y > 0.0f ? y : 0.0f;
    out[i] = y;
  }
}
