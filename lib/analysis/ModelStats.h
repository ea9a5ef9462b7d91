// Static statistics of a model: parameters, MACs, activation sizes, ops.
#pragma once

#include "ir/Graph.h"
#include "support/Json.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace edgec {

struct NodeStats {
  std::string name;
  std::string opType;
  /// Multiply-accumulates; nullopt when shapes are not static.
  std::optional<int64_t> macs;
  /// Bytes of all outputs; nullopt when not static.
  std::optional<int64_t> outputBytes;
};

struct UnsupportedOp {
  std::string op; ///< "domain.Op" or "Op"
  int64_t opset = 0;
  int64_t count = 0;
  std::string firstNode;
};

struct ModelStats {
  int64_t nodeCount = 0;
  std::map<std::string, int64_t> opHistogram;
  int64_t parameterCount = 0;
  int64_t parameterBytes = 0;
  /// Total MACs over nodes with known MACs; macsComplete is false if some
  /// MAC-carrying node had non-static shapes.
  int64_t totalMacs = 0;
  bool macsComplete = true;
  std::string largestActivation;
  int64_t largestActivationBytes = 0;
  std::vector<NodeStats> nodes;
  std::vector<UnsupportedOp> unsupported;
};

/// MACs of one node (nullopt when shapes are unknown; 0 for ops that do no
/// multiply-accumulate work worth counting).
std::optional<int64_t> nodeMacs(const Node &n);

ModelStats computeModelStats(const Model &m);

/// The `edgec inspect --json` document (schema in docs/cli.md).
Json modelReportJson(const Model &m, const ModelStats &s);

} // namespace edgec
