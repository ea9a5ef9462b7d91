// Options of the GPU target (see GpuOptions.h).
#include "targets/gpu/GpuOptions.h"

#include <cstdlib>

namespace edgec::gpu {

const char *apiName(GpuApi a) { return a == GpuApi::OpenCl ? "opencl" : "cuda"; }

const char *precisionName(GpuPrecision p) {
  switch (p) {
  case GpuPrecision::Fp32: return "fp32";
  case GpuPrecision::Fp16: return "fp16";
  case GpuPrecision::Int8: return "int8";
  }
  return "fp32";
}

Status parseGpuOptions(const std::map<std::string, std::string> &values, GpuOptions &o) {
  for (const auto &[k, v] : values) {
    if (k == "api") {
      if (v == "opencl") o.api = GpuApi::OpenCl;
      else if (v == "cuda") o.api = GpuApi::Cuda;
      else return Error(ErrorCode::Usage, "gpu option api must be opencl or cuda, got '" + v + "'");
    } else if (k == "precision") {
      if (v == "fp32") o.precision = GpuPrecision::Fp32;
      else if (v == "fp16") o.precision = GpuPrecision::Fp16;
      else if (v == "int8") o.precision = GpuPrecision::Int8;
      else
        return Error(ErrorCode::Usage,
                     "gpu option precision must be fp32, fp16 or int8, got '" + v + "'");
    } else if (k == "work-group") {
      char *end = nullptr;
      long w = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || !end || *end || w < 1 || w > 1024 || (w & (w - 1)))
        return Error(ErrorCode::Usage,
                     "gpu option work-group must be a power of two in 1..1024, got '" + v + "'");
      o.workGroup = w;
    } else if (k == "cuda-kernels") {
      if (v != "on" && v != "off")
        return Error(ErrorCode::Usage, "gpu option cuda-kernels must be on or off, got '" + v + "'");
      o.cudaKernels = v == "on";
    } else {
      return Error(ErrorCode::Usage, "target gpu has no option '" + k + "'");
    }
  }
  // What is generated so far: OpenCL C, float32. The rest is refused by name.
  if (o.api == GpuApi::Cuda)
    return Error(ErrorCode::Unsupported,
                 "gpu: --api cuda is not generated yet (only --api opencl)");
  if (o.precision != GpuPrecision::Fp32)
    return Error(ErrorCode::Unsupported, std::string("gpu: --precision ") +
                                             precisionName(o.precision) +
                                             " is not generated yet with --api opencl (only fp32)");
  return Status::ok();
}

} // namespace edgec::gpu
