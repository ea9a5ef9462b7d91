// The Edge TPU target: an Edge-TPU-ready int8 TFLite file for Google's
// edgetpu_compiler (which edgec cannot replace: B.7 of the facts), and the
// prediction of what that compiler maps, in its own status strings. The
// compiler maps one subgraph, from the input to the first operation it
// cannot map; everything from there on runs on the CPU (policy prefix,
// fallback `tflite`: the TensorFlow Lite runtime, in the same file).
// docs/targets.md, "The Edge TPU target".
#pragma once

#include "targets/Target.h"
#include "targets/edgetpu/EdgeTpuOptions.h"
#include "targets/edgetpu/EdgeTpuPrediction.h"

#include <optional>
#include <vector>

namespace edgec::edgetpu {

class EdgeTpuTarget : public target::Target {
public:
  EdgeTpuTarget();
  std::string name() const override { return "edgetpu"; }
  std::string description() const override;
  std::vector<target::TargetOption> options() const override;
  Status configure(const std::map<std::string, std::string> &values) override;
  std::vector<target::OpSupport> supportedOps() const override;
  target::Layout preferredLayout() const override { return target::Layout::NHWC; }
  Status prepareModel(Model &m) override;
  target::Pipeline pipeline(const Model &m) const override;
  std::string checkNode(const Node &n) const override;
  target::PartitionPolicy partitionPolicy() const override {
    return target::PartitionPolicy::Prefix;
  }
  std::string fallbackTarget() const override { return "tflite"; }
  Expected<target::EmitResult> emit(const Model &m, const target::Partition &p,
                                    const target::EmitContext &ctx) override;
  target::PlacementView describePlacement(const Model &m,
                                          const target::Partition &p) const override;

  const EdgeTpuOptions &edgeTpuOptions() const { return options_; }
  /// The prediction for a partition of the model this target prepared.
  /// With the mapped count before the rewrites and the rewrites applied.
  Prediction predictPartition(const target::Partition &p) const;

private:
  std::string ioName() const;
  EdgeTpuOptions options_;
  Judge judge_;
  std::optional<MappedCount> before_;
  std::vector<RewriteApplied> rewrites_;
};

/// The profile the Edge-TPU-ready file is written with: TensorFlow Lite's,
/// with int8 zero padding as two-input CONCATENATIONs with a constant block
/// of the zero point (`padAsConcat`, --option pad=concat, the default; the
/// Edge TPU does not map a constant in a three-input one) or as PAD.
TfliteProfile edgeTpuWriteProfile(bool padAsConcat);

} // namespace edgec::edgetpu
