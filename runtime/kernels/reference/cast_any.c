#include "cast_any.h"

#include <string.h>

/* --- 16-bit floats ------------------------------------------------------ */

static float bits_to_float(uint32_t b) {
  float f;
  memcpy(&f, &b, 4);
  return f;
}

static uint32_t float_to_bits(float f) {
  uint32_t b;
  memcpy(&b, &f, 4);
  return b;
}

static float half_to_float(uint16_t h) {
  uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
  uint32_t e = (uint32_t)(h >> 10) & 0x1Fu, m = h & 0x3FFu;
  if (e == 0) {
    int32_t k = -1;
    if (m == 0) return bits_to_float(sign);
    do { /* subnormal: normalise */
      ++k;
      m <<= 1;
    } while ((m & 0x400u) == 0);
    return bits_to_float(sign | (uint32_t)(127 - 15 - k) << 23 | (m & 0x3FFu) << 13);
  }
  if (e == 31) return bits_to_float(sign | 0x7F800000u | m << 13);
  return bits_to_float(sign | (e + 127 - 15) << 23 | m << 13);
}

static uint16_t float_to_half(float f) {
  uint32_t x = float_to_bits(f);
  uint32_t sign = (x >> 16) & 0x8000u, a = x & 0x7FFFFFFFu;
  uint32_t h, rest;
  if (a > 0x7F800000u) return (uint16_t)(sign | 0x7E00u);   /* NaN */
  if (a >= 0x47800000u) return (uint16_t)(sign | 0x7C00u);  /* to inf */
  if (a < 0x38800000u) { /* half subnormal or zero: units of 2^-24 */
    float scaled = bits_to_float(a) * 16777216.0f, r;
    uint32_t q = (uint32_t)scaled;
    r = scaled - (float)q;
    if (r > 0.5f || (r == 0.5f && (q & 1u))) ++q;
    return (uint16_t)(sign | q);
  }
  h = ((a >> 23) - 127 + 15) << 10 | (a & 0x7FFFFFu) >> 13;
  rest = a & 0x1FFFu;
  if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) ++h; /* carry ok */
  return (uint16_t)(sign | h);
}

static uint16_t float_to_bf16(float f) {
  uint32_t x = float_to_bits(f);
  if ((x & 0x7FFFFFFFu) > 0x7F800000u) return (uint16_t)((x >> 16) | 0x40u);
  x += 0x7FFFu + ((x >> 16) & 1u);
  return (uint16_t)(x >> 16);
}

/* --- 8- and 4-bit floats (lib/support/MiniFloat.cpp's rules) ------------ */

typedef struct {
  int32_t ebits, mbits, bias;
  int32_t fnuz;    /* one NaN at the sign-bit code, no -0, no infinity */
  int32_t has_inf; /* IEEE-like infinities and NaNs at the top exponent */
  int32_t no_nan;  /* e2m1: every code is finite */
  uint8_t max_code, nan_code, inf_code;
} mini_format;

static const mini_format k_mini[5] = {
    {4, 3, 7, 0, 0, 0, 0x7E, 0x7F, 0},     /* e4m3fn */
    {4, 3, 8, 1, 0, 0, 0x7F, 0x80, 0},     /* e4m3fnuz */
    {5, 2, 15, 0, 1, 0, 0x7B, 0x7E, 0x7C}, /* e5m2 */
    {5, 2, 16, 1, 0, 0, 0x7F, 0x80, 0},    /* e5m2fnuz */
    {2, 1, 1, 0, 0, 1, 0x07, 0x08, 0}};    /* e2m1 */

static int is_mini(int32_t t) { return t >= EC_CAST_F8E4M3FN && t <= EC_CAST_F4E2M1; }

static float pow2(int32_t k) {
  float v = 1.0f;
  for (; k > 0; --k) v *= 2.0f;
  for (; k < 0; ++k) v *= 0.5f;
  return v;
}

/* Value of a non-negative finite code (no sign, NaN or infinity). */
static float mini_magnitude(uint32_t code, const mini_format *f) {
  uint32_t e = (code >> f->mbits) & ((1u << f->ebits) - 1u);
  uint32_t m = code & ((1u << f->mbits) - 1u);
  float frac = (float)m / (float)(1u << f->mbits);
  if (e == 0) return frac * pow2(1 - f->bias);
  return (1.0f + frac) * pow2((int32_t)e - f->bias);
}

