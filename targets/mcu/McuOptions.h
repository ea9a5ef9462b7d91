// Options of the MCU target (`--target mcu`, `--option NAME=VALUE`).
#pragma once

#include "plan/ArenaPlanner.h"

#include <string>
#include <vector>

namespace edgec::mcu {

/// What the code generator needs to know about a Cortex-M core.
struct CpuInfo {
  const char *name;        ///< "cortex-m4"
  bool dsp;                ///< DSP extension (SMLAD, SXTB16)
  bool mve;                ///< Helium / M-profile vector extension
  bool fpu;                ///< single-precision FPU
  const char *qemuMachine; ///< QEMU machine that emulates it ("" if none)
  int64_t flashBytes;      ///< that machine's memory for code + weights
  int64_t ramBytes;        ///< and for data, arena, heap and stack
};

/// The supported cores, in a fixed order.
const std::vector<CpuInfo> &cpuTable();
/// The core named `name` (with or without the "cortex-" prefix), or null.
const CpuInfo *findCpu(const std::string &name);

struct McuOptions {
  std::string cpu = "cortex-m4";
  /// Alignment of every arena buffer and of the arena itself (bytes).
  int64_t alignment = 16;
  plan::ArenaStrategy strategy = plan::ArenaStrategy::Best;
  /// Use the Cortex-M optimized kernel variants the CPU allows (they match
  /// the portable ones bit for bit); false: portable C only.
  bool optimizedKernels = true;
  /// Let elementwise kernels write over an input that dies at that node.
  bool inPlace = true;
  /// Extra flash (bytes) the int8 DSP kernels may spend on the 16-bit pair
  /// weight layout, layer by layer (lower/FlashBudget.h); 0: one byte per
  /// int8 weight everywhere.
  int64_t flashBudget = 0;
};

} // namespace edgec::mcu
