// The GPU target: OpenCL C 1.2 kernels (CUDA next) generated from one kernel
// description per node (KernelDesc.h, lowered by lower/), a C99 host
// launcher that loads the driver at run time, one planned device arena and
// one read-only weight buffer (GpuPackage.h), run by OpenClExecutor for
// validate and bench. Options: GpuOptions.
#pragma once

#include "targets/Target.h"
#include "targets/gpu/GpuOptions.h"

namespace edgec::gpu {

class GpuTarget : public target::Target {
public:
  std::string name() const override { return "gpu"; }
  std::string description() const override;
  std::vector<target::TargetOption> options() const override;
  Status configure(const std::map<std::string, std::string> &values) override;
  std::vector<target::OpSupport> supportedOps() const override;
  target::Layout preferredLayout() const override { return target::Layout::NCHW; }
  Status prepareModel(Model &m) override;
  target::Pipeline pipeline(const Model &m) const override;
  std::string checkNode(const Node &n) const override;
  Expected<target::EmitResult> emit(const Model &m, const target::Partition &p,
                                    const target::EmitContext &ctx) override;
  std::vector<std::string> executors() const override { return {"opencl"}; }
  Expected<std::unique_ptr<target::Executor>> createExecutor(const std::string &where) const override;

  const GpuOptions &gpuOptions() const { return options_; }

private:
  GpuOptions options_;
};

} // namespace edgec::gpu
