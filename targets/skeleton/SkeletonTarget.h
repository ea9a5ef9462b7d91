// The skeleton target: the smallest complete back end, to copy when adding
// one (docs/targets.md walks through it). It runs float32 elementwise Add,
// Sub, Mul and Relu on equally shaped operands with its own runtime kernel
// (runtime/kernels/skeleton/) and, by the fallback partition policy, every
// other node on the mcu target: the two kinds of steps share one lowered
// program, one arena and one C package, validated on the host against the
// interpreter like any target.
#pragma once

#include "targets/Target.h"
#include "targets/skeleton/SkeletonOptions.h"

namespace edgec::skeleton {

class SkeletonTarget : public target::Target {
public:
  std::string name() const override { return "skeleton"; }
  std::string description() const override;
  std::vector<target::TargetOption> options() const override;
  Status configure(const std::map<std::string, std::string> &values) override;
  std::vector<target::OpSupport> supportedOps() const override;
  target::Layout preferredLayout() const override { return target::Layout::Any; }
  Status prepareModel(Model &m) override;
  target::Pipeline pipeline(const Model &m) const override;
  std::string checkNode(const Node &n) const override;
  target::PartitionPolicy partitionPolicy() const override {
    return target::PartitionPolicy::Fallback;
  }
  std::string fallbackTarget() const override { return "mcu"; }
  Status lowerNode(target::StepBuilder &b) const override;
  Expected<target::EmitResult> emit(const Model &m, const target::Partition &p,
                                    const target::EmitContext &ctx) override;
  std::vector<std::string> executors() const override { return {"host"}; }

private:
  SkeletonOptions options_;
};

} // namespace edgec::skeleton
