// Options of the Ethos-U target (`--target npu --option NAME=VALUE`, or the
// shorthands --npu-config, --system-config FILE.ini NAME and --memory-mode
// of compile, validate and bench):
//   npu-config=ethos-u55-32|64|128|256|ethos-u65-256|512 (default
//     ethos-u55-128; Vela's spelling Ethos_U55_128 is accepted too);
//   system-config=NAME | FILE.ini:NAME: a [System_Config.NAME] of the
//     built-in configurations (NPU-EDGETPU.md A.1) or of the user's file in
//     Vela's INI format (default: Vela's default for the product,
//     Ethos_U55_High_End_Embedded or Ethos_U65_Client_Server);
//   memory-mode=sram-only|shared-sram|dedicated-sram or a [Memory_Mode.NAME]
//     of the user's file (default: Vela's, shared-sram on the U55,
//     dedicated-sram on the U65).
#pragma once

#include "npu/AcceleratorConfig.h"
#include "npu/estimate/MemorySystem.h"
#include "targets/npu/VelaConfig.h"

namespace edgec::ethosu {

struct NpuOptions {
  const npu::AcceleratorConfig *accelerator = nullptr; ///< never null once configured
  SystemSetup system;
};

/// The memory system the cycle estimator reads: the clock, each memory's
/// timing, and the memory of the stream's regions (0 the constants, 1 the
/// arena, 2 the fast scratch, as Vela lays them out; the rest the arena's).
npu::MemorySystem memorySystem(const SystemSetup &s);

/// The default system configuration and memory mode of a product (Vela's).
const char *defaultSystemConfig(npu::Product p);
const char *defaultMemoryMode(npu::Product p);

/// Resolves the three option values ("" = the default) into options.
/// Usage error naming the option, the file and line of a malformed file,
/// or the known names; Io error for an unreadable file.
Expected<NpuOptions> resolveNpuOptions(const std::string &npuConfig,
                                       const std::string &systemConfig,
                                       const std::string &memoryMode);

} // namespace edgec::ethosu
