// Shape rules of the Shape family that its kernels
// (interp/kernels/Shape.cpp) share with its inference.
#pragma once

#include "shape/InferUtil.h"

#include <optional>
#include <vector>

namespace edgec {

using Dims = std::vector<Dim>;

/// Product of dims[b, e) as a Dim: a single dim is copied (keeping its
/// symbol), static dims multiply, anything else is unknown.
Dim dimProduct(const Dims &dims, size_t b, size_t e);

/// Output dims of Reshape. `in` is null when the input rank is unknown.
Expected<Dims> reshapeDims(const NodeContext &ctx, const Dims *in,
                           const std::vector<int64_t> &spec, bool allowZero);

/// Output dims of Flatten.
Expected<Dims> flattenDims(const NodeContext &ctx, const Dims &in);

/// Output dims of Squeeze (axes: attribute before opset 13, input from 13); nullopt when the rank cannot be known (no axes
/// and some dims are not static).
Expected<std::optional<Dims>> squeezeDims(const NodeContext &ctx,
                                          const Dims &in, const IntList &axes);

/// Output dims of Unsqueeze.
Expected<Dims> unsqueezeDims(const NodeContext &ctx, const Dims &in,
                             const std::vector<int64_t> &axes);

/// The perm of a Transpose of rank `rank` (default: reversed), validated.
Expected<std::vector<int64_t>> transposePerm(const NodeContext &ctx,
                                             size_t rank);

/// The axis attribute of Concat.
int64_t concatAxisAttr(const NodeContext &ctx);

/// Chunk sizes of Split along the split axis (dim < 0 when unknown; then only an
/// explicit split list gives sizes).
Expected<std::vector<int64_t>> splitSizes(const NodeContext &ctx,
                                          int64_t dim, const IntList &split,
                                          size_t numOutputs);

/// The part of one dim a Slice keeps.
struct SliceAxis {
  int64_t start = 0, step = 1, count = 0;
};

struct SliceSpec {
  bool known = true;
  std::vector<int64_t> starts, ends, axes, steps;
};

/// Starts, ends, axes and steps of a Slice: attributes before opset 10,
/// inputs (with steps) from 10; `known` is false when inference sees an
/// input that is not a constant. Ctx is an InferContext or the kernels'
/// KernelContext (intList of either).
template <typename Ctx> Expected<SliceSpec> sliceSpec(const Ctx &ctx) {
  SliceSpec s;
  IntList starts = intList(ctx, 1, "starts"), ends = intList(ctx, 2, "ends"),
          axes = intList(ctx, 3, "axes"), steps = intList(ctx, 4, "steps");
  if (!starts.present || !ends.present)
    return ctx.error("missing starts or ends");
  s.known = starts.known && ends.known && axes.known && steps.known;
  s.starts = starts.v;
  s.ends = ends.v;
  if (!s.known) return s;
  if (s.starts.size() != s.ends.size())
    return ctx.error("starts and ends have different lengths");
  size_t n = s.starts.size();
  if (axes.present) {
    s.axes = axes.v;
  } else {
    for (size_t i = 0; i < n; ++i) s.axes.push_back((int64_t)i);
  }
  s.steps = steps.present ? steps.v : std::vector<int64_t>(n, 1);
  if (s.axes.size() != n || s.steps.size() != n)
    return ctx.error("starts, ends, axes and steps have different lengths");
  return s;
}

/// Start and element count of slicing a dim of size `dim` (ONNX clamping
/// rules; no overflow for any int64 start/end).
Expected<SliceAxis> sliceAxis(const NodeContext &ctx, int64_t dim,
                              int64_t start, int64_t end, int64_t step);

/// The [start, end) of the dims a Shape node returns for rank r.
std::pair<int64_t, int64_t> shapeRange(const NodeContext &ctx, int64_t r);

} // namespace edgec
