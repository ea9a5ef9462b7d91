// The list of optimizer passes and the -O pipelines.
#pragma once

#include "passes/Pass.h"

#include <vector>

namespace edgec {

struct PassInfo {
  const char *name;
  const char *summary;
  std::unique_ptr<Pass> (*create)();
};

/// Every pass, in Passes.def order.
const std::vector<PassInfo> &allPasses();
/// The pass called `name`, or nullptr.
const PassInfo *findPass(const std::string &name);

/// One pipeline stage: passes run in order; a fixed-point stage repeats
/// until no pass changes anything (bounded).
struct PipelineStage {
  std::vector<std::string> passes;
  bool fixedPoint = false;
};

/// The pipeline of an optimization level (0-3).
std::vector<PipelineStage> pipelineForLevel(int level);
/// The stage that converts to channels-last and cleans up after it.
PipelineStage nhwcLayoutStage();

} // namespace edgec
