#include "npu/OutputStage.h"

#include "npu/AcceleratorConfig.h"

#include <algorithm>
#include <limits>

namespace edgec::npu {

namespace {

__extension__ typedef __int128 i128;

int64_t saturate(i128 v) {
  if (v > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (v < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return int64_t(v);
}

// floor(v / 2^s)
i128 floorShift(i128 v, int s) { return s <= 0 ? v : (v >> s); }

// Round half away from zero (TFLite's RoundingDivideByPOT).
i128 roundHalfAway(i128 v, int s) {
  if (s <= 0) return v;
  const i128 mask = (i128(1) << s) - 1;
  const i128 rem = v & mask;
  const i128 threshold = (mask >> 1) + (v < 0 ? 1 : 0);
  return floorShift(v, s) + (rem > threshold ? 1 : 0);
}

i128 roundHalfUp(i128 v, int s) {
  if (s <= 0) return v;
  return floorShift(v + (i128(1) << (s - 1)), s);
}

i128 truncate(i128 v, int s) {
  if (s <= 0) return v;
  const i128 d = i128(1) << s;
  return v / d;
}

i128 roundProduct(i128 p, int shift, unsigned rounding) {
  switch (rounding) {
  case 1: return truncate(p, shift);
  case 2: return roundHalfUp(p, shift);
  default:
    // TFL: a rounding doubling high multiply (half up at bit 31), then a
    // rounding divide by 2^(shift-31) (half away from zero). Below 31 the
    // multiply absorbs a left shift: one rounding, half up.
    if (shift >= 31) return roundHalfAway(roundHalfUp(p, 31), shift - 31);
    return roundHalfUp(p, shift);
  }
}

} // namespace

int64_t scaleAndRound(int64_t value, int64_t scale, int shift, unsigned rounding) {
  return saturate(roundProduct(i128(value) * i128(scale), shift, rounding));
}

int64_t shiftRound(int64_t value, int shift, unsigned rounding) {
  if (rounding == 0) return saturate(roundHalfAway(i128(value), shift));
  return saturate(roundProduct(i128(value), shift, rounding));
}

ClampRange clampRange(const Operation &op) {
  const FeatureMap &o = op.ofm;
  int64_t lo, hi;
  const int bits = o.elemBytes * 8;
  if (o.isSigned) {
    lo = -(int64_t(1) << (bits - 1));
    hi = (int64_t(1) << (bits - 1)) - 1;
  } else {
    lo = 0;
    hi = (int64_t(1) << bits) - 1;
  }
  switch (op.clipRange) {
  case 2: lo = 0, hi = 255; break;
  case 3: lo = -128, hi = 127; break;
  case 5: lo = -32768, hi = 32767; break;
  default: break;
  }
  if (bits < 32 || op.clipRange != 0) {
    lo = std::max<int64_t>(lo, op.activationMin);
    hi = std::min<int64_t>(hi, op.activationMax);
  }
  return {lo, hi};
}

Expected<Lut> lutFor(const Operation &op, const uint8_t *shram, size_t shramBytes) {
  Lut l;
  if (op.activation == 0) return l;
  if (op.activation < 16 || op.activation > 23)
    return Error(ErrorCode::Unsupported, "Ethos-U op " + std::to_string(op.index) + ": activation " +
                                             std::to_string(op.activation) +
                                             " (tanh/sigmoid) is not modelled");
  if (op.ofm.elemBytes == 2)
    return Error(ErrorCode::Unsupported,
                 "Ethos-U op " + std::to_string(op.index) + ": 16-bit lookup tables are not modelled");
  l.active = true;
  l.entryBytes = op.ofm.elemBytes == 4 ? 4 : 1;
  const size_t slot = op.activation - 16, table = 256 * size_t(l.entryBytes);
  const size_t base = shramBytes - kShramLutBytes + slot * table;
  if (shramBytes < size_t(kShramLutBytes) || base + table > shramBytes)
    return Error(ErrorCode::InvalidModel,
                 "Ethos-U op " + std::to_string(op.index) + ": lookup table " +
                     std::to_string(slot) + " lies outside the internal buffer");
  l.bytes = shram + base;
  return l;
}

int64_t finishOutput(int64_t scaled, const Operation &op, const ClampRange &r, const Lut &lut) {
  // A 32-bit OFM takes no zero point unless a clip range makes it 8/16-bit
  // (lookup tables).
  const bool zp = op.ofm.elemBytes < 4 || op.clipRange != 0;
  int64_t v = saturate(i128(scaled) + (zp ? op.ofm.zeroPoint : 0));
  v = std::clamp(v, r.lo, r.hi);
  if (!lut.active) return v;
  const int64_t index = std::clamp<int64_t>(v - (op.ofm.isSigned || lut.entryBytes == 4 ? -128 : 0), 0, 255);
  if (lut.entryBytes == 1)
    return op.ofm.isSigned ? int64_t(int8_t(lut.bytes[index])) : int64_t(lut.bytes[index]);
  const uint8_t *e = lut.bytes + 4 * index;
  return int64_t(int32_t(uint32_t(e[0]) | uint32_t(e[1]) << 8 | uint32_t(e[2]) << 16 |
                         uint32_t(e[3]) << 24));
}

} // namespace edgec::npu
