// Encoder of the Ethos-U55/U65 lossless weight stream ("MLW" format):
// palette sections, Golomb-Rice coded weight indices with per-slice
// parameters, optional zero-run ("alternating") coding, uncompressed
// fallback, end-of-stream marker and 16-byte padding. Format and Vela's
// search heuristics restated from Arm's Vela (mlw_codec/mlw_encode.c); see
// MlwFormat.h. The output decodes with decodeWeightStream.
#pragma once

#include <cstdint>
#include <vector>

namespace edgec::npu {

/// Encodes values (weight - zero point, each in -255..255; values outside
/// are clamped, a caller bug) into a stream padded with 0xFF to a multiple of
/// 16 bytes. Empty input gives an empty stream (as Vela). Deterministic: the
/// same values always give the same bytes. For every section it keeps the
/// smallest of several candidate codings (Vela's palette choice, no palette,
/// zero runs on/off, one section vs Vela's palette sections), so the stream
/// is never larger than Vela's coding choice would be.
std::vector<uint8_t> encodeWeightStream(const std::vector<int16_t> &values);

/// Vela's choices only (its palette sections, palette and zero-run
/// heuristics, GRC parameter search): for comparisons and tests.
std::vector<uint8_t> encodeWeightStreamVelaHeuristic(const std::vector<int16_t> &values);

} // namespace edgec::npu
