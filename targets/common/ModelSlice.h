// A part of a model as a model of its own: the nodes one target runs, to be
// compiled by another (the Edge TPU's CPU tail compiled for the MCU target).
#pragma once

#include "ir/Graph.h"
#include "support/Error.h"

#include <memory>
#include <vector>

namespace edgec::target {

/// A new model holding copies of `nodes` (nodes of m's main graph, in the
/// order given, which must be topological): the non-constant values they
/// read and none of them writes become its inputs (in order of first use),
/// the constants they read its initializers, and the values they write that
/// are outputs of m or read by nodes outside the slice its outputs (outputs
/// of m first, in m's order). Names, types and quantization are kept. Error
/// (Unsupported) for nodes holding subgraphs.
Expected<std::unique_ptr<Model>> sliceModel(const Model &m, const std::vector<const Node *> &nodes);

} // namespace edgec::target
