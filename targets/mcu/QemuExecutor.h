// Runs a generated C package under QEMU for a Cortex-M core (the machine
// table is in McuOptions.h: mps2-an385/an386/an500/an505, mps3-an547), and
// measures what a firmware engineer budgets: instructions per inference
// (QEMU -icount), flash of the model and kernel objects, the ELF sizes and
// the worst stack frame chain.
#pragma once

#include "targets/Executor.h"
#include "targets/mcu/McuOptions.h"

namespace edgec::mcu {

class QemuExecutor : public target::Executor {
public:
  explicit QemuExecutor(const CpuInfo &cpu) : cpu_(cpu) {}
  std::string name() const override { return std::string("qemu ") + cpu_.name; }
  std::string reportKey() const override { return "qemu"; }
  /// The model's weights (plus 128 KiB of code) must fit the machine's
  /// flash, its arena and buffers (plus 512 KiB) its RAM.
  Status checkFits(const Json &compileReport) const override;
  Expected<target::ExecResult> run(const target::ExecRequest &r) const override;

private:
  const CpuInfo &cpu_;
};

} // namespace edgec::mcu
