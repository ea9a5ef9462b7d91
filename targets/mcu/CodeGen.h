// The MCU code generator: lowers every node of a prepared model to runtime
// kernel calls, plans the arena and writes the C99 package (NAME.h, NAME.c,
// the runtime files used, a test harness, Makefile and CMakeLists.txt).
#pragma once

#include "plan/ArenaPlanner.h"
#include "targets/Target.h"
#include "targets/mcu/McuOptions.h"

namespace edgec::mcu {

/// One row of the compile report.
struct LayerInfo {
  int index = 0;
  std::string name, op, kernel;
  std::vector<std::string> inputs, outputs; ///< "f32[1,3,32,32]"
  int64_t macs = 0;
  int64_t weightBytes = 0;
  int64_t arenaOffset = -1; ///< output 0 (-1: not in the arena)
  int64_t arenaBytes = 0;
  std::string storage;      ///< "arena", "output 0", "view of ...", ...
  bool inPlace = false;
};

struct PackageInfo {
  std::vector<LayerInfo> layers;
  plan::ArenaPlan arena;
  int64_t arenaWithIo = 0;  ///< arena + input and output bytes (TFLM-comparable)
  int64_t lowerBoundWithIo = 0;
  int64_t weightBytes = 0;
  int64_t macs = 0;
  int64_t ioBytes = 0;
};

struct GeneratedPackage {
  std::vector<target::Artifact> files;
  PackageInfo info;
};

Expected<GeneratedPackage> generatePackage(const Model &m, const McuOptions &o,
                                           const std::string &name);

/// The runtime files embedded in the compiler (path relative to runtime/).
const std::vector<std::pair<std::string, std::string>> &embeddedRuntime();

} // namespace edgec::mcu
