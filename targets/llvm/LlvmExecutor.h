// Running an LLVM target package: its Makefile links NAME.o with the test
// harness (the triple's C compiler: cc, aarch64-linux-gnu-gcc) and runs it
// natively or under qemu-user (qemu-aarch64), or into Cortex-M firmware
// (runtime/platform/edgec_board.mk) run under QEMU system emulation; outputs and timings are read
// back as for the C package (CHarness.h).
#pragma once

#include "targets/Executor.h"
#include "targets/llvm/LlvmOptions.h"

namespace edgec::llvmtarget {

class LlvmExecutor : public target::Executor {
public:
  explicit LlvmExecutor(const TripleInfo &t) : triple_(t) {}
  std::string name() const override;
  std::string reportKey() const override {
    return *triple_.boardCpu ? "qemu" : *triple_.runner ? triple_.runner : "host";
  }
  /// Error (Unsupported) when the linker or the runner is not installed.
  Expected<target::ExecResult> run(const target::ExecRequest &r) const override;

private:
  const TripleInfo &triple_;
};

} // namespace edgec::llvmtarget
