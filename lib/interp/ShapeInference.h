// Shape and type inference over a whole model.
//
// Walks nodes in order. A node whose inputs are all known constants (small
// enough) is evaluated with its kernel, so data-dependent shape computations
// (Shape -> Gather -> Concat -> Reshape) become static. Otherwise the op's
// InferFn (next to its kernel) computes output types. Shape and Size of
// static-shaped values are known constants too.
#pragma once

#include "ir/Graph.h"

#include <vector>

namespace edgec {

struct ShapeInferenceOptions {
  /// Largest constant (elements) consumed or kept by constant propagation;
  /// folding a node may allocate at most 16 bytes per such element.
  int64_t maxConstantElements = int64_t(1) << 20;
};

/// The value of a Shape (with its start/end) or Size node whose input has
/// the static shape s.
Tensor shapeOrSizeValue(const Node &n, const TensorShape &s);

/// Infers types of all node outputs in place. Returns the problems found
/// (inconsistent shapes, failing constant evaluation) as diagnostics;
/// inference itself never fails on merely unknown shapes.
std::vector<Error> inferShapesCollect(Model &m,
                                      const ShapeInferenceOptions &o = {});
/// Like inferShapesCollect, dropping the diagnostics: import stays lenient
/// (problems on constant paths surface again when the model runs).
Status inferShapes(Model &m, const ShapeInferenceOptions &o = {});

} // namespace edgec
