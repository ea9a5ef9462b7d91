// Shape rules of the Gather family that its kernels
// (interp/kernels/Gather.cpp) share with its inference.
#pragma once

#include "shape/InferUtil.h"

namespace edgec {

/// OneHot
Expected<int64_t> oneHotDepth(const NodeContext &ctx, const Tensor &t);

} // namespace edgec
