// The writer of the driver payload that parsePayload reads (Payload.h): the
// FOURCC "COP1", OPTIMIZER_CONFIG (compiler release, the configuration word
// for the accelerator, the architecture ID word), NOPs to align the stream
// to 16 bytes, one COMMAND_STREAM action and the stream. The layout Vela's
// driver_actions.py writes (../shared/NPU-EDGETPU.md A.4).
#pragma once

#include "npu/AcceleratorConfig.h"
#include "support/Error.h"

#include <cstdint>
#include <vector>

namespace edgec::npu {

/// The compiler release/patch edgec writes into OPTIMIZER_CONFIG (0.1).
inline constexpr int kWriterRelease = 0, kWriterPatch = 1;

/// The payload words for `stream` on accelerator `c`. Error: a stream of
/// more than 2^24 - 1 words (the action's length field).
Expected<std::vector<uint32_t>> payloadWords(const AcceleratorConfig &c,
                                             const std::vector<uint32_t> &stream);

/// Little-endian bytes of the words.
std::vector<uint8_t> wordBytes(const std::vector<uint32_t> &words);

} // namespace edgec::npu
