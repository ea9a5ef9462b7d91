#include "nll_loss_f32.h"

void ec_nll_loss_f32(const ec_nll_loss_f32_params *p, const float *logp, const void *target,
                     const float *weight, float *out) {
  double sum = 0.0, wsum = 0.0;
  int32_t b, k;
  for (b = 0; b < p->n; ++b)
    for (k = 0; k < p->inner; ++k) {
      const int32_t li = b * p->inner + k;
      const int64_t t = p->target_i64 ? ((const int64_t *)target)[li]
                                      : (int64_t)((const int32_t *)target)[li];
      double l = 0.0;
      if (!(p->has_ignore && t == p->ignore_index) && t >= 0 && t < p->c) {
        const double w = weight ? (double)weight[t] : 1.0;
        l = -(double)logp[(b * p->c + (int32_t)t) * p->inner + k] * w;
        wsum += w;
      }
      if (p->reduction == EC_LOSS_NONE) out[li] = (float)l;
      else sum += l;
    }
  if (p->reduction == EC_LOSS_SUM) out[0] = (float)sum;
  else if (p->reduction == EC_LOSS_MEAN) out[0] = (float)(sum / wsum);
}
