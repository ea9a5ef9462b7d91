// Running a generated C package through its test harness (main.c): the
// inputs are written as raw files, the package is built with its Makefile
// for a CPU ("host" or a Cortex-M core, run under QEMU by the Makefile),
// run, and the outputs and the counter lines it prints are read back.
#pragma once

#include "targets/Executor.h"

namespace edgec::target {

/// Builds and runs the package in r.dir for `cpu`; with r.profile, a second
/// build with -DEC_PROFILE in r.dir/profile gives the per-layer counts.
/// Error (Runtime) when the build or the run fails or the harness prints no
/// counter line.
Expected<ExecResult> runCPackage(const ExecRequest &r, const std::string &cpu);

/// The executor that builds and runs C packages natively.
class HostExecutor : public Executor {
public:
  std::string name() const override { return "host"; }
  std::string reportKey() const override { return "host"; }
  Expected<ExecResult> run(const ExecRequest &r) const override { return runCPackage(r, "host"); }
};

} // namespace edgec::target
