// Runs the OpenCL package for validate and bench: builds its harness with
// the host compiler and runs it on the first OpenCL device found at run
// time (PoCL on a machine without a GPU). No device is an error naming
// the cause (tests turn it into a skip outside CI).
#pragma once

#include "targets/Executor.h"

namespace edgec::gpu {

class OpenClExecutor : public target::Executor {
public:
  std::string name() const override { return "opencl"; }
  std::string reportKey() const override { return "opencl"; }
  Expected<target::ExecResult> run(const target::ExecRequest &r) const override;
};

} // namespace edgec::gpu
