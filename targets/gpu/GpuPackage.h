// The package of the GPU target (OpenCL): NAME.h (init/run/free), NAME.c
// (the C99 host launcher: it dlopens libOpenCL.so.1 at run time, so no SDK
// is needed to build it), NAME_kernels.c (the OpenCL C source as one
// string), NAME_weights.c (every constant in one array, uploaded once into
// one read-only device buffer), main.c (the test harness edgec validate and
// bench run), Makefile and CMakeLists.txt. One activation arena planned at
// compile time; nothing is allocated in run; one in-order queue and one
// wait at the end of each run.
#pragma once

#include "targets/Target.h"
#include "targets/common/Program.h"
#include "targets/gpu/GpuOptions.h"
#include "targets/gpu/KernelDesc.h"

#include <string>
#include <vector>

namespace edgec::gpu {

struct GpuPackage {
  std::vector<target::Artifact> files; ///< sorted by path
  std::string kernelSource;            ///< all kernels, as embedded
  int64_t weightBytes = 0;             ///< the read-only weight buffer
  int launches = 0;                    ///< kernel launches per run
  int copies = 0;                      ///< buffer copies per run
};

/// The package of planned program p whose kernel calls are described by
/// `kernels` (by name). Internal error for a call naming no kernel.
Expected<GpuPackage> gpuPackage(const target::Program &p, const std::vector<KernelDesc> &kernels,
                                const GpuOptions &o);

} // namespace edgec::gpu
