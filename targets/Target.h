// The target interface: what every back end (mcu, npu, edgetpu, gpu)
// declares and implements. See docs/targets.md for the contract and a
// skeleton to copy.
//
// A target is one class in targets/<name>/, created by a factory listed in
// targets/TargetRegistry.cpp (explicit registration, no static
// initializers). The driver (tools/edgec compile / validate / bench) does:
//
//   1. createTarget(name) and configure() with the user's --option values;
//   2. load the model, then target.prepare(): the pass pipeline the target
//      needs before lowering (optimization, layout, quantization folding);
//   3. target.partition(): which nodes the target runs and which (if any)
//      fall back to the CPU; a target without fallback reports every
//      unsupported node at once, with the reason, as one error;
//   4. target.emit(): the artifacts (files, relative to the output
//      directory; the driver writes them, so nothing lands outside it) and a
//      machine-readable report.
#pragma once

#include "ir/Graph.h"
#include "support/Error.h"
#include "support/Json.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace edgec::target {

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

/// A node the target cannot run, and why.
struct Unsupported {
  const Node *node = nullptr;
  std::string reason;
};

/// Where the nodes of the graph run.
struct Segment {
  enum Kind { Target, CpuFallback } kind = Target;
  std::vector<const Node *> nodes; ///< in schedule order
};
struct Partition {
  std::vector<Segment> segments;
  std::vector<Unsupported> unsupported; ///< fallback reasons (per node)
};

/// A file the target produces, relative to the output directory.
struct Artifact {
  std::string path; ///< "model.c", "runtime/kernels/conv_s8.c"; no "..", not absolute
  std::string content;
};

struct EmitOptions {
  std::string name = "model"; ///< C identifier / file stem of the package
};

struct EmitResult {
  std::vector<Artifact> files; ///< in a deterministic order
  Json report;                 ///< machine-readable compile report
  std::string textReport;      ///< the same for people
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
  /// Runs the passes the target needs before lowering.
  virtual Status prepare(Model &m) = 0;
  /// "" when the target can run node n as prepared; otherwise the reason.
  virtual std::string checkNode(const Node &n) const = 0;
  /// The default partition: everything on the target, or one error listing
  /// every unsupported node. Targets with CPU fallback override this.
  virtual Expected<Partition> partition(const Model &m) const;
  virtual Expected<EmitResult> emit(const Model &m, const Partition &p,
                                    const EmitOptions &opts) = 0;

  /// Decisions taken for the user (prepare, emit), printed as notes.
  std::vector<std::string> notes;
};

/// Names of all registered targets, in registration order.
std::vector<std::string> targetNames();
/// A fresh instance of the named target; error listing the known ones.
Expected<std::unique_ptr<Target>> createTarget(const std::string &name);

/// The error for unsupported nodes: one line naming every node (op, name,
/// reason), ErrorCode::Unsupported.
Error unsupportedNodesError(const std::string &target,
                            const std::vector<Unsupported> &nodes);

/// Writes each artifact under dir (created). Paths must be relative and
/// stay inside dir (checked: an artifact path with ".." or a root is an
/// internal error, never a write outside).
Status writeArtifacts(const std::string &dir, const std::vector<Artifact> &files);

} // namespace edgec::target
