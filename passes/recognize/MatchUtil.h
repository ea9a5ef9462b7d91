// Matching helpers for the recognize-* passes.
#pragma once

#include "passes/Pass.h"
#include "passes/PatternUtil.h"

#include <functional>

namespace edgec {

/// Constant bounds of a Clip (attribute or input form); absent bounds are
/// +-infinity. nullopt when a bound is not a constant scalar.
std::optional<std::pair<double, double>> clipBounds(const Node &clip);

/// Axes of a Reduce* node (attribute or input form) normalised to
/// [0, rank), sorted; and its keepdims. nullopt when not constant/known.
struct ReduceInfo {
  std::vector<int64_t> axes;
  bool keepdims = true;
};
std::optional<ReduceInfo> reduceInfo(const Node &n, size_t rank);

/// For a binary node, the operand that is not `v` (nullptr if neither is v).
Value *otherOperand(const Node &n, const Value *v);
/// For a binary node with one constant operand, the other operand and the
/// uniform constant value.
std::optional<std::pair<Value *, double>> withScalarConstant(const Node &n);

/// True when each value has exactly the given number of uses and is not a
/// graph output (intermediates of a pattern that may be removed).
bool usesExactly(const UseCounts &uc,
                 std::initializer_list<std::pair<const Value *, int>> vs);

/// True when a and b are known to have the same element type and shape:
/// equal static shapes, or equal ranked types whose dims are all static or
/// named symbols (same symbol = same size).
bool sameShapeAndType(const Value *a, const Value *b);

/// Common driver: calls `match` on every node of every graph (in order) and
/// removes dead nodes after; counts successes under `counter`.
Expected<bool> runMatcher(Model &m, PassContext &ctx, const char *counter,
                          const std::function<bool(Graph &, Node *)> &match);

/// Replaces `root` (the pattern's last node) by a new node `op` on `inputs`
/// taking over root's outputs; sets the opset version the op needs.
Node *replaceWithOp(Graph &g, Node *root, const std::string &op,
                    std::vector<Value *> inputs, int64_t opset);

} // namespace edgec
