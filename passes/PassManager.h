// Runs a pipeline of passes over a model: verification after every pass,
// --print-after IR dumps and per-pass statistics.
#pragma once

#include "passes/PassRegistry.h"

#include <ostream>
#include <set>

namespace edgec {

struct PassManagerOptions {
  PassOptions pass;
  /// Run the IR verifier after every pass (a failure is an internal error
  /// naming the pass).
  bool verifyEach = true;
  /// Print the IR after these passes (by name) / after every pass.
  std::set<std::string> printAfter;
  bool printAfterAll = false;
  /// Where IR dumps go (nullptr: nowhere).
  std::ostream *dump = nullptr;
  /// Upper bound on iterations of a fixed-point stage.
  int maxIterations = 8;
};

/// What one pass did over the whole pipeline.
struct PassRunSummary {
  std::string name;
  int runs = 0;
  int changed = 0; ///< runs that changed the model
  PassStats stats;
};

class PassManager {
public:
  explicit PassManager(PassManagerOptions opts = {}) : opts_(std::move(opts)) {}

  /// Builds the pipeline; error for an unknown pass name.
  Status addStage(const PipelineStage &stage);
  Status addLevel(int level);
  /// Comma-separated names ("fold-constants,fuse-batchnorm"); one stage,
  /// each pass once, in the given order.
  Status addPassList(const std::string &csv);

  Status run(Model &m);

  /// Per pass, in first-run order.
  const std::vector<PassRunSummary> &summary() const { return summary_; }

private:
  struct Stage {
    std::vector<std::unique_ptr<Pass>> passes;
    bool fixedPoint = false;
  };
  Expected<bool> runPass(Pass &p, Model &m);

  PassManagerOptions opts_;
  std::vector<Stage> stages_;
  std::vector<PassRunSummary> summary_;
};

} // namespace edgec
