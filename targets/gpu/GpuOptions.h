// Options of the GPU target (`--target gpu --api opencl --precision fp32`,
// or `--option api=opencl`). configure() refuses the combinations the back
// end does not generate yet, naming them.
#pragma once

#include "support/Error.h"

#include <map>
#include <string>

namespace edgec::gpu {

enum class GpuApi { OpenCl, Cuda };
enum class GpuPrecision { Fp32, Fp16, Int8 };

struct GpuOptions {
  GpuApi api = GpuApi::OpenCl;
  GpuPrecision precision = GpuPrecision::Fp32;
  /// Work-items per work-group (the global size is rounded up to it).
  int64_t workGroup = 64;
  /// Also write the kernels in CUDA C++ (NAME_kernels.cu), compile-only
  /// until the CUDA launcher exists.
  bool cudaKernels = false;
};

const char *apiName(GpuApi a);
const char *precisionName(GpuPrecision p);

/// Applies NAME=VALUE options (api, precision, work-group, cuda-kernels) to o; usage
/// error naming a bad value, an unknown option or a combination that is not
/// generated yet.
Status parseGpuOptions(const std::map<std::string, std::string> &values, GpuOptions &o);

} // namespace edgec::gpu
