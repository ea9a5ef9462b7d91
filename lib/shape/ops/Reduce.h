// Shape rules of the Reduce family that its kernels
// (interp/kernels/Reduce.cpp) share with its inference.
#pragma once

#include "shape/InferUtil.h"

namespace edgec {

/// Whether the node takes its axes as input 1 (else as an attribute).
bool axesFromInput(const NodeContext &ctx);

/// Marks the reduced axes; empty `axes` means all. Rejects duplicates.
Expected<std::vector<bool>> reducedAxes(const NodeContext &ctx,
                                        const std::vector<int64_t> &axes,
                                        size_t rank);

/// Output dims of a reduction (keepdims keeps reduced axes as 1).
template <typename D>
std::vector<D> reducedDims(const std::vector<D> &in,
                           const std::vector<bool> &red, bool keep, D one) {
  std::vector<D> out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (!red[i])
      out.push_back(in[i]);
    else if (keep)
      out.push_back(one);
  }
  return out;
}

} // namespace edgec
