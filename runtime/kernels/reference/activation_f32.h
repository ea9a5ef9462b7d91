/*
 * Float activations (Relu, Clip, LeakyRelu, HardSigmoid, HardSwish, Sigmoid,
 * Tanh) with ONNX semantics: as a standalone elementwise kernel and as the
 * inline helper other float kernels apply to fused activations.
 */
#ifndef EDGEC_ACTIVATION_F32_H
#define EDGEC_ACTIVATION_F32_H

#include "edgec_rt.h"

#include <math.h>

EC_INLINE float ec_activate_f32(float x, const ec_act_params *a) {
  switch (a->kind) {
  case EC_ACT_RELU: return x > 0.0f ? x : 0.0f;
  case EC_ACT_CLIP: { /* min(max(x, lo), hi): hi wins when lo > hi */
    float y = x < a->lo ? a->lo : x;
    return y > a->hi ? a->hi : y;
  }
  case EC_ACT_LEAKY_RELU: return x < 0.0f ? a->alpha * x : x;
  case EC_ACT_HARD_SIGMOID: {
    float y = a->alpha * x + a->beta;
    return y < 0.0f ? 0.0f : (y > 1.0f ? 1.0f : y);
  }
  case EC_ACT_HARD_SWISH: {
    float y = x * (1.0f / 6.0f) + 0.5f;
    y = y < 0.0f ? 0.0f : (y > 1.0f ? 1.0f : y);
    return x * y;
  }
  case EC_ACT_SIGMOID: return 1.0f / (1.0f + expf(-x));
  case EC_ACT_TANH: return tanhf(x);
  default: return x;
  }
}

/* out[i] = act(in[i]) for i < n; out may equal in. */
void ec_activation_f32(const ec_act_params *act, const float *in, float *out,
                       size_t n);

/* Clip with bounds computed at run time: lo / hi point to one value each
 * (NULL: no bound). out may equal in. */
void ec_clip_f32(const float *in, const float *lo, const float *hi, float *out, size_t n);

#endif
