// Import options of the unit tests: import as edgec's tools do, with the
// interpreter evaluating constant subexpressions during shape inference
// (ImportOptions::evaluator; test/shape/ShapeInferenceTest.cpp also covers
// importing without it).
#pragma once

#include "interp/ConstantEvaluation.h"
#include "onnx/OnnxImporter.h"

namespace edgec::test {

inline ImportOptions evaluating(ImportOptions o = {}) {
  o.evaluator = &interpreterEvaluator();
  return o;
}

} // namespace edgec::test
