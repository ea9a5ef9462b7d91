// Executors: how compiled output runs for `edgec validate` and `edgec bench`
// (and the conformance runner): on the host, under QEMU Cortex-M, and later
// on a functional model of an NPU, through OpenCL or CUDA. A target lists
// the executors it supports (Target::executors) and creates them; validate
// and bench are the same for every target.
#pragma once

#include "ir/Graph.h"
#include "support/Error.h"
#include "support/Json.h"
#include "targets/Target.h"

#include <functional>
#include <string>
#include <vector>

namespace edgec::target {

struct ExecRequest {
  std::string dir;              ///< where the artifacts are written
  std::string name = "model";   ///< the package name (symbol and file stem)
  /// The artifacts themselves (a profiled run builds a second copy).
  const std::vector<Artifact> *artifacts = nullptr;
  std::vector<Tensor> inputs;   ///< in model-input order
  /// The graph outputs, for their types and shapes.
  std::vector<const Value *> outputs;
  int runs = 1, warmup = 0;
  /// Count per layer (a second build with probes: the totals are measured
  /// without them).
  bool profile = false;
  /// Size figures (flash, stack, ...) where the executor can measure them.
  bool sizes = false;
  std::string extraCflags;      ///< e.g. "-Werror"
  int timeoutSeconds = 600;
  /// Told each step as it starts ("building and running on qemu", ...),
  /// for progress; may be empty.
  std::function<void(const std::string &)> onStep;
};

struct ExecResult {
  std::vector<Tensor> outputs;
  /// The counter per run: "ns" (wall clock) or "instructions"/"cycles".
  std::string unit;
  uint64_t minCount = 0, medianCount = 0;
  std::vector<std::pair<std::string, uint64_t>> layers; ///< with profile
  /// Executor-specific figures (sizes, stack), JSON and one line each for people.
  Json metrics = Json::object();
  std::vector<std::string> metricLines;
  std::string log;              ///< build and run output
};

class Executor {
public:
  virtual ~Executor() = default;
  /// "host", "qemu cortex-m4", ...
  virtual std::string name() const = 0;
  /// The key of this executor's section in the bench report ("host", "qemu").
  virtual std::string reportKey() const = 0;
  /// Error (Unsupported) when the compiled model cannot fit where this
  /// executor runs it (from the compile report), naming the limit.
  virtual Status checkFits(const Json &compileReport) const {
    (void)compileReport;
    return Status::ok();
  }
  virtual Expected<ExecResult> run(const ExecRequest &r) const = 0;
};

} // namespace edgec::target
