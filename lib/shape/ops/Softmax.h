// Shape rules of the Softmax family that its kernels
// (interp/kernels/Softmax.cpp) share with its inference.
#pragma once

#include "shape/InferUtil.h"

#include <string>

namespace edgec {

Expected<std::string> lossReduction(const NodeContext &ctx);

} // namespace edgec