static float mini_to_float(uint8_t code, const mini_format *f) {
  const int32_t bits = 1 + f->ebits + f->mbits;
  const uint32_t sign_bit = 1u << (bits - 1);
  const uint32_t emax = (1u << f->ebits) - 1u, mmax = (1u << f->mbits) - 1u;
  uint32_t c = code & ((1u << bits) - 1u), e = (c & ~sign_bit) >> f->mbits;
  uint32_t m = c & mmax;
  float v;
  if (f->fnuz && c == sign_bit) return bits_to_float(0x7FC00000u);
  if (f->has_inf && e == emax)
    return m ? bits_to_float(0x7FC00000u)
             : bits_to_float((c & sign_bit) ? 0xFF800000u : 0x7F800000u);
  if (!f->fnuz && !f->has_inf && !f->no_nan && e == emax && m == mmax)
    return bits_to_float(0x7FC00000u);
  v = mini_magnitude(c & ~sign_bit, f);
  return (c & sign_bit) ? -v : v;
}

static uint8_t float_to_mini(float v, const mini_format *f, int32_t saturate) {
  const uint32_t sign_bit = 1u << (f->ebits + f->mbits);
  const uint32_t x = float_to_bits(v);
  const int neg = (x >> 31) != 0;
  const uint8_t over_sign = (uint8_t)(neg ? sign_bit : 0);
  const uint8_t sign = (uint8_t)(neg && !f->fnuz ? sign_bit : 0);
  const float a = bits_to_float(x & 0x7FFFFFFFu);
  const float max_finite = mini_magnitude(f->max_code, f);
  const float ulp_top = max_finite - mini_magnitude(f->max_code - 1u, f);
  const int clamp = saturate || f->no_nan;
  uint32_t lo = 0, hi = f->max_code, code;
  if ((x & 0x7FFFFFFFu) > 0x7F800000u) return f->no_nan ? (uint8_t)sign_bit : f->nan_code;
  if (a > max_finite) { /* infinities included */
    if (!clamp && (x & 0x7FFFFFFFu) != 0x7F800000u && a < max_finite + ulp_top / 2)
      return (uint8_t)(sign | f->max_code);
    if (clamp) return (uint8_t)(over_sign | f->max_code);
    return f->has_inf ? (uint8_t)(over_sign | f->inf_code) : f->nan_code;
  }
  while (lo < hi) { /* first code whose value is >= a */
    uint32_t mid = (lo + hi) / 2;
    if (mini_magnitude(mid, f) < a) lo = mid + 1;
    else hi = mid;
  }
  code = lo;
  if (code > 0 && mini_magnitude(code, f) != a) {
    const float dlo = a - mini_magnitude(code - 1u, f);
    const float dhi = mini_magnitude(code, f) - a;
    if (dlo < dhi || (dlo == dhi && ((code - 1u) & 1u) == 0)) code -= 1u;
  }
  if (code == 0 && f->fnuz) return 0; /* no negative zero */
  return (uint8_t)(sign | code);
}

/* --- elements ----------------------------------------------------------- */

static int is_float(int32_t t) {
  return t == EC_CAST_F32 || t == EC_CAST_F16 || t == EC_CAST_BF16 || is_mini(t);
}

static float read_f(int32_t t, const void *in, int32_t i) {
  switch (t) {
  case EC_CAST_F16: return half_to_float(((const uint16_t *)in)[i]);
  case EC_CAST_BF16: return bits_to_float((uint32_t)((const uint16_t *)in)[i] << 16);
  case EC_CAST_F32: return ((const float *)in)[i];
  default: return mini_to_float(((const uint8_t *)in)[i], &k_mini[t - EC_CAST_F8E4M3FN]);
  }
}

/* Low `bits` bits of v, sign-extended when is_signed. */
static int64_t wrap_bits(int64_t v, int32_t bits, int is_signed) {
  const uint64_t mask = ((uint64_t)1 << bits) - 1u;
  uint64_t u = (uint64_t)v & mask;
  if (is_signed && ((u >> (bits - 1)) & 1u)) u |= ~mask;
  return (int64_t)u;
}

static int64_t read_i(int32_t t, const void *in, int32_t i) {
  switch (t) {
  case EC_CAST_I8: return ((const int8_t *)in)[i];
  case EC_CAST_U8: return ((const uint8_t *)in)[i];
  case EC_CAST_BOOL: return ((const uint8_t *)in)[i] != 0;
  case EC_CAST_I16: return ((const int16_t *)in)[i];
  case EC_CAST_U16: return ((const uint16_t *)in)[i];
  case EC_CAST_I32: return ((const int32_t *)in)[i];
  case EC_CAST_U32: return ((const uint32_t *)in)[i];
  case EC_CAST_I4: return wrap_bits(((const uint8_t *)in)[i], 4, 1);
  case EC_CAST_U4: return wrap_bits(((const uint8_t *)in)[i], 4, 0);
  case EC_CAST_I2: return wrap_bits(((const uint8_t *)in)[i], 2, 1);
  case EC_CAST_U2: return wrap_bits(((const uint8_t *)in)[i], 2, 0);
  default: return ((const int64_t *)in)[i];
  }
}

