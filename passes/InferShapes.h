// Shape inference as the optimizer runs it (pass infer-shapes): lib/shape's
// inference with the interpreter evaluating nodes whose inputs are all
// constants. For code built on the passes that re-infers after rewriting a
// model (the TFLite writer).
#pragma once

#include "ir/Graph.h"

namespace edgec {

/// inferShapes (shape/ShapeInference.h) with interpreterShapeInference().
Status inferShapesWithConstants(Model &m);

} // namespace edgec
