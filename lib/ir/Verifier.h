// Structural checks of the IR: use-before-def, dangling values, type/shape
// consistency of constants. Run after import and (in debug builds) after
// every pass.
#pragma once

#include "ir/Graph.h"

namespace edgec {

/// Verifies g and its subgraphs. Returns the first problem found.
Status verifyGraph(const Graph &g);

} // namespace edgec
