// The LLVM target: one relocatable object (NAME.o) plus NAME.h per model
// for x86-64, AArch64 Linux and Cortex-M (thumbv7em), with the C API and
// arena contract of the MCU package (a caller can swap one for the other).
// Nodes are lowered by the MCU lowerings into the shared lowered program;
// LlvmCodegen turns the program and the runtime kernels it calls into
// optimized machine code. Options: LlvmOptions.h; executors:
// LlvmExecutor.h.
#pragma once

#include "targets/Target.h"
#include "targets/llvm/LlvmOptions.h"
#include "targets/mcu/McuTarget.h"

namespace edgec::llvmtarget {

class LlvmTarget : public target::Target {
public:
  LlvmTarget();
  std::string name() const override { return "llvm"; }
  std::string description() const override;
  std::vector<target::TargetOption> options() const override;
  Status configure(const std::map<std::string, std::string> &values) override;
  std::vector<target::OpSupport> supportedOps() const override { return mcu_.supportedOps(); }
  target::Layout preferredLayout() const override { return target::Layout::NHWC; }
  Status prepareModel(Model &m) override;
  target::Pipeline pipeline(const Model &m) const override { return mcu_.pipeline(m); }
  std::string checkNode(const Node &n) const override { return mcu_.checkNode(n); }
  Status lowerNode(target::StepBuilder &b) const override { return mcu_.lowerNode(b); }
  Expected<target::EmitResult> emit(const Model &m, const target::Partition &p,
                                    const target::EmitContext &ctx) override;
  std::vector<std::string> executors() const override;
  Expected<std::unique_ptr<target::Executor>> createExecutor(const std::string &where) const override;

  const LlvmOptions &llvmOptions() const { return options_; }

private:
  /// The CPU LLVM generates code for (--cpu, else the triple's default).
  std::string cpu() const;
  LlvmOptions options_;
  mcu::McuTarget mcu_; ///< lowers the nodes (configured for the triple)
};

} // namespace edgec::llvmtarget
