// Shape rules of the Layout family that its kernels
// (interp/kernels/Layout.cpp) share with its inference.
#pragma once

#include "shape/InferUtil.h"

#include <optional>
#include <vector>

namespace edgec {

/// Tile (Tile-1 took `tiles` and `axis` inputs; Tile-6 a `repeats` list).
Expected<std::vector<int64_t>> tileRepeats(const NodeContext &ctx,
                                           size_t rank, const Tensor &a,
                                           const Tensor *axisT);

/// Pad: pads attribute (`paddings` in Pad-1) before opset 11, then inputs
/// pads, constant_value and (opset 18) axes. Negative pads crop. The full
/// [begin..., end...] pads for every axis (nullopt while an input is not a
/// constant); Ctx is an InferContext or the kernels' KernelContext.
template <typename Ctx>
Expected<std::optional<std::vector<int64_t>>>
padAmounts(const Ctx &ctx, size_t rank) {
  IntList pads = intList(ctx, 1, "pads");
  if (!pads.present) pads = intList(ctx, 1, "paddings");
  if (!pads.present) return ctx.error("missing pads");
  IntList axes = intList(ctx, 3, "");
  if (!pads.known || !axes.known)
    return std::optional<std::vector<int64_t>>();
  std::vector<int64_t> full(2 * rank, 0);
  if (axes.present) {
    if (pads.v.size() != 2 * axes.v.size())
      return ctx.error("pads has " + std::to_string(pads.v.size()) +
                       " entries for " + std::to_string(axes.v.size()) +
                       " axes");
    size_t n = axes.v.size();
    for (size_t i = 0; i < n; ++i) {
      EDGEC_ASSIGN_OR_RETURN(int64_t a,
                             normalizeAxis(ctx, axes.v[i], (int64_t)rank));
      full[(size_t)a] = pads.v[i];
      full[(size_t)a + rank] = pads.v[i + n];
    }
  } else {
    if (pads.v.size() != 2 * rank)
      return ctx.error("pads has " + std::to_string(pads.v.size()) +
                       " entries for rank " + std::to_string(rank));
    full = pads.v;
  }
  for (int64_t p : full)
    if (p < -(int64_t(1) << 40) || p > (int64_t(1) << 40))
      return ctx.error("pad amount " + std::to_string(p) + " is too large");
  return std::optional<std::vector<int64_t>>(full);
}

/// CenterCropPad: crops or zero-pads the given axes symmetrically (the extra
/// element of an odd difference goes to the end).
template <typename Ctx>
Expected<std::vector<int64_t>> cropAxes(const Ctx &ctx, size_t rank,
                                        size_t n) {
  std::vector<int64_t> axes = ctx.attrInts("axes");
  if (!ctx.hasAttr("axes"))
    for (size_t i = 0; i < rank; ++i) axes.push_back((int64_t)i);
  if (axes.size() != n)
    return ctx.error("shape has " + std::to_string(n) + " entries for " +
                     std::to_string(axes.size()) + " axes");
  for (int64_t &a : axes) {
    EDGEC_ASSIGN_OR_RETURN(a, normalizeAxis(ctx, a, (int64_t)rank));
  }
  return axes;
}

/// DepthToSpace / SpaceToDepth on NCHW tensors.
Expected<int64_t> blockSize(const NodeContext &ctx);

} // namespace edgec
