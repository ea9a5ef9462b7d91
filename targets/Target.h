// The target interface: what every back end (mcu, npu, edgetpu, gpu, llvm)
// declares and implements. See docs/targets.md for the contract and the
// skeleton target (targets/skeleton/) to copy.
//
// A target is one class in targets/<name>/, created by a factory listed in
// targets/TargetRegistry.cpp (explicit registration, no static
// initializers). The driver (targets/Driver.h: compile, validate, bench,
// inspect --target and the conformance runner) does:
//
//   1. createTarget(name) and configure() with the user's --option values
//      (and the fallback target's, when the target declares one);
//   2. load the model, then target.prepareModel() (static shapes, batch 1)
//      and the passes of target.pipeline(), run by the driver's pass manager
//      so `--print-after`, `--print-after-all` and `--stats` work;
//   3. partitionModel(): every node placed on the target, on its fallback
//      target or nowhere, by the target's partition policy (Partition.h);
//      nodes that run nowhere are all reported at once, with the reasons;
//   4. target.emit(): the artifacts (files, relative to the output
//      directory; the driver writes them, so nothing lands outside it) and a
//      machine-readable report. Targets whose code is printed by the shared
//      C emitter lower nodes into a lowered program (common/Program.h) with
//      lowerNode(), so a target's CPU segments reuse the mcu lowerings;
//   5. validate and bench run the artifacts through the target's executors
//      (Executor.h): the host, QEMU Cortex-M, later a functional model of an
//      NPU, OpenCL or CUDA.
#pragma once

#include "ir/Graph.h"
#include "passes/PassRegistry.h"
#include "support/Error.h"
#include "support/Json.h"
#include "targets/Partition.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace edgec::target {

class Executor;
class StepBuilder;

/// One --option the target accepts (`edgec targets` lists them).
struct TargetOption {
  std::string name;
  std::string help;
  std::string defaultValue;
  std::vector<std::string> choices; ///< empty: free-form
};

/// One op the target supports, with the element types and any constraint.
struct OpSupport {
  std::string op;                 ///< ONNX op type
  std::vector<std::string> types; ///< "float32", "int8", ...
  std::string note;               ///< constraints in words ("2-D only")
};

enum class Layout { Any, NCHW, NHWC };
const char *layoutName(Layout l);

/// The passes a target needs before partitioning, run by the driver.
struct Pipeline {
  PassOptions options;
  std::vector<PipelineStage> stages;
  /// Appends one stage of comma-separated pass names ("fold-qdq,inline-if").
  void add(const std::string &csv, bool fixedPoint = false);
  /// Appends the stages of an optimization level (-O0 .. -O3).
  void addLevel(int level);
};

/// A file the target produces, relative to the output directory.
struct Artifact {
  std::string path; ///< "model.c", "runtime/kernels/conv_s8.c"; no "..", not absolute
  std::string content;
};

class Target;

/// A target's own view of a partition, for `inspect --target` (the Edge
/// TPU: the compiler's operation table); absent for most targets.
struct PlacementView {
  bool present = false;
  Json json;        ///< under targets[].prediction in `inspect --json`
  std::string text; ///< printed after the placements
};

/// What emit() gets besides the model and its partition.
struct EmitContext {
  std::string name = "model"; ///< C identifier / file stem of the package
  /// The configured fallback target (null when the policy has none).
  Target *fallback = nullptr;
};

struct EmitResult {
  std::vector<Artifact> files; ///< in a deterministic order
  Json report;                 ///< machine-readable compile report
  std::string textReport;      ///< the same for people
  /// Not OK for a target that stops short of a package (the NPU before its
  /// code generation exists): `edgec compile` writes the files and prints
  /// the report, then fails with this error; validate and bench fail with
  /// it at once.
  Status unfinished = Status::ok();
};

class Target {
public:
  virtual ~Target() = default;
  virtual std::string name() const = 0;
  virtual std::string description() const = 0;
  virtual std::vector<TargetOption> options() const = 0;
  /// Applies --option values (name -> value); error naming a bad one.
  virtual Status configure(const std::map<std::string, std::string> &values) = 0;
  /// The ops the target supports (for `edgec targets` and `inspect`).
  virtual std::vector<OpSupport> supportedOps() const = 0;
  virtual Layout preferredLayout() const = 0;

  /// Adjusts the model before its pipeline (e.g. batch 1 for a dynamic
  /// batch dimension, with a note); error for models the target can never
  /// take (dynamic shapes for generated code).
  virtual Status prepareModel(Model &m) = 0;
  /// The passes to run before partitioning (may depend on the model: a QDQ
  /// model folds into integer ops, a float model is optimized).
  virtual Pipeline pipeline(const Model &m) const = 0;

  /// "" when the target can run node n as prepared; otherwise the reason,
  /// naming the failing constraint.
  virtual std::string checkNode(const Node &n) const = 0;
  virtual PartitionPolicy partitionPolicy() const { return PartitionPolicy::AllOrError; }
  /// The target that runs what this one cannot ("" = none).
  virtual std::string fallbackTarget() const { return ""; }

  /// Lowers one node placed on this target into program steps (targets
  /// whose code the shared C emitter prints; the default refuses).
  virtual Status lowerNode(StepBuilder &b) const;

  virtual Expected<EmitResult> emit(const Model &m, const Partition &p,
                                    const EmitContext &ctx) = 0;
  /// The target's own account of partition p of prepared model m for
  /// `inspect --target` (default: none).
  virtual PlacementView describePlacement(const Model &m, const Partition &p) const;

  /// Where compiled output can run ("host", "qemu", ...).
  virtual std::vector<std::string> executors() const { return {}; }
  /// Where `validate` runs it unless told (default: the first executor).
  virtual std::string defaultExecutor() const;
  /// An executor for `where` ("" = the default); error naming the known ones.
  virtual Expected<std::unique_ptr<Executor>> createExecutor(const std::string &where) const;

  /// Decisions taken for the user (prepare, emit), printed as notes.
  std::vector<std::string> notes;
};

/// Names of all registered targets, in registration order.
std::vector<std::string> targetNames();
/// A fresh instance of the named target; error listing the known ones.
Expected<std::unique_ptr<Target>> createTarget(const std::string &name);

/// Writes each artifact under dir (created). Paths must be relative and
/// stay inside dir (checked: an artifact path with ".." or a root is an
/// internal error, never a write outside).
Status writeArtifacts(const std::string &dir, const std::vector<Artifact> &files);

} // namespace edgec::target
