// The executor of `validate/bench --target npu` ("ethos-u"): the compiled
// NAME_npu.tflite read back by the TFLite reader and run by the reference
// interpreter, whose `ethos-u` kernel executes the command stream on the
// bit-exact Ethos-U functional model (lib/npu). The count is wall-clock
// nanoseconds of the host simulation (not NPU cycles).
#pragma once

#include "targets/Executor.h"

namespace edgec::ethosu {

class NpuExecutor : public target::Executor {
public:
  std::string name() const override { return "ethos-u functional model"; }
  std::string reportKey() const override { return "ethos-u"; }
  Expected<target::ExecResult> run(const target::ExecRequest &r) const override;
};

} // namespace edgec::ethosu
