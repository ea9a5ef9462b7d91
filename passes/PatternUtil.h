// Helpers shared by the rewrite passes: use counts, constant inspection and
// node replacement that keeps graph-output names.
#pragma once

#include "ir/Graph.h"

#include <functional>
#include <map>
#include <optional>

namespace edgec {

/// Number of node inputs (subgraph captures included) and graph outputs
/// referring to each value of a graph. Pointer keys are for lookup only.
class UseCounts {
public:
  explicit UseCounts(const Graph &g);
  int uses(const Value *v) const;
  /// True when v has exactly one use, by a node (not a graph output).
  bool singleUse(const Value *v) const;

private:
  std::map<const Value *, int> uses_;
  const Graph &g_;
};

/// Constant data of v (initializer or folded value), or nullptr.
inline const Tensor *constantOf(const Value *v) {
  return v && v->constant ? &*v->constant : nullptr;
}
/// When v is a constant whose elements are all equal, that value.
std::optional<double> uniformConstant(const Value *v);
/// True when v is a constant float scalar-like tensor equal to `x` (within
/// a relative tolerance for values written in decimal by exporters).
bool isConstantNear(const Value *v, double x, double relTol = 1e-6);

/// The node producing v when it has op type `op` (default domain), else null.
Node *producerIs(const Value *v, const char *op);
/// True for a node in the default ONNX domain with this op type.
inline bool isOp(const Node *n, const char *op) {
  return n && n->domain.empty() && n->opType == op;
}

/// Adds an initializer with a fresh name derived from `base`.
Value *addConstant(Graph &g, const std::string &base, Tensor t);

/// Replaces node `old` by a new node of `opType` placed where it was; the
/// new node takes over old's output values (names, users and graph-output
/// status preserved). Returns the new node.
Node *replaceNode(Graph &g, Node *old, const std::string &opType,
                  std::vector<Value *> inputs, std::string domain = {});

/// Makes `last`'s output 0 be computed by `replacement` output 0 instead:
/// moves the value (with its name) to `replacement`, whose former output
/// value must be unused. Used when a pattern's root is not its last node.
void takeOverOutput(Graph &g, Node *last, Node *replacement);

/// Removes nodes whose outputs are all unused (iteratively) and values
/// nothing refers to. Returns the number of nodes removed.
int removeDeadNodes(Graph &g);

/// Static shape of v, if known.
std::optional<TensorShape> staticShape(const Value *v);

/// Shape of `t` broadcast to rank `rank` (leading 1s), if possible.
TensorShape rightAlignedShape(const TensorShape &s, size_t rank);

/// Calls f on g and every subgraph (depth first), g first.
void forEachGraph(Graph &g, const std::function<void(Graph &)> &f);

} // namespace edgec

namespace edgec {

/// Makes every use of `out` use `in` instead, so the node producing `out`
/// becomes dead. When `out` is a graph output its name must survive: then
/// `in`'s producer is made to produce `out` directly (possible when `in` is
/// a node output of g that is neither a graph input nor output). Returns
/// false, changing nothing, when neither is possible.
bool forwardValue(Graph &g, Value *out, Value *in);

} // namespace edgec
