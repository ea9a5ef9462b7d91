// Shape and type inference of the Layout family (kernels:
// interp/kernels/Layout.cpp).
#include "shape/ops/Layout.h"

#include <algorithm>

namespace edgec {

Expected<std::vector<int64_t>> tileRepeats(const NodeContext &ctx,
                                           size_t rank, const Tensor &a,
                                           const Tensor *axisT) {
  std::vector<int64_t> rep;
  if (axisT) {
    if (a.numElements() != 1 || axisT->numElements() != 1)
      return ctx.error("tiles and axis must be scalars");
    rep.assign(rank, 1);
    EDGEC_ASSIGN_OR_RETURN(
        int64_t axis, normalizeAxis(ctx, axisT->getInt64(0), (int64_t)rank));
    if (rank == 0) return ctx.error("cannot tile a scalar along an axis");
    rep[(size_t)axis] = a.getInt64(0);
  } else {
    rep = a.toInt64Vector();
  }
  if (rep.size() != rank)
    return ctx.error("repeats has " + std::to_string(rep.size()) +
                     " entries for rank " + std::to_string(rank));
  for (int64_t v : rep)
    if (v < 0) return ctx.error("negative repeat " + std::to_string(v));
  return rep;
}

Expected<int64_t> blockSize(const NodeContext &ctx) {
  int64_t b = ctx.attrInt("blocksize", 0);
  if (b <= 0 || b > (int64_t(1) << 20))
    return ctx.error("invalid blocksize " + std::to_string(b));
  return b;
}

namespace {

using Dims = std::vector<Dim>;

Status inferExpand(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  ctx.outputs[0] = TensorType(x.dtype);
  const Tensor *shape = ctx.inputValue(1);
  if (!shape) {
    int64_t n = shapeInputLength(ctx.inputType(1));
    if (x.hasRank && n >= 0)
      ctx.outputs[0] = TensorType(
          x.dtype, Dims(std::max<size_t>(x.rank(), (size_t)n), Dim{}));
    return Status::ok();
  }
  std::vector<int64_t> s = shape->toInt64Vector();
  for (int64_t d : s)
    if (d < 0) return ctx.error("invalid expand shape " + shapeToString(s));
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0],
                         broadcastTypes(ctx, x, TensorType(x.dtype, s),
                                        x.dtype));
  return Status::ok();
}

Status inferTile(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  ctx.outputs[0] = TensorType(x.dtype);
  if (!x.hasRank) return Status::ok();
  const Tensor *a = ctx.inputValue(1);
  const Tensor *axisT = ctx.hasInput(2) ? ctx.inputValue(2) : nullptr;
  if (!a || (ctx.hasInput(2) && !axisT)) {
    ctx.outputs[0] = TensorType(x.dtype, Dims(x.rank(), Dim{}));
    return Status::ok();
  }
  EDGEC_ASSIGN_OR_RETURN(auto rep, tileRepeats(ctx, x.rank(), *a, axisT));
  Dims out = x.dims;
  for (size_t i = 0; i < out.size(); ++i) {
    if (rep[i] == 1) continue;
    out[i] = out[i].isStatic() && out[i].value <= (int64_t(1) << 40) / 
                 std::max<int64_t>(rep[i], 1)
                 ? Dim::fixed(out[i].value * rep[i])
                 : Dim::unknown();
  }
  ctx.outputs[0] = TensorType(x.dtype, std::move(out));
  return Status::ok();
}

Status inferPad(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  ctx.outputs[0] = TensorType(x.dtype);
  if (!x.hasRank) return Status::ok();
  size_t r = x.rank();
  EDGEC_ASSIGN_OR_RETURN(auto pads, padAmounts(ctx, r));
  if (!pads) {
    ctx.outputs[0] = TensorType(x.dtype, Dims(r, Dim{}));
    return Status::ok();
  }
  Dims out = x.dims;
  for (size_t d = 0; d < r; ++d) {
    int64_t b = (*pads)[d], e = (*pads)[d + r];
    if (b == 0 && e == 0) continue;
    if (!out[d].isStatic() || out[d].value > (int64_t(1) << 50)) {
      out[d] = Dim::unknown();
      continue;
    }
    int64_t n = out[d].value + b + e;
    if (n < 0) return ctx.error("pads crop an axis below size 0");
    out[d] = Dim::fixed(n);
  }
  ctx.outputs[0] = TensorType(x.dtype, std::move(out));
  return Status::ok();
}

Status inferCenterCropPad(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  ctx.outputs[0] = TensorType(x.dtype);
  if (!x.hasRank) return Status::ok();
  Dims out = x.dims;
  const Tensor *t = ctx.inputValue(1);
  if (!t) {
    std::vector<int64_t> axes = ctx.attrInts("axes");
    if (!ctx.hasAttr("axes")) out = Dims(x.rank(), Dim{});
    for (int64_t a : axes) {
      EDGEC_ASSIGN_OR_RETURN(int64_t n,
                             normalizeAxis(ctx, a, (int64_t)x.rank()));
      out[(size_t)n] = Dim::unknown();
    }
  } else {
    std::vector<int64_t> target = t->toInt64Vector();
    EDGEC_ASSIGN_OR_RETURN(auto axes, cropAxes(ctx, x.rank(), target.size()));
    for (size_t i = 0; i < axes.size(); ++i)
      out[(size_t)axes[i]] = Dim::fixed(std::max<int64_t>(target[i], 0));
  }
  ctx.outputs[0] = TensorType(x.dtype, std::move(out));
  return Status::ok();
}

/// Inference for both: channels scale by 1/b^2 (DepthToSpace) or b^2,
/// spatial dims by b or 1/b.
Status inferDepthSpace(InferContext &ctx, bool toSpace) {
  const TensorType &x = ctx.inputType(0);
  ctx.outputs[0] = TensorType(x.dtype, Dims(4));
  EDGEC_ASSIGN_OR_RETURN(int64_t b, blockSize(ctx));
  if (!x.hasRank) return Status::ok();
  if (x.rank() != 4) return ctx.error("input must have rank 4");
  auto scale = [&](const Dim &d, bool up, int64_t f) {
    if (!d.isStatic()) return Dim::unknown();
    int64_t v = d.value;
    if (up) return mulInto(v, f) ? Dim::fixed(v) : Dim::unknown();
    return d.value % f == 0 ? Dim::fixed(d.value / f) : Dim::unknown();
  };
  Dims out = {x.dims[0], scale(x.dims[1], !toSpace, b * b),
              scale(x.dims[2], toSpace, b), scale(x.dims[3], toSpace, b)};
  ctx.outputs[0] = TensorType(x.dtype, std::move(out));
  return Status::ok();
}

} // namespace

void registerLayoutInference(InferRegistry &r) {
  r.add("Expand", inferExpand);
  r.add("Tile", inferTile);
  r.add("Pad", inferPad);
  r.add("CenterCropPad", inferCenterCropPad);
  r.add("DepthToSpace",
        [](InferContext &c) { return inferDepthSpace(c, true); });
  r.add("SpaceToDepth",
        [](InferContext &c) { return inferDepthSpace(c, false); });
}

} // namespace edgec
