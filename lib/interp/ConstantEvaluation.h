// The interpreter as shape inference's constant evaluator
// (shape/ShapeInference.h): nodes whose inputs are all known constants run
// their kernel, so Shape -> Gather -> Concat -> Reshape chains become static.
// Importers take it through ImportOptions::evaluator; the frontend's
// loaders, the optimizer and the tools pass it.
#pragma once

#include "shape/ShapeInference.h"

namespace edgec {

/// Evaluates a node with its kernel when it has one for its domain and op
/// type (Unsupported otherwise); stateless and thread-safe.
const ConstantEvaluator &interpreterEvaluator();

/// ShapeInferenceOptions with the interpreter as evaluator.
ShapeInferenceOptions interpreterShapeInference();

} // namespace edgec
