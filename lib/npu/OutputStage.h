// The Ethos-U output stage in integer arithmetic: the accumulator times a
// 32-bit scale, shifted right with the programmed rounding, the OFM zero
// point added, the activation clamp and the lookup table. TFL rounding
// reproduces TensorFlow Lite's double rounding (a rounding doubling high
// multiply at bit 31, then a rounding divide by the remaining power of two),
// which is what Vela's scales assume; NATURAL rounds half up; TRUNCATE
// rounds toward zero.
#pragma once

#include "npu/Operation.h"
#include "support/Error.h"

#include <cstdint>

namespace edgec::npu {

/// round(value * scale / 2^shift) with `rounding` (0 TFL, 1 truncate,
/// 2 natural), saturated to int64.
int64_t scaleAndRound(int64_t value, int64_t scale, int shift, unsigned rounding);
/// value / 2^shift with `rounding` (no multiplier).
int64_t shiftRound(int64_t value, int shift, unsigned rounding);

/// The range the OFM clamp allows: the OFM precision (or the forced clip
/// range) intersected with ACTIVATION_MIN/MAX; 32-bit OFMs are only
/// saturated unless a clip range is forced.
struct ClampRange {
  int64_t lo, hi;
};
ClampRange clampRange(const Operation &op);

/// The lookup table an operation uses (ACTIVATION 16..23), read from the
/// internal buffer; `ok` false when the activation is none.
struct Lut {
  bool active = false;
  const uint8_t *bytes = nullptr; ///< 256 entries of 1 byte (8-bit OFM) or 4 bytes (32-bit OFM)
  int entryBytes = 1;
};
Expected<Lut> lutFor(const Operation &op, const uint8_t *shram, size_t shramBytes);

/// Zero point, clamp and table of a scaled value: the value written.
int64_t finishOutput(int64_t scaled, const Operation &op, const ClampRange &r, const Lut &lut);

} // namespace edgec::npu
