#include "support/MiniFloat.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

namespace edgec {

namespace {

struct Format {
  int ebits, mbits, bias;
  bool fnuz;    ///< single NaN at 0x80, no negative zero, no infinity
  bool hasInf;  ///< IEEE-like infinities and NaNs at the top exponent
  bool noNaN;   ///< E2M1: every code is finite
};

Format formatOf(MiniFloatKind k) {
  switch (k) {
  case MiniFloatKind::E4M3FN: return {4, 3, 7, false, false, false};
  case MiniFloatKind::E4M3FNUZ: return {4, 3, 8, true, false, false};
  case MiniFloatKind::E5M2: return {5, 2, 15, false, true, false};
  case MiniFloatKind::E5M2FNUZ: return {5, 2, 16, true, false, false};
  case MiniFloatKind::E2M1: return {2, 1, 1, false, false, true};
  }
  return {4, 3, 7, false, false, false};
}

float decode(uint8_t code, const Format &f) {
  int bits = 1 + f.ebits + f.mbits;
  code &= (uint8_t)((1u << bits) - 1);
  uint32_t sign = code >> (bits - 1);
  uint32_t e = (code >> f.mbits) & ((1u << f.ebits) - 1);
  uint32_t m = code & ((1u << f.mbits) - 1);
  uint32_t emax = (1u << f.ebits) - 1, mmax = (1u << f.mbits) - 1;
  float nan = std::numeric_limits<float>::quiet_NaN();
  if (f.fnuz && code == (1u << (bits - 1))) return nan;
  if (f.hasInf && e == emax)
    return m == 0 ? (sign ? -INFINITY : INFINITY) : nan;
  if (!f.fnuz && !f.hasInf && !f.noNaN && e == emax && m == mmax) return nan;
  float v;
  if (e == 0)
    v = std::ldexp((float)m / (float)(1u << f.mbits), 1 - f.bias);
  else
    v = std::ldexp(1.0f + (float)m / (float)(1u << f.mbits), (int)e - f.bias);
  return sign ? -v : v;
}

/// Finite non-negative codes sorted by value (ascending).
struct Table {
  std::vector<std::pair<float, uint8_t>> pos;
  float maxFinite = 0;
  uint8_t maxCode = 0;
  uint8_t nanCode = 0;
  uint8_t infCode = 0;
  uint8_t signBit = 0;
};

Table buildTable(MiniFloatKind k) {
  Format f = formatOf(k);
  int bits = 1 + f.ebits + f.mbits;
  Table t;
  t.signBit = (uint8_t)(1u << (bits - 1));
  for (uint32_t c = 0; c < t.signBit; ++c) {
    float v = decode((uint8_t)c, f);
    if (std::isnan(v)) { t.nanCode = (uint8_t)c; continue; }
    if (std::isinf(v)) { t.infCode = (uint8_t)c; continue; }
    t.pos.push_back({v, (uint8_t)c});
  }
  if (f.fnuz) t.nanCode = t.signBit;
  std::sort(t.pos.begin(), t.pos.end());
  t.maxFinite = t.pos.back().first;
  t.maxCode = t.pos.back().second;
  if (f.hasInf) t.nanCode = (uint8_t)(t.infCode | 2u); // quiet NaN pattern
  return t;
}

const Table &tableOf(MiniFloatKind k) {
  static const std::array<Table, 5> tables = {
      buildTable(MiniFloatKind::E4M3FN), buildTable(MiniFloatKind::E4M3FNUZ),
      buildTable(MiniFloatKind::E5M2), buildTable(MiniFloatKind::E5M2FNUZ),
      buildTable(MiniFloatKind::E2M1)};
  return tables[(size_t)k];
}

} // namespace

float miniFloatToFloat(uint8_t code, MiniFloatKind k) {
  return decode(code, formatOf(k));
}

uint8_t floatToMiniFloat(float v, MiniFloatKind k, bool saturate) {
  const Format f = formatOf(k);
  const Table &t = tableOf(k);
  bool neg = std::signbit(v);
  uint8_t sign = neg && !f.fnuz ? t.signBit : 0;
  // E2M1 has no NaN code; ONNX maps NaN to the negative-zero code.
  if (std::isnan(v)) return f.noNaN ? t.signBit : t.nanCode;
  float a = std::fabs(v);
  auto overflow = [&]() -> uint8_t {
    uint8_t s = neg ? t.signBit : 0;
    if (saturate || f.noNaN) return (uint8_t)(s | t.maxCode);
    if (f.hasInf) return (uint8_t)(s | t.infCode);
    return t.nanCode;
  };
  if (std::isinf(a)) return overflow();
  // Half an ulp above the largest finite value rounds up to overflow.
  float ulpTop = t.maxFinite - t.pos[t.pos.size() - 2].first;
  if (a > t.maxFinite) {
    if (saturate || f.noNaN) return overflow();
    if (a >= t.maxFinite + ulpTop / 2) return overflow();
    return (uint8_t)(sign | t.maxCode);
  }
  auto it = std::lower_bound(t.pos.begin(), t.pos.end(),
                             std::make_pair(a, (uint8_t)0));
  uint8_t code;
  if (it == t.pos.end()) {
    code = t.maxCode;
  } else if (it->first == a || it == t.pos.begin()) {
    code = it->second;
  } else {
    auto lo = it - 1;
    float dlo = a - lo->first, dhi = it->first - a;
    if (dlo < dhi) code = lo->second;
    else if (dhi < dlo) code = it->second;
    else code = (lo->second & 1u) == 0 ? lo->second : it->second;
  }
  if (code == 0 && f.fnuz) return 0; // no negative zero
  return (uint8_t)(sign | code);
}

} // namespace edgec
