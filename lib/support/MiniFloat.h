// 8-bit and 4-bit floating-point formats of ONNX (FLOAT8E4M3FN,
// FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ, FLOAT4E2M1): decoding, and
// encoding with round-to-nearest-even and ONNX's saturation rules.
#pragma once

#include <cstdint>

namespace edgec {

enum class MiniFloatKind : uint8_t { E4M3FN, E4M3FNUZ, E5M2, E5M2FNUZ, E2M1 };

/// Value of a code (NaN codes give NaN, E5M2's infinities give inf).
float miniFloatToFloat(uint8_t code, MiniFloatKind k);
/// Nearest code (ties to even). With saturate, out-of-range values and
/// infinities clamp to the largest finite value; without it they become
/// infinity where the format has one, else NaN (E2M1 always saturates).
uint8_t floatToMiniFloat(float v, MiniFloatKind k, bool saturate = true);

} // namespace edgec
