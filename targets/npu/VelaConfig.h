// The system configuration of an Ethos-U system, in the terms of Arm's Vela
// (NPU-EDGETPU.md A.1): the NPU clock and what sits on each of its two AXI
// ports (a system configuration), and which port holds the constants, the
// tensor arena and the fast cache (a memory mode). Both are read from
// Vela's INI format, so users reuse their vendor's vela.ini: sections
// [System_Config.NAME] and [Memory_Mode.NAME], KEY=VALUE (or KEY: VALUE)
// lines, ';' and '#' comment lines, `inherit=SECTION`, keys case-insensitive,
// unknown sections and keys ignored (as Vela does). The built-in file
// (builtinVelaIni) restates the six system configurations and three memory
// modes of Vela's example vela.ini. Any malformed file is one error naming
// FILE:LINE, never a crash.
#pragma once

#include "support/Error.h"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace edgec::ethosu {

/// The memory types Vela knows (its MemArea names).
enum class MemoryType : uint8_t { Sram = 0, Dram, OnChipFlash, OffChipFlash };
inline constexpr size_t kMemoryTypes = 4;
const char *memoryTypeName(MemoryType t); ///< Vela's spelling: "OffChipFlash"

struct MemorySettings {
  double clockScale = 1.0; ///< of the core clock
  int64_t burstLength = 1; ///< bytes
  int64_t readLatency = 0, writeLatency = 0; ///< cycles
};

struct SystemConfig {
  std::string name;        ///< "Ethos_U55_High_End_Embedded"
  double coreClock = 0;    ///< Hz
  MemoryType axi0 = MemoryType::Sram, axi1 = MemoryType::OffChipFlash;
  std::array<MemorySettings, kMemoryTypes> memory{};
  const MemorySettings &on(MemoryType t) const { return memory[size_t(t)]; }
};

enum class AxiPort : uint8_t { Axi0 = 0, Axi1 = 1 };

struct MemoryMode {
  std::string name; ///< "Shared_Sram"
  AxiPort constArea = AxiPort::Axi1, arenaArea = AxiPort::Axi0, cacheArea = AxiPort::Axi0;
  /// Size of the fast cache when the arena is not on the cache's port
  /// (Dedicated_Sram: 384 KiB); 0 when unused.
  int64_t arenaCacheSize = 0;
};

/// The resolved configuration: where each kind of data lives.
struct SystemSetup {
  SystemConfig system;
  MemoryMode mode;
  std::string source; ///< "built-in" or the INI file's path
  MemoryType constMemory() const;
  MemoryType arenaMemory() const;
  MemoryType cacheMemory() const;
  /// Design peak bandwidth of memory t in bytes/s: AXI width x core clock x
  /// the memory's clock scale (A.1).
  double peakBandwidth(MemoryType t, int axiBytes) const;
};

/// One parsed INI file: sections by name, each key (lower case) with its
/// value and line.
struct IniEntry {
  std::string value;
  int line = 0;
};
struct IniSection {
  int line = 0;
  std::map<std::string, IniEntry> keys;
};
struct IniFile {
  std::string path; ///< named in errors
  std::map<std::string, IniSection> sections;
};

/// Parses INI text; `path` names the file in errors ("FILE:LINE: ...").
/// Usage error for a malformed line, a duplicate section or key, or a key
/// outside any section.
Expected<IniFile> parseIni(const std::string &text, const std::string &path);

/// Vela's example configurations (A.1), in the same INI format.
const IniFile &builtinVelaIni();
/// The system configuration names of the built-in file, in file order.
std::vector<std::string> builtinSystemConfigs();

/// The system configuration [System_Config.NAME] of `ini` (following
/// `inherit`), checked: a positive clock, known memory types, positive
/// scales and bursts, non-negative latencies. Usage error naming FILE:LINE.
Expected<SystemConfig> readSystemConfig(const IniFile &ini, const std::string &name);
/// The memory mode [Memory_Mode.NAME], checked as Vela does: constants on
/// flash or DRAM, the arena on SRAM or DRAM, the cache on SRAM (an all-SRAM
/// mode moves the constants to on-chip flash with SRAM's timing, as Vela
/// does). `sys` supplies the memory types of the ports.
Expected<MemoryMode> readMemoryMode(const IniFile &ini, const std::string &name,
                                    SystemConfig &sys);

/// The memory-mode spellings of the command line and Vela's section names:
/// "sram-only" -> "Sram_Only", "shared-sram" -> "Shared_Sram",
/// "dedicated-sram" -> "Dedicated_Sram"; other names are returned as given
/// (a section of the user's file).
std::string memoryModeSection(const std::string &spelling);

} // namespace edgec::ethosu
