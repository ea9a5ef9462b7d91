// The pass interface of the graph optimizer.
//
// A pass is one class in one file under passes/<group>/<kebab-name>.cpp,
// created by a factory listed in passes/Passes.def (explicit registration,
// no static initializers). A pass rewrites the model in place, counts what
// it did in PassStats, and returns whether it changed anything. A pattern
// that does not apply changes nothing and is not an error; errors are for
// models the pass cannot process at all.
#pragma once

#include "ir/Graph.h"
#include "support/Error.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace edgec {

struct QuantPlan;

struct PassOptions {
  /// Constant folding never creates a constant above this many elements...
  int64_t foldMaxElements = int64_t(1) << 22;
  /// ...nor one that is more than this many bytes larger than its inputs.
  int64_t foldMaxGrowthBytes = int64_t(1) << 20;
  /// fuse-activation fuses only what integer kernels apply in their
  /// requantization (Relu, Clip as output clamps; LeakyRelu as a second
  /// multiplier); the others stay separate nodes, each with its own
  /// calibrated range (quantization pipelines).
  bool fuseQuantizableActivationsOnly = false;
  /// Ranges and scheme for insert-qdq (set by the quantizer).
  std::shared_ptr<const QuantPlan> quantPlan;
};

/// Named counters of one pass ("nodes-removed", "patterns-fused", ...).
class PassStats {
public:
  void add(const std::string &counter, int64_t n = 1) { counters_[counter] += n; }
  int64_t get(const std::string &counter) const {
    auto it = counters_.find(counter);
    return it == counters_.end() ? 0 : it->second;
  }
  const std::map<std::string, int64_t> &counters() const { return counters_; }
  void merge(const PassStats &o) {
    for (const auto &[k, v] : o.counters_) counters_[k] += v;
  }

private:
  std::map<std::string, int64_t> counters_;
};

struct PassContext {
  const PassOptions &options;
  PassStats &stats;
};

class Pass {
public:
  virtual ~Pass() = default;
  /// The kebab-case name used by --passes, --print-after and --stats.
  virtual const char *name() const = 0;
  /// Returns true when the model changed.
  virtual Expected<bool> run(Model &m, PassContext &ctx) = 0;
};

} // namespace edgec
