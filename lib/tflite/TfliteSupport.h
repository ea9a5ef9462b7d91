// The support query: can a node be written as TFLite for a consumer
// (TfliteProfile), as which builtin operators and versions, and if not,
// why. For back ends that hand a .tflite file to another compiler (Edge TPU,
// Ethos-U) and partition the graph by what it accepts.
//
// One definition: the answers are the writer's own conversion loop
// (write/SubgraphWriter) run on the node's graph without keeping the
// buffer data, so the writer refuses exactly the nodes the query refuses,
// with the same reason, and writes exactly the operators it reports.
#pragma once

#include "ir/Graph.h"
#include "tflite/TfliteProfile.h"

#include <cstdint>
#include <string>
#include <vector>

namespace edgec {

/// One builtin operator as the writer writes it.
struct TfliteOperatorUse {
  std::string name; ///< TFLite's operator name, "CONV_2D"
  int32_t code = 0; ///< its BuiltinOperator value
  int version = 1;  ///< the operator version written in its OperatorCode
  bool operator==(const TfliteOperatorUse &) const = default;
};

/// The answer for one node.
struct TfliteSupport {
  /// "" when the node can be written; otherwise the reason, naming the
  /// value, attribute or operator (the writer's error shows the same text
  /// after the node's label).
  std::string reason;
  /// The operators the node is written as, in file order: the one the node
  /// becomes plus any the writer adds around it (padding, requantization,
  /// reshapes, a separate activation). Empty when refused, and for nodes
  /// written as no operator (Constant, an Identity or Dropout read through,
  /// a Sqrt whose Reciprocal becomes RSQRT).
  std::vector<TfliteOperatorUse> operators;
  /// Index in `operators` of the one the node becomes; -1 when none.
  int principal = -1;
  bool supported() const { return reason.empty(); }
};

/// The answers for every node of `g` (prepared for writing, as by
/// prepareForTflite), in g.nodes() order. A subgraph (an If branch) is
/// answered as the writer writes it, with the values it reads from
/// enclosing graphs as inputs.
std::vector<TfliteSupport> tfliteSupport(const Graph &g,
                                         const TfliteProfile &profile);
/// The answer for one node (runs the graph form on the node's graph; ask
/// for the whole graph when you need several).
TfliteSupport tfliteSupport(const Node &n, const TfliteProfile &profile);

/// The IR op types (default domain) the writer has a converter for, sorted.
std::vector<std::string> tfliteWritableOps();

} // namespace edgec
