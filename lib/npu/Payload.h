// The driver payload Vela writes into an `ethos-u` custom operator: the
// FOURCC "COP1", an OPTIMIZER_CONFIG action (compiler release, the
// configuration word the driver compares with the hardware, the architecture
// ID word), NOPs that align the command stream to 16 bytes, and one
// COMMAND_STREAM action with a 24-bit length in words. parsePayload
// re-implements the Ethos-U core driver's checks (ethosu_driver.c: magic,
// size a multiple of 4, known actions only, stream inside the payload and
// 16-byte aligned; ethosu_device: product, MACs, stream version and
// architecture against the hardware) so that a payload the driver refuses is
// a clean error here. Facts: ../shared/NPU-EDGETPU.md A.4.
#pragma once

#include "npu/AcceleratorConfig.h"
#include "support/Error.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace edgec::npu {

/// Driver action codes (low byte of an action word).
namespace action {
inline constexpr uint8_t OptimizerConfig = 0x01, CommandStream = 0x02, ReadApb = 0x03,
                         DumpShram = 0x04, Nop = 0x05;
} // namespace action

/// "COP1" as a little-endian word: the payload's first word.
inline constexpr uint32_t kPayloadMagic = uint32_t('C') | uint32_t('O') << 8 |
                                          uint32_t('P') << 16 | uint32_t('1') << 24;

/// The architecture revision the modelled hardware reports (Vela 3.x's
/// ARCH_VER): a payload built for a newer minor revision is refused.
inline constexpr int kArchMajor = 1, kArchMinor = 0, kArchPatch = 6;

struct PayloadConfig {
  uint32_t word = 0;   ///< the CONFIG word as stored
  uint32_t idWord = 0; ///< the ID word as stored
  int release = 0, patch = 0; ///< compiler release/patch (action parameter)
  int product = 0;            ///< 0 = Ethos-U55, 1 = Ethos-U65
  int macsLog2 = 0;           ///< log2 of MACs per cycle, all cores
  int shramKb = 0;            ///< internal buffer, all cores
  int streamVersion = 0;
  int archMajor = 0, archMinor = 0, archPatch = 0;
};

struct Payload {
  PayloadConfig config;
  bool hasConfig = false;
  /// Byte offset of the command stream inside the payload, and its words.
  size_t streamOffset = 0;
  std::vector<uint32_t> stream;
  int nops = 0;
};

/// The configuration word Vela writes for `c` (product, internal buffer
/// size, stream version 0, log2 MACs of all cores).
uint32_t configWordFor(const AcceleratorConfig &c);
/// The ID word Vela writes (architecture kArchMajor.kArchMinor.kArchPatch).
uint32_t archIdWord();

/// Parses a payload; every malformed one is an InvalidModel error naming the
/// element (byte offset, action, length).
Expected<Payload> parsePayload(const uint8_t *data, size_t size);

/// The driver's verify_optimizer_config against the hardware `hw`: product,
/// MAC count and stream version must match; the architecture major revision
/// must match and the minor must not be newer. Error names both sides.
Status checkPayloadConfig(const Payload &p, const AcceleratorConfig &hw);

/// The configuration the payload was compiled for (product and MAC count),
/// or null when it names none edgec knows.
const AcceleratorConfig *payloadAccelerator(const Payload &p);

/// "Ethos-U55, 128 MACs/cycle, 24 KiB internal buffer, stream v0, arch 1.0.6,
/// Vela release 0.1" for listings.
std::string describeConfig(const PayloadConfig &c);

} // namespace edgec::npu
