// The Ethos-U target (`--target npu`): the model prepared as the int8
// TFLite graph Vela would read, each node judged by Vela's operator
// constraints (NpuConstraints.h) for the configured accelerator and system
// (NpuOptions.h); what the NPU cannot run falls back to the Cortex-M
// (policy fallback, target `mcu`), naming every constraint it fails. The
// placement report is Vela's summary in its own terms (NpuPlacement.h).
// emit() writes the placement report, then, when every operator is on the
// NPU, compiles the model (NpuCompile.h) into NAME_npu.tflite in the form
// Vela writes; otherwise (CPU operators, or an operator the first slice does
// not lower) it says why as an Unsupported error (docs/targets.md, "The
// Ethos-U target").
#pragma once

#include "targets/Target.h"
#include "targets/common/TfliteSupportCache.h"
#include "targets/npu/NpuOptions.h"
#include "targets/npu/NpuPlacement.h"

namespace edgec::ethosu {

class NpuTarget : public target::Target {
public:
  NpuTarget();
  std::string name() const override { return "npu"; }
  std::string description() const override;
  std::vector<target::TargetOption> options() const override;
  Status configure(const std::map<std::string, std::string> &values) override;
  std::vector<target::OpSupport> supportedOps() const override;
  target::Layout preferredLayout() const override { return target::Layout::NHWC; }
  Status prepareModel(Model &m) override;
  target::Pipeline pipeline(const Model &m) const override;
  std::string checkNode(const Node &n) const override;
  target::PartitionPolicy partitionPolicy() const override {
    return target::PartitionPolicy::Fallback;
  }
  std::string fallbackTarget() const override { return "mcu"; }
  std::vector<std::string> executors() const override { return {"ethos-u"}; }
  Expected<std::unique_ptr<target::Executor>> createExecutor(const std::string &where) const override;
  Expected<target::EmitResult> emit(const Model &m, const target::Partition &p,
                                    const target::EmitContext &ctx) override;
  target::PlacementView describePlacement(const Model &m,
                                          const target::Partition &p) const override;

  const NpuOptions &npuOptions() const { return options_; }
  /// The placement report of a partition of the model this target prepared.
  PlacementReport report(const target::Partition &p) const;

private:
  NodeJudgement judge(const Node &n) const;
  NpuOptions options_;
  target::TfliteSupportCache support_;
};

/// The profile the judged TFLite form is written with: TensorFlow Lite's,
/// with zero padding as PAD (which Vela places on the NPU).
TfliteProfile npuTfliteProfile();

} // namespace edgec::ethosu
