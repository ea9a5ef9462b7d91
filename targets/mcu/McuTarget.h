// The MCU target: C99 code plus a tiny runtime for Arm Cortex-M (and the
// host, for testing). Options: McuOptions; lowering: lower/ (one file per
// kernel family, into the shared lowered program); the package is printed by
// the shared C emitter (targets/common); QemuExecutor runs it under QEMU.
#pragma once

#include "targets/Target.h"
#include "targets/common/MemoryPlan.h"
#include "targets/mcu/McuOptions.h"

#include <set>

namespace edgec::mcu {

class McuTarget : public target::Target {
public:
  std::string name() const override { return "mcu"; }
  std::string description() const override;
  std::vector<target::TargetOption> options() const override;
  Status configure(const std::map<std::string, std::string> &values) override;
  std::vector<target::OpSupport> supportedOps() const override;
  target::Layout preferredLayout() const override { return target::Layout::NHWC; }
  Status prepareModel(Model &m) override;
  target::Pipeline pipeline(const Model &m) const override;
  std::string checkNode(const Node &n) const override;
  Status lowerNode(target::StepBuilder &b) const override;
  Expected<target::EmitResult> emit(const Model &m, const target::Partition &p,
                                    const target::EmitContext &ctx) override;
  std::vector<std::string> executors() const override;
  /// QEMU when --cpu named a Cortex-M core QEMU emulates, else the host.
  std::string defaultExecutor() const override;
  Expected<std::unique_ptr<target::Executor>> createExecutor(const std::string &where) const override;

  const McuOptions &mcuOptions() const { return options_; }
  /// The arena options (alignment, strategy, in-place) from --option.
  target::MemoryOptions memoryOptions() const;

private:
  McuOptions options_;
  bool cpuGiven_ = false; ///< --cpu / --option cpu= was given
  /// The layers flash-budget bought the pair weight layout for (set by emit).
  std::set<const Node *> pairLayers_;
};

/// True when the model holds QDQ pairs or QLinear ops to fold into integer ops.
bool hasQdq(const Model &m);

} // namespace edgec::mcu
