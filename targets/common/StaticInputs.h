// Generated code has static shapes: the preparation shared by the targets
// that compile to fixed buffers.
#pragma once

#include "ir/Graph.h"
#include "support/Error.h"

#include <string>
#include <vector>

namespace edgec::target {

/// A dynamic batch dimension (the only dynamic dim of an input) becomes 1,
/// with a note; any other dynamic input is an error (Unsupported) naming the
/// inputs and --input-shape.
Status fixStaticInputs(Model &m, std::vector<std::string> &notes);

} // namespace edgec::target
