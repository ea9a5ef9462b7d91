// Shape rules of the Resize family that its kernels
// (interp/kernels/Resize.cpp) share with its inference.
#pragma once

#include "shape/InferUtil.h"

#include <vector>

namespace edgec {

/// The resolved geometry of one Resize call.
struct ResizePlan {
  std::vector<int64_t> outShape;
  std::vector<double> scales;
  std::vector<double> roi; ///< 2 * rank entries, or empty
};

/// Resolves axes, scales / sizes, keep_aspect_ratio_policy and roi into
/// full-rank output sizes and scales. `scalesIn` / `sizesIn` are empty when
/// absent.
Expected<ResizePlan> planResize(const NodeContext &ctx, const TensorShape &in,
                                const std::vector<double> &scalesIn,
                                const std::vector<int64_t> &sizesIn,
                                const std::vector<double> &roiIn);

/// Input indices of (roi, scales, sizes) for the node's opset.
struct ResizeInputs {
  int roi = -1, scales = 1, sizes = -1;
};

ResizeInputs resizeInputIndices(const NodeContext &ctx);

// Upsample: scales as attribute (opset 7) or input 1 (opset 9).
Expected<std::vector<double>> upsampleScales(const NodeContext &ctx,
                                             const Tensor *scalesInput);

} // namespace edgec
