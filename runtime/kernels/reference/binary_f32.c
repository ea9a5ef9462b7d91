#include "binary_f32.h"

#include "activation_f32.h"

#include <math.h>

static float bin_apply(int32_t op, float x, float y) {
  switch (op) {
  case EC_BIN_ADD: return x + y;
  case EC_BIN_SUB: return x - y;
  case EC_BIN_MUL: return x * y;
  case EC_BIN_DIV: return x / y;
  case EC_BIN_POW:
    if (y == 2.0f) return x * x;
    return powf(x, y);
  case EC_BIN_MAX: return (x > y || isnan(x)) ? x : y;
  case EC_BIN_MIN: return (x < y || isnan(x)) ? x : y;
  case EC_BIN_MOD: return fmodf(x, y);
  case EC_BIN_PRELU: return x < 0.0f ? y * x : x;
  default: return x;
  }
}

static uint8_t cmp_apply(int32_t op, float x, float y) {
  switch (op) {
  case EC_CMP_EQ: return x == y;
  case EC_CMP_LT: return x < y;
  case EC_CMP_LE: return x <= y;
  case EC_CMP_GT: return x > y;
  case EC_CMP_GE: return x >= y;
  default: return 0;
  }
}

/* Walks the output in order; calls the inner loop on the last dim. */
#define EC_BIN_WALK(INNER)                                                     \
  do {                                                                         \
    int32_t idx[EC_BIN_MAX_RANK];                                              \
    int32_t r = p->rank, d, i, outer = 1, o, last, as, bs;                     \
    int32_t ao = 0, bo = 0;                                                    \
    if (r == 0) {                                                              \
      last = 1; as = 0; bs = 0;                                                \
    } else {                                                                   \
      last = p->dims[r - 1]; as = p->a_str[r - 1]; bs = p->b_str[r - 1];       \
    }                                                                          \
    for (d = 0; d + 1 < r; ++d) { idx[d] = 0; outer *= p->dims[d]; }           \
    for (o = 0; o < outer; ++o) {                                              \
      const float *ap = a + ao, *bp = b + bo;                                  \
      dst = out + o * last;                                                    \
      for (i = 0; i < last; ++i) { INNER; }                                    \
      for (d = r - 2; d >= 0; --d) {                                           \
        ao += p->a_str[d]; bo += p->b_str[d];                                  \
        if (++idx[d] < p->dims[d]) break;                                      \
        ao -= p->a_str[d] * p->dims[d]; bo -= p->b_str[d] * p->dims[d];        \
        idx[d] = 0;                                                            \
      }                                                                        \
    }                                                                          \
  } while (0)

void ec_binary_f32(const ec_binary_f32_params *p, const float *a, const float *b,
                   float *out) {
  float *dst;
  const int32_t op = p->op;
  if (p->act.kind == EC_ACT_NONE) {
    if (op == EC_BIN_ADD)
      EC_BIN_WALK(dst[i] = ap[i * as] + bp[i * bs]);
    else if (op == EC_BIN_MUL)
      EC_BIN_WALK(dst[i] = ap[i * as] * bp[i * bs]);
    else
      EC_BIN_WALK(dst[i] = bin_apply(op, ap[i * as], bp[i * bs]));
  } else {
    EC_BIN_WALK(dst[i] = ec_activate_f32(bin_apply(op, ap[i * as], bp[i * bs]), &p->act));
  }
}

void ec_compare_f32(const ec_binary_f32_params *p, const float *a, const float *b,
                    uint8_t *out) {
  uint8_t *dst;
  const int32_t op = p->op;
  EC_BIN_WALK(dst[i] = cmp_apply(op, ap[i * as], bp[i * bs]));
}
