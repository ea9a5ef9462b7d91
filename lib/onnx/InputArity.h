// Checks that every node has the inputs its op requires, before any kernel
// or inference function runs (so a hostile model cannot reach a kernel with
// a required input missing).
#pragma once

#include "ir/Graph.h"

namespace edgec {

/// Uses the ONNX operator schemas for input arity only (which positions are
/// required); op semantics stay edgec's own. Ops unknown to the schema
/// registry are not checked here.
Status checkRequiredInputs(const Graph &g);

} // namespace edgec
