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

#define EC_ICMP(op, x, y)                                                      \
  ((op) == EC_ICMP_EQ ? (x) == (y)                                             \
   : (op) == EC_ICMP_LT ? (x) < (y)                                            \
   : (op) == EC_ICMP_LE ? (x) <= (y)                                           \
   : (op) == EC_ICMP_GT ? (x) > (y)                                            \
                        : (x) >= (y))

/* A function, so that unsigned instantiations do not compare < 0. */
static int is_neg(int64_t v) { return v < 0; }

/* Wrapping arithmetic through uint64_t, truncated to T; Div guards the
 * zero divisor and the one overflowing quotient (MIN / -1 of a signed T,
 * which wraps to MIN). */
#define EC_IBIN_DEFINE(SUF, T, SIGNED)                                               \
  static T ibin_##SUF(int32_t op, T x, T y) {                                  \
    switch (op) {                                                              \
    case EC_IBIN_ADD: return (T)((uint64_t)x + (uint64_t)y);                   \
    case EC_IBIN_SUB: return (T)((uint64_t)x - (uint64_t)y);                   \
    case EC_IBIN_MUL: return (T)((uint64_t)x * (uint64_t)y);                   \
    case EC_IBIN_DIV:                                                          \
      if (y == 0) return 0;                                                    \
      if (SIGNED && y == (T)-1)    return (T)(0u - (uint64_t)x);               \
      return (T)(x / y);                                                       \
    case EC_IBIN_MAX: return x > y ? x : y;                                    \
    case EC_IBIN_MIN: return x < y ? x : y;                                    \
    case EC_IBIN_MOD:                                                          \
    case EC_IBIN_FMOD: {                                                       \
      T r;                                                                     \
      if (y == 0 || (SIGNED && y == (T)-1)) return 0;                          \
      r = (T)(x % y);                                                          \
      if (op == EC_IBIN_MOD && r != 0 && is_neg((int64_t)r) != is_neg((int64_t)y))  \
        r = (T)((uint64_t)r + (uint64_t)y);                                    \
      return r;                                                                \
    }                                                                          \
    case EC_IBIN_SHL:                                                          \
      return (uint64_t)y >= sizeof(T) * 8u ? 0 : (T)((uint64_t)x << (uint64_t)y); \
    case EC_IBIN_SHR:                                                          \
      return (uint64_t)y >= sizeof(T) * 8u ? 0 : (T)((uint64_t)x >> (uint64_t)y); \
    case EC_IBIN_AND: return (T)((uint64_t)x & (uint64_t)y);                   \
    case EC_IBIN_OR: return (T)((uint64_t)x | (uint64_t)y);                    \
    case EC_IBIN_XOR: return (T)((uint64_t)x ^ (uint64_t)y);                   \
    default: return x;                                                         \
    }                                                                          \
  }                                                                            \
  void ec_binary_##SUF(const ec_binary_int_params *p, const T *a, const T *b, T *out) { \
    EC_IBIN_WALK(T, T, ibin_##SUF(p->op, x, y));                               \
  }                                                                            \
  void ec_compare_##SUF(const ec_binary_int_params *p, const T *a, const T *b,        \
                        uint8_t *out) {                                        \
    EC_IBIN_WALK(T, uint8_t, EC_ICMP(p->op, x, y));                            \
  }

EC_IBIN_DEFINE(i8, int8_t, 1)
EC_IBIN_DEFINE(u8, uint8_t, 0)
EC_IBIN_DEFINE(i16, int16_t, 1)
EC_IBIN_DEFINE(u16, uint16_t, 0)
EC_IBIN_DEFINE(i32, int32_t, 1)
EC_IBIN_DEFINE(u32, uint32_t, 0)
EC_IBIN_DEFINE(i64, int64_t, 1)

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
