// Shape and type inference over a whole model.
//
// Walks nodes in order. A node whose inputs are all known constants (small
// enough) is evaluated by the ConstantEvaluator the caller passes (the
// interpreter's, interp/ConstantEvaluation.h), so data-dependent shape
// computations (Shape -> Gather -> Concat -> Reshape) become static.
// Otherwise the op's InferFn (shape/ops/<Family>.cpp) computes output types.
// Shape and Size of static-shaped values are known constants too.
#pragma once

#include "ir/Graph.h"

#include <vector>

namespace edgec {

/// Evaluates one node on constant inputs during inference. Implemented by
/// the interpreter above this layer; callers pass it in.
class ConstantEvaluator {
public:
  virtual ~ConstantEvaluator() = default;
  /// The node's outputs for `inputs` (nullptr for omitted optional ones).
  /// Unsupported and Runtime errors mean "cannot evaluate" and fall back to
  /// the op's inference; other errors are diagnostics.
  virtual Expected<std::vector<Tensor>>
  evaluate(const Node &n, const std::vector<const Tensor *> &inputs) const = 0;
};

struct ShapeInferenceOptions {
  /// Largest constant (elements) consumed or kept by constant propagation;
  /// folding a node may allocate at most 16 bytes per such element.
  int64_t maxConstantElements = int64_t(1) << 20;
  /// Evaluates nodes whose inputs are all known constants; nullptr: only
  /// the ops' inference functions run (Shape and Size of static shapes are
  /// still constants).
  const ConstantEvaluator *evaluator = nullptr;
};

/// The value of a Shape (with its start/end) or Size node whose input has
/// the static shape s.
Tensor shapeOrSizeValue(const Node &n, const TensorShape &s);

/// A problem shape inference found, with the node it concerns.
struct ShapeDiagnostic {
  Error error;
  const Node *node = nullptr;
};

/// Infers types of all node outputs in place (subgraphs included) and
/// returns every problem found, in node order, each with its node.
std::vector<ShapeDiagnostic> inferShapesDiagnose(Model &m,
                                                 const ShapeInferenceOptions &o = {});
/// Infers types of all node outputs in place. Returns the problems found
/// (inconsistent shapes, failing constant evaluation) as diagnostics;
/// inference itself never fails on merely unknown shapes.
std::vector<Error> inferShapesCollect(Model &m,
                                      const ShapeInferenceOptions &o = {});
/// Like inferShapesCollect, dropping the diagnostics: import stays lenient
/// (problems on constant paths surface again when the model runs).
Status inferShapes(Model &m, const ShapeInferenceOptions &o = {});

} // namespace edgec
