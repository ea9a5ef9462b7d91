// The fixed parts of a generated C package around NAME.c: the public
// header, tensor descriptions, the run function's signature, the test
// harness (main.c), Makefile, CMakeLists.txt and sources.mk; and the
// package itself (cPackageFiles).
#pragma once

#include "targets/Target.h"
#include "targets/common/MemoryPlan.h"
#include "targets/common/Program.h"
#include "targets/common/ProgramBuilder.h"

#include <string>
#include <vector>

namespace edgec::target {

/// "const float *input0, float *output0, void *arena".
std::string runSignature(const Program &p);
/// NAME_inputs[] / NAME_outputs[] definitions.
std::string tensorInfoTables(const Program &p);
/// NAME_run_generic() calling NAME_run().
std::string runGenericDefinition(const Program &p);
std::string headerFile(const Program &p);
std::string harnessFile(const Program &p);
std::string makefile(const Program &p, const std::string &defaultCpu);
/// sources.mk: EDGEC_MODEL_SRCS / EDGEC_MODEL_INCLUDES for firmware Makefiles.
std::string sourcesFragment(const Program &p, const std::vector<std::string> &kernelSources);
std::string cmakeFile(const Program &p, const std::vector<std::string> &kernelSources);

struct CPackageOptions {
  std::string defaultCpu = "host"; ///< the Makefile's example CPU
};

/// Every file of the C package of a planned program, sorted by path: NAME.h,
/// NAME.c, the runtime files its calls need (and the headers they include),
/// the platform layer, main.c, Makefile, CMakeLists.txt, sources.mk.
Expected<std::vector<Artifact>> cPackageFiles(const Program &p, const CPackageOptions &o);

/// Lowers, plans and packages a partitioned model in one go: what a target
/// whose code the C emitter prints does in emit().
struct CEmitRequest {
  std::string name = "model";
  /// The lowering of each target that runs a segment.
  std::map<std::string, NodeLowering> lowerings;
  MemoryOptions memory;
  CPackageOptions package;
};
struct CEmitOutput {
  Program program;
  std::vector<Artifact> files;
};
Expected<CEmitOutput> emitCPackage(const Model &m, const Partition &p, const CEmitRequest &r);

} // namespace edgec::target
