// Decoder of the Ethos-U55/U65 lossless weight stream ("MLW" format), the
// inverse of MlwEncoder. Format restated from Arm's Vela
// (mlw_codec/mlw_decode.c, mlw_encode.c, mlw_common.h), summarised in
// ../shared/NPU-EDGETPU.md A.5 and in MlwFormat.h.
#pragma once

#include "support/Error.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace edgec::npu {

/// Largest number of values one stream may decode to (a guard against
/// streams whose zero runs would expand without limit).
inline constexpr size_t kMlwMaxDecodedValues = size_t(1) << 24;

/// Decodes `size` bytes of a weight stream (as WEIGHT_BASE/WEIGHT_LENGTH
/// address it, end-of-stream marker and 0xFF padding included) into the
/// values in stream order: weight - zero point, 9-bit signed (-255..255).
/// Several end-of-stream-terminated sections may follow one another; the
/// stream must end right after an end-of-stream marker's padding. A
/// malformed stream is an InvalidModel error naming the byte offset; the
/// decoder never reads outside [data, data + size).
Expected<std::vector<int16_t>> decodeWeightStream(const uint8_t *data, size_t size);

} // namespace edgec::npu
