#include "binary_int.h"

/* Walks the output in order: out[o] = EXPR(a[ao], b[bo]) with the operand
 * offsets following the broadcast strides. */
#define EC_IBIN_WALK(TA, TO, EXPR)                                             \
  do {                                                                         \
    int32_t idx[EC_IBIN_MAX_RANK];                                             \
    int32_t d, total = 1, o, ao = 0, bo = 0;                                   \
    for (d = 0; d < p->rank; ++d) { idx[d] = 0; total *= p->dims[d]; }        \
    for (o = 0; o < total; ++o) {                                              \
      const TA x = a[ao], y = b[bo];                                           \
      out[o] = (TO)(EXPR);                                                     \
      for (d = p->rank - 1; d >= 0; --d) {                                     \
        ao += p->a_str[d]; bo += p->b_str[d];                                  \
        if (++idx[d] < p->dims[d]) break;                                      \
        ao -= p->a_str[d] * p->dims[d]; bo -= p->b_str[d] * p->dims[d];        \
        idx[d] = 0;                                                            \
      }                                                                        \
    }                                                                          \
  } while (0)

/* Wrapping arithmetic through the unsigned type of the same width. */
static int32_t ibin_i32(int32_t op, int32_t x, int32_t y) {
  switch (op) {
  case EC_IBIN_ADD: return (int32_t)((uint32_t)x + (uint32_t)y);
  case EC_IBIN_SUB: return (int32_t)((uint32_t)x - (uint32_t)y);
  case EC_IBIN_MUL: return (int32_t)((uint32_t)x * (uint32_t)y);
  case EC_IBIN_DIV: return y == 0 || (y == -1 && x == INT32_MIN) ? 0 : x / y;
  case EC_IBIN_MAX: return x > y ? x : y;
  case EC_IBIN_MIN: return x < y ? x : y;
  default: return x;
  }
}

static int64_t ibin_i64(int32_t op, int64_t x, int64_t y) {
  switch (op) {
  case EC_IBIN_ADD: return (int64_t)((uint64_t)x + (uint64_t)y);
  case EC_IBIN_SUB: return (int64_t)((uint64_t)x - (uint64_t)y);
  case EC_IBIN_MUL: return (int64_t)((uint64_t)x * (uint64_t)y);
  case EC_IBIN_DIV: return y == 0 || (y == -1 && x == INT64_MIN) ? 0 : x / y;
  case EC_IBIN_MAX: return x > y ? x : y;
  case EC_IBIN_MIN: return x < y ? x : y;
  default: return x;
  }
}

#define EC_ICMP(op, x, y)                                                      \
  ((op) == EC_ICMP_EQ ? (x) == (y)                                             \
   : (op) == EC_ICMP_LT ? (x) < (y)                                            \
   : (op) == EC_ICMP_LE ? (x) <= (y)                                           \
   : (op) == EC_ICMP_GT ? (x) > (y)                                            \
                        : (x) >= (y))

void ec_binary_i32(const ec_binary_int_params *p, const int32_t *a, const int32_t *b,
                   int32_t *out) {
  EC_IBIN_WALK(int32_t, int32_t, ibin_i32(p->op, x, y));
}

void ec_binary_i64(const ec_binary_int_params *p, const int64_t *a, const int64_t *b,
                   int64_t *out) {
  EC_IBIN_WALK(int64_t, int64_t, ibin_i64(p->op, x, y));
}

void ec_compare_i32(const ec_binary_int_params *p, const int32_t *a, const int32_t *b,
                    uint8_t *out) {
  EC_IBIN_WALK(int32_t, uint8_t, EC_ICMP(p->op, x, y));
}

void ec_compare_i64(const ec_binary_int_params *p, const int64_t *a, const int64_t *b,
                    uint8_t *out) {
  EC_IBIN_WALK(int64_t, uint8_t, EC_ICMP(p->op, x, y));
}

void ec_compare_b8(const ec_binary_int_params *p, const uint8_t *a, const uint8_t *b,
                   uint8_t *out) {
  EC_IBIN_WALK(uint8_t, uint8_t, EC_ICMP(p->op, x != 0, y != 0));
}

void ec_logical_b8(const ec_binary_int_params *p, const uint8_t *a, const uint8_t *b,
                   uint8_t *out) {
  const int32_t op = p->op;
  EC_IBIN_WALK(uint8_t, uint8_t,
               op == EC_LOGIC_AND ? (x && y) : op == EC_LOGIC_OR ? (x || y) : ((x != 0) != (y != 0)));
}
