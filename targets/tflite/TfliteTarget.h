// The tflite target: the model as a TensorFlow Lite file for the TFLite
// runtime on a CPU (what `edgec export --format tflite` writes). It runs
// every node edgec's TFLite writer can write; the Edge TPU target names it
// as its fallback, the CPU tail the TFLite runtime runs.
#pragma once

#include "targets/Target.h"
#include "targets/common/TfliteSupportCache.h"

namespace edgec::tflitecpu {

class TfliteTarget : public target::Target {
public:
  TfliteTarget();
  std::string name() const override { return "tflite"; }
  std::string description() const override;
  std::vector<target::TargetOption> options() const override { return {}; }
  Status configure(const std::map<std::string, std::string> &values) override;
  std::vector<target::OpSupport> supportedOps() const override;
  target::Layout preferredLayout() const override { return target::Layout::NHWC; }
  Status prepareModel(Model &m) override;
  target::Pipeline pipeline(const Model &m) const override;
  std::string checkNode(const Node &n) const override;
  Expected<target::EmitResult> emit(const Model &m, const target::Partition &p,
                                    const target::EmitContext &ctx) override;

private:
  target::TfliteSupportCache support_;
};

} // namespace edgec::tflitecpu
