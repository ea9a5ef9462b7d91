// Partitioning: which target runs each node.
//
// A target declares a policy and, optionally, a fallback target:
//   all-or-error  every node on the target, or one error naming every node
//                 it cannot run (today's MCU);
//   fallback      each node the target cannot run goes to the fallback
//                 target, with the failing constraint as the reason (the NPU:
//                 unsupported ops on the Cortex-M through `mcu`);
//   prefix        nodes run on the target up to the first one it cannot run;
//                 that node and every later one go to the fallback (the Edge
//                 TPU compiler's single-partition rule).
// Consecutive nodes on one target form a segment, whose boundary values are
// what crosses between segments (or the graph's inputs and outputs).
#pragma once

#include "ir/Graph.h"
#include "support/Error.h"
#include "support/Json.h"

#include <string>
#include <vector>

namespace edgec::target {

class Target;

enum class PartitionPolicy { AllOrError, Fallback, Prefix };
const char *partitionPolicyName(PartitionPolicy p);

/// Where one node runs, and why not on the primary target.
struct NodePlacement {
  enum class Kind {
    OnTarget,    ///< runs on the primary target
    Fallback,    ///< runs on the fallback target; `reason` says why
    Unsupported, ///< runs nowhere; `reason` says why
  };
  const Node *node = nullptr;
  Kind kind = Kind::OnTarget;
  std::string target; ///< who runs it ("" when unsupported)
  std::string reason; ///< the primary target's refusal (and the fallback's)
};
const char *placementKindName(NodePlacement::Kind k);

/// Consecutive nodes (in schedule order) on one target.
struct Segment {
  std::string target;
  std::vector<const Node *> nodes;
  /// Values the segment reads that come from outside it: graph inputs and
  /// other segments' outputs (constants excluded), in first-use order.
  std::vector<const Value *> inputs;
  /// Values the segment produces that later segments or the caller read.
  std::vector<const Value *> outputs;
};

struct Partition {
  std::string target;   ///< the primary target
  std::string fallback; ///< "" when the policy has none
  PartitionPolicy policy = PartitionPolicy::AllOrError;
  std::vector<NodePlacement> placements; ///< one per node, schedule order
  std::vector<Segment> segments;

  /// The placement of node n (asserts it is in the partition).
  const NodePlacement &placementOf(const Node *n) const;
  /// Nodes that run nowhere.
  std::vector<const NodePlacement *> unsupported() const;
  size_t count(NodePlacement::Kind k) const;
};

/// Places every node of m's main graph by `t`'s policy (asking `fallback`,
/// which may be null, about the nodes `t` cannot run) and forms segments.
/// Never fails: nodes nobody runs are placed Unsupported.
Partition partitionModel(const Model &m, const Target &t, const Target *fallback);

/// Error (ErrorCode::Unsupported) naming every unsupported node with its
/// reason in one line, or OK.
Status requireSupported(const Partition &p);

/// The placements as JSON: {"target", "fallback", "policy", "nodes": [{"node",
/// "op", "placement", "target", "reason"}], "segments": [{"target", "nodes",
/// "inputs", "outputs"}], "counts": {...}}.
Json partitionJson(const Partition &p);
/// The same for people: one line per node ("runs on mcu", "falls back to mcu
/// (reason)", "unsupported (reason)") after a summary line.
std::string partitionText(const Partition &p);

} // namespace edgec::target
