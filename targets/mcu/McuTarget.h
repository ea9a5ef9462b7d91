// The MCU target: C99 code plus a tiny runtime for Arm Cortex-M (and the
// host, for testing). Options: McuOptions; lowering: lower/; code
// generation: CodeGen.
#pragma once

#include "targets/Target.h"
#include "targets/mcu/McuOptions.h"

namespace edgec::mcu {

class McuTarget : public target::Target {
public:
  std::string name() const override { return "mcu"; }
  std::string description() const override;
  std::vector<target::TargetOption> options() const override;
  Status configure(const std::map<std::string, std::string> &values) override;
  std::vector<target::OpSupport> supportedOps() const override;
  target::Layout preferredLayout() const override { return target::Layout::NHWC; }
  Status prepare(Model &m) override;
  std::string checkNode(const Node &n) const override;
  Expected<target::EmitResult> emit(const Model &m, const target::Partition &p,
                                    const target::EmitOptions &opts) override;

  const McuOptions &mcuOptions() const { return options_; }

private:
  McuOptions options_;
};

/// True when the model holds QDQ pairs or QLinear ops to fold into integer ops.
bool hasQdq(const Model &m);

} // namespace edgec::mcu
