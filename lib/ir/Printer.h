// Readable text form of the IR (used by --print-after and FileCheck tests).
//
//   graph main(%x: f32[1,3,8,8]) {
//     %w = const f32[4,3,3,3]
//     %y: f32[1,4,6,6] = Conv(%x, %w) {kernel_shape = [3, 3]}  # conv1
//     return %y
//   }
#pragma once

#include "ir/Graph.h"

#include <ostream>
#include <string>

namespace edgec {

void printGraph(const Graph &g, std::ostream &os, int indent = 0);
std::string printGraphToString(const Graph &g);
/// One attribute value as text (tensors are summarised).
std::string printAttribute(const Attribute &a);

} // namespace edgec