static void write_i(int32_t t, void *out, int32_t i, int64_t v) {
  switch (t) {
  case EC_CAST_I8: ((int8_t *)out)[i] = (int8_t)v; break;
  case EC_CAST_U8: ((uint8_t *)out)[i] = (uint8_t)v; break;
  case EC_CAST_BOOL: ((uint8_t *)out)[i] = (uint8_t)(v != 0); break;
  case EC_CAST_I16: ((int16_t *)out)[i] = (int16_t)v; break;
  case EC_CAST_U16: ((uint16_t *)out)[i] = (uint16_t)v; break;
  case EC_CAST_I32: ((int32_t *)out)[i] = (int32_t)v; break;
  case EC_CAST_U32: ((uint32_t *)out)[i] = (uint32_t)v; break;
  case EC_CAST_I4: ((uint8_t *)out)[i] = (uint8_t)wrap_bits(v, 4, 1); break;
  case EC_CAST_U4: ((uint8_t *)out)[i] = (uint8_t)wrap_bits(v, 4, 0); break;
  case EC_CAST_I2: ((uint8_t *)out)[i] = (uint8_t)wrap_bits(v, 2, 1); break;
  case EC_CAST_U2: ((uint8_t *)out)[i] = (uint8_t)wrap_bits(v, 2, 0); break;
  default: ((int64_t *)out)[i] = v; break;
  }
}

static int is_sub_byte(int32_t t) { return t >= EC_CAST_I4 && t <= EC_CAST_U2; }

/* Float to integer: truncate toward zero, NaN -> 0; standard integers clamp
 * to their range, the sub-byte ones wrap (write_i keeps the low bits). */
static int64_t float_to_int(int32_t t, float v) {
  int64_t lo = INT64_MIN, hi = INT64_MAX, r;
  if (v != v) return 0;
  if (!is_sub_byte(t)) {
    switch (t) {
    case EC_CAST_I8: lo = INT8_MIN; hi = INT8_MAX; break;
    case EC_CAST_U8: lo = 0; hi = UINT8_MAX; break;
    case EC_CAST_I16: lo = INT16_MIN; hi = INT16_MAX; break;
    case EC_CAST_U16: lo = 0; hi = UINT16_MAX; break;
    case EC_CAST_I32: lo = INT32_MIN; hi = INT32_MAX; break;
    case EC_CAST_U32: lo = 0; hi = UINT32_MAX; break;
    default: break;
    }
    if (v <= (float)lo) return lo;
    if (v >= (float)hi) return hi;
    return (int64_t)v;
  }
  if (v <= -9.2e18f) return INT64_MIN; /* low bits are zero either way */
  if (v >= 9.2e18f) return INT64_MAX - 15; /* (low 4 bits zero) */
  r = (int64_t)v;
  return r;
}

static void write_f(const ec_cast_params *p, void *out, int32_t i, float v) {
  const int32_t t = p->to;
  switch (t) {
  case EC_CAST_F32: ((float *)out)[i] = v; break;
  case EC_CAST_F16: ((uint16_t *)out)[i] = float_to_half(v); break;
  case EC_CAST_BF16: ((uint16_t *)out)[i] = float_to_bf16(v); break;
  case EC_CAST_BOOL: ((uint8_t *)out)[i] = (uint8_t)(v != 0.0f); break;
  default:
    if (is_mini(t))
      ((uint8_t *)out)[i] = float_to_mini(v, &k_mini[t - EC_CAST_F8E4M3FN],
                                          p->saturate || t == EC_CAST_F4E2M1);
    else
      write_i(t, out, i, float_to_int(t, v));
    break;
  }
}

void ec_cast(const ec_cast_params *p, const void *in, void *out) {
  int32_t i;
  for (i = 0; i < p->count; ++i) {
    if (is_float(p->from))
      write_f(p, out, i, read_f(p->from, in, i));
    else if (is_float(p->to))
      write_f(p, out, i, (float)read_i(p->from, in, i));
    else
      write_i(p->to, out, i, read_i(p->from, in, i));
  }
}
