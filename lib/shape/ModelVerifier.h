// The one model verification every edgec command runs after loading, before
// doing anything else (docs/cli.md, "One verifier"): a model is valid for
// all commands or for none, with the same one-line error and exit code.
//
//   1. structure (ir/Verifier.h): definitions before uses, no dangling or
//      duplicate values, every constant's data matching its declared type;
//   2. types and shapes: full shape inference, constants evaluated by the
//      caller's ConstantEvaluator, every problem it finds is an error (a
//      Reshape whose shape constant does not hold the input's element
//      count, Conv weights that do not match the input channels, operands
//      of different element types, ...);
//   3. declarations: a node output whose declared static type (ONNX
//      value_info, graph outputs, TFLite tensors) contradicts the type
//      computed from the model's own inputs and constants.
//
// Every failure is ErrorCode::InvalidModel (exit 4) naming the element.
#pragma once

#include "shape/ShapeInference.h"

namespace edgec {

struct VerifyOptions {
  /// Shape inference settings; the loaders pass the interpreter's
  /// evaluator, so constants are checked against their uses exactly as
  /// `edgec run` executes them.
  ShapeInferenceOptions inference;
  /// Compare declared node output types with the computed ones (off when
  /// the caller overrode input shapes: declarations then describe other
  /// shapes).
  bool checkDeclaredTypes = true;
};

/// What verification found: ok, or the first problem and (when it concerns
/// one) the node, so that `edgec inspect` can mark it.
struct Verdict {
  Status status;
  const Node *node = nullptr;
  bool isOk() const { return status.isOk(); }
};

/// Verifies m, inferring its types and shapes in place. The model stays
/// describable when verification fails (inspect prints it).
Verdict verifyModel(Model &m, const VerifyOptions &o = {});

} // namespace edgec
