// The Ethos-U55/U65 per-output-channel scale/bias entries (10 bytes each,
// little-endian): 40-bit signed bias, 32-bit unsigned multiplier, 6-bit
// shift, 2 spare bits (zero). Restated from Arm's Vela
// (weight_compressor.py encode_bias). A scale stream is the entries of a
// weight slice's output channels (per core) padded with zeros to 16 bytes.
#pragma once

#include "support/Error.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace edgec::npu {

inline constexpr size_t kScaleBiasEntryBytes = 10;

struct ScaleBiasEntry {
  int64_t bias = 0;        ///< signed, must fit 40 bits
  uint32_t multiplier = 0;
  uint8_t shift = 0;       ///< 0..63
  bool operator==(const ScaleBiasEntry &o) const {
    return bias == o.bias && multiplier == o.multiplier && shift == o.shift;
  }
};

/// Writes one entry; an error when the bias does not fit 40 signed bits or
/// the shift exceeds 63.
Status encodeScaleBias(const ScaleBiasEntry &e, uint8_t out[kScaleBiasEntryBytes]);
/// Reads one entry (the spare bits are ignored).
ScaleBiasEntry decodeScaleBias(const uint8_t in[kScaleBiasEntryBytes]);

/// Entries padded with zero bytes to a multiple of 16.
Expected<std::vector<uint8_t>> encodeScaleBiasStream(const std::vector<ScaleBiasEntry> &entries);
/// `count` entries from a scale stream of `size` bytes (as SCALE_BASE /
/// SCALE_LENGTH address it); an error when it is too short.
Expected<std::vector<ScaleBiasEntry>> decodeScaleBiasStream(const uint8_t *data, size_t size,
                                                            size_t count);

} // namespace edgec::npu
