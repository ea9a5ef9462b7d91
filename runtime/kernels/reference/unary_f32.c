#include "unary_f32.h"

#include <math.h>

static float round_even(float x) {
  float r = floorf(x + 0.5f);
  if (r - x == 0.5f && fmodf(r, 2.0f) != 0.0f) r -= 1.0f;
  return r;
}

static float softplus(float x) {
  if (x > 20.0f) return x;
  return log1pf(expf(x));
}

static float unary_apply(const ec_unary_f32_params *p, float x) {
  switch (p->op) {
  case EC_UN_EXP: return expf(x);
  case EC_UN_LOG: return logf(x);
  case EC_UN_SQRT: return sqrtf(x);
  case EC_UN_ABS: return fabsf(x);
  case EC_UN_NEG: return -x;
  case EC_UN_RECIPROCAL: return 1.0f / x;
  case EC_UN_FLOOR: return floorf(x);
  case EC_UN_CEIL: return ceilf(x);
  case EC_UN_ROUND: return round_even(x);
  case EC_UN_ERF: return erff(x);
  case EC_UN_SIN: return sinf(x);
  case EC_UN_COS: return cosf(x);
  case EC_UN_SOFTPLUS: return softplus(x);
  case EC_UN_ELU: return x < 0.0f ? p->alpha * (expf(x) - 1.0f) : x;
  case EC_UN_SELU:
    return x <= 0.0f ? p->gamma * (p->alpha * expf(x) - p->alpha) : p->gamma * x;
  case EC_UN_CELU: {
    float e = p->alpha * (expf(x / p->alpha) - 1.0f);
    return (x > 0.0f ? x : 0.0f) + (e < 0.0f ? e : 0.0f);
  }
  case EC_UN_GELU: return 0.5f * x * (1.0f + erff(x * 0.70710678118654752f));
  case EC_UN_GELU_TANH:
    return 0.5f * x *
           (1.0f + tanhf(0.79788456080286536f * (x + 0.044715f * x * x * x)));
  case EC_UN_MISH: return x * tanhf(softplus(x));
  case EC_UN_SWISH: return x / (1.0f + expf(-p->alpha * x));
  case EC_UN_SOFTSIGN: return x / (1.0f + fabsf(x));
  case EC_UN_THRESHOLDED_RELU: return x > p->alpha ? x : 0.0f;
  case EC_UN_SIGN: return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : x);
  case EC_UN_TAN: return tanf(x);
  case EC_UN_ATAN: return atanf(x);
  case EC_UN_ASIN: return asinf(x);
  case EC_UN_ACOS: return acosf(x);
  case EC_UN_SINH: return sinhf(x);
  case EC_UN_COSH: return coshf(x);
  case EC_UN_ASINH: return asinhf(x);
  case EC_UN_ACOSH: return acoshf(x);
  case EC_UN_ATANH: return atanhf(x);
  case EC_UN_AFFINE: return p->alpha * x + p->gamma;
  default: return x;
  }
}

void ec_unary_f32(const ec_unary_f32_params *p, const float *in, float *out,
                  size_t n) {
  size_t i;
  for (i = 0; i < n; ++i) out[i] = unary_apply(p, in[i]);
}
