/*
 * Integer and bool elementwise binary ops with numpy broadcasting (the
 * integer counterparts of binary_f32.h): out[i] = a op b over the
 * (coalesced) output dims, with the element strides of a and b per dim (0
 * along broadcast dims). out is contiguous.
 *
 *  ec_binary_<t>    Add, Sub, Mul (wrapping), Div (truncating; 0 for a zero
 *                   divisor), Min, Max, Mod (both signs), BitShift
 *                   (unsigned t), BitwiseAnd / Or / Xor / Not, for t in
 *                   i8, u8, i16, u16, i32, u32, i64;
 *  ec_compare_<t>   Equal, Less, ... -> uint8 0/1 (ONNX bool), the same
 *                   types and b8 (bool);
 *  ec_logical_b8                  And, Or, Xor on bool (uint8 0/1); Not is
 *                                 Xor with a broadcast 1.
 */
#ifndef EDGEC_BINARY_INT_H
#define EDGEC_BINARY_INT_H

#include "edgec_rt.h"

#define EC_IBIN_ADD 0
#define EC_IBIN_SUB 1
#define EC_IBIN_MUL 2
#define EC_IBIN_DIV 3
#define EC_IBIN_MAX 4
#define EC_IBIN_MIN 5
#define EC_IBIN_MOD 6  /* sign of the divisor (Python); x % 0 and x % -1 are 0 */
#define EC_IBIN_FMOD 7 /* sign of the dividend (C); x % 0 and x % -1 are 0 */
#define EC_IBIN_SHL 8  /* unsigned types; a shift >= the bit width gives 0 */
#define EC_IBIN_SHR 9
#define EC_IBIN_AND 10 /* bitwise, on the two's complement bits */
#define EC_IBIN_OR 11
#define EC_IBIN_XOR 12 /* BitwiseNot is Xor with a broadcast all-ones */

#define EC_ICMP_EQ 0
#define EC_ICMP_LT 1
#define EC_ICMP_LE 2
#define EC_ICMP_GT 3
#define EC_ICMP_GE 4

#define EC_LOGIC_AND 0
#define EC_LOGIC_OR 1
#define EC_LOGIC_XOR 2

#define EC_IBIN_MAX_RANK 8

typedef struct {
  int32_t op; /* EC_IBIN_*, EC_ICMP_* or EC_LOGIC_* */
  int32_t rank;
  int32_t dims[EC_IBIN_MAX_RANK];
  int32_t a_str[EC_IBIN_MAX_RANK], b_str[EC_IBIN_MAX_RANK];
} ec_binary_int_params;

#define EC_IBIN_DECLARE(SUF, T)                                                \
  void ec_binary_##SUF(const ec_binary_int_params *p, const T *a, const T *b, T *out); \
  void ec_compare_##SUF(const ec_binary_int_params *p, const T *a, const T *b,        \
                        uint8_t *out);
EC_IBIN_DECLARE(i8, int8_t)
EC_IBIN_DECLARE(u8, uint8_t)
EC_IBIN_DECLARE(i16, int16_t)
EC_IBIN_DECLARE(u16, uint16_t)
EC_IBIN_DECLARE(i32, int32_t)
EC_IBIN_DECLARE(u32, uint32_t)
EC_IBIN_DECLARE(i64, int64_t)
void ec_compare_b8(const ec_binary_int_params *p, const uint8_t *a, const uint8_t *b,
                   uint8_t *out);
void ec_logical_b8(const ec_binary_int_params *p, const uint8_t *a, const uint8_t *b,
                   uint8_t *out);

#endif
