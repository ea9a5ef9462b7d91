#include "activation_f32.h"

void ec_activation_f32(const ec_act_params *act, const float *in, float *out,
                       size_t n) {
  size_t i;
  for (i = 0; i < n; ++i) out[i] = ec_activate_f32(in[i], act);
}

void ec_clip_f32(const float *in, const float *lo, const float *hi, float *out, size_t n) {
  const float l = lo ? *lo : -INFINITY;
  const float h = hi ? *hi : INFINITY;
  size_t i;
  for (i = 0; i < n; ++i) {
    float y = in[i] < l ? l : in[i]; /* min(max(x, lo), hi): hi wins when lo > hi */
    out[i] = y > h ? h : y;
  }
}
