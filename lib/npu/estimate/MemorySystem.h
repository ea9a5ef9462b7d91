// The memory system an Ethos-U sits in, as the cycle estimator needs it:
// the core clock, each memory's timing (clock scale, burst length,
// latencies) and which memory each of the stream's regions lives on. A
// plain struct: targets/npu maps Vela's INI system configuration and memory
// mode onto it (VelaConfig.h), so lib/npu never reads INI files.
// Facts: ../shared/NPU-EDGETPU.md A.1 and A.8.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace edgec::npu {

/// The memories Vela's estimate reports, in its column order.
enum class Memory : uint8_t { Sram = 0, Dram, OnChipFlash, OffChipFlash };
inline constexpr size_t kMemories = 4;

struct MemoryTiming {
  double clockScale = 1.0;                   ///< of the core clock
  int64_t burstLength = 32;                  ///< bytes
  int64_t readLatency = 0, writeLatency = 0; ///< core cycles
};

struct MemorySystem {
  double coreClockHz = 500e6;
  std::array<MemoryTiming, kMemories> timing{};
  /// The memory of each command-stream region (Vela: 0 the constants,
  /// 1 the tensor arena, 2 the fast scratch); regions past the array: SRAM.
  std::array<Memory, 8> regionMemory{Memory::OffChipFlash, Memory::Sram, Memory::Sram, Memory::Sram,
                                     Memory::Sram,         Memory::Sram, Memory::Sram, Memory::Sram};

  const MemoryTiming &on(Memory m) const { return timing[size_t(m)]; }
  Memory ofRegion(int region) const {
    return region >= 0 && size_t(region) < regionMemory.size() ? regionMemory[size_t(region)]
                                                              : Memory::Sram;
  }
};

/// "SRAM", "DRAM", "On-chip Flash", "Off-chip Flash" (Vela's report labels).
const char *memoryLabel(Memory m);
/// "sram", "dram", "on_chip_flash", "off_chip_flash" (Vela's CSV prefixes).
const char *memoryKey(Memory m);

} // namespace edgec::npu
