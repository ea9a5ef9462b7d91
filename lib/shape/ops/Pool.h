// Shape rules of the Pool family that its kernels
// (interp/kernels/Pool.cpp) share with its inference.
#pragma once

#include "shape/InferUtil.h"

namespace edgec {

/// Pool geometry over spatial dims `in` (entries may be -1 = unknown).
Expected<WindowGeometry> poolGeom(const NodeContext &ctx,
                                  const std::vector<int64_t> &in);

/// Default MaxUnpool output dims: (in - 1) * stride + kernel - pads.
Expected<std::vector<int64_t>> unpoolDims(const NodeContext &ctx,
                                          const std::vector<int64_t> &in);

} // namespace edgec
