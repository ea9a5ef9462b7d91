#include "requant_case.h"

void requant_case(ec_rng *r, int32_t cols, ec_requant_case *q) {
  const int32_t shifts = rng_range(r, 0, 5); /* how shifts are drawn in this layer */
  int32_t c;
  q->cols = cols;
  q->leaky = rng_chance(r, 1, 8);
  q->out_zp = rng_range(r, -128, 127);
  switch (rng_range(r, 0, 3)) {
  case 0: q->act_min = -128, q->act_max = 127; break;
  case 1: q->act_min = q->out_zp, q->act_max = 127; break; /* Relu */
  default:
    q->act_min = rng_range(r, -128, 127);
    q->act_max = rng_range(r, q->act_min, 127);
    break;
  }
  for (c = 0; c < cols; ++c) {
    q->mult[c] = rng_chance(r, 1, 10) ? rng_range(r, 0, 1 << 30) : rng_range(r, 1 << 30, INT32_MAX);
    switch (shifts) {
    case 0: q->shift[c] = (int8_t)rng_range(r, -31, -1); break;
    case 1: q->shift[c] = (int8_t)rng_range(r, -3, 3); break; /* left shifts: saturation */
    default: q->shift[c] = (int8_t)rng_range(r, -14, -4); break;
    }
    q->fast_shift[c] = (int8_t)-q->shift[c];
    q->mult_neg[c] = rng_range(r, 1 << 28, INT32_MAX);
    q->shift_neg[c] = (int8_t)rng_range(r, -14, 0);
  }
}

/* A bias of the given size class (0..4) for a channel whose weights'
 * absolute values sum to sum_abs. */
static int32_t random_bias(ec_rng *r, int32_t size, int64_t sum_abs) {
  const int64_t room = ((int64_t)1 << 31) - 1 - 256 * sum_abs;
  int64_t lim;
  switch (size) {
  case 0: lim = 0; break;
  case 1: lim = 2000; break;
  case 2: lim = 1 << 20; break;
  case 3: lim = ((int64_t)1 << 30) - 1 - 256 * sum_abs; break; /* still fast */
  default: lim = room; break;                                  /* saturates */
  }
  if (lim > room) lim = room;
  if (lim <= 0) return 0;
  return rng_range(r, (int32_t)-lim, (int32_t)lim);
}

int layer_biases(ec_rng *r, const ec_requant_case *q, const int8_t *w, int32_t depth,
                 int32_t in_zp, int32_t *raw, int32_t *folded) {
  /* one size class for most channels of the layer, any for a few */
  const int32_t size = rng_range(r, 0, 4);
  int ok = !q->leaky;
  int32_t c, k;
  for (c = 0; c < q->cols; ++c) {
    const int8_t *const wc = w + (size_t)c * (size_t)depth;
    int64_t sum = 0, sum_abs = 0, f, bound;
    for (k = 0; k < depth; ++k) {
      sum += wc[k];
      sum_abs += wc[k] < 0 ? -wc[k] : wc[k];
    }
    raw[c] = random_bias(r, rng_chance(r, 1, 16) ? rng_range(r, 0, 4) : size, sum_abs);
    f = (int64_t)raw[c] - (int64_t)in_zp * sum;
    folded[c] = (int32_t)f;
    bound = (raw[c] < 0 ? -(int64_t)raw[c] : raw[c]) + 256 * sum_abs;
    if ((f < 0 ? -f : f) + 128 * sum_abs > bound) bound = (f < 0 ? -f : f) + 128 * sum_abs;
    ok = ok && q->shift[c] <= -1 && q->shift[c] >= -31 && q->mult[c] >= 0 &&
         bound < ((int64_t)1 << 30);
  }
  return ok;
}

void requant_params(const ec_requant_case *q, int fast, ec_gemm_s8_params *p) {
  p->out_zp = q->out_zp;
  p->act_min = q->act_min;
  p->act_max = q->act_max;
  p->mult = q->mult;
  p->shift = fast ? q->fast_shift : q->shift;
  p->mult_neg = q->leaky ? q->mult_neg : 0;
  p->shift_neg = q->leaky ? q->shift_neg : 0;
  p->fast = fast;
}
