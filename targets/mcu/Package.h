// The fixed parts of a generated MCU package: the public header, tensor
// descriptions, the run function's signature, the test harness (main.c),
// Makefile and CMakeLists.txt.
#pragma once

#include "ir/Graph.h"

#include <string>
#include <vector>

namespace edgec::mcu {

struct PackageModel {
  std::string name;
  std::vector<const Value *> inputs, outputs;
};

struct PackageLayout {
  int64_t arenaSize = 0;
  int64_t alignment = 16;
  int layers = 0;
};

/// "const float *input0, float *output0, void *arena".
std::string runSignature(const PackageModel &pm);
/// NAME_inputs[] / NAME_outputs[] definitions.
std::string tensorInfoTables(const PackageModel &pm);
/// NAME_run_generic() calling NAME_run().
std::string runGenericDefinition(const PackageModel &pm);
std::string headerFile(const PackageModel &pm, const PackageLayout &lay);
std::string harnessFile(const PackageModel &pm);
std::string makefile(const PackageModel &pm, const std::vector<std::string> &kernelSources,
                     const std::string &defaultCpu);
/// sources.mk: EDGEC_MODEL_SRCS / EDGEC_MODEL_INCLUDES for firmware Makefiles.
std::string sourcesFragment(const PackageModel &pm, const std::vector<std::string> &kernelSources);
std::string cmakeFile(const PackageModel &pm, const std::vector<std::string> &kernelSources);

} // namespace edgec::mcu
