// Layout kernels: ops that build a differently laid-out tensor from one input
// by broadcasting, repeating, padding or regrouping its elements (Expand,
// Tile, Pad, CenterCropPad, DepthToSpace, SpaceToDepth). They are all
// expressed as a strided or per-axis-mapped element copy (CopyUtil.h).
#include "interp/kernels/CopyUtil.h"

#include <algorithm>

namespace edgec {

namespace {

using Dims = std::vector<Dim>;
using copyutil::IntList;
using copyutil::intList;

/// Input-shape strides for broadcasting `in` to `out` (right-aligned; 0 for
/// broadcast dims).
std::vector<int64_t> broadcastStrides(const TensorShape &in,
                                      const TensorShape &out) {
  std::vector<int64_t> s = stridesOf(in), r(out.size(), 0);
  size_t off = out.size() - in.size();
  for (size_t i = 0; i < in.size(); ++i)
    r[i + off] = in[i] == 1 ? 0 : s[i];
  return r;
}

// ---------------------------------------------------------------------------
// Expand: bidirectional broadcast of the input to a shape.

Status runExpand(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  std::vector<int64_t> shape = ctx.input(1).toInt64Vector();
  for (int64_t d : shape)
    if (d < 0)
      return ctx.error("invalid expand shape " + shapeToString(shape),
                       ErrorCode::InvalidInput);
  EDGEC_ASSIGN_OR_RETURN(TensorShape os,
                         broadcastShapes(ctx, x.shape(), shape));
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(x.dtype(), os));
  copyutil::stridedCopy(x, 0, broadcastStrides(x.shape(), os), out);
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}

Status inferExpand(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  ctx.outputs[0] = TensorType(x.dtype);
  const Tensor *shape = ctx.inputValue(1);
  if (!shape) {
    int64_t n = copyutil::shapeInputLength(ctx.inputType(1));
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

// ---------------------------------------------------------------------------
// Tile (Tile-1 took `tiles` and `axis` inputs; Tile-6 a `repeats` list).

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

Status runTile(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  EDGEC_ASSIGN_OR_RETURN(
      auto rep, tileRepeats(ctx, x.rank(), ctx.input(1),
                            ctx.hasInput(2) ? &ctx.input(2) : nullptr));
  // View the output as [r0, d0, r1, d1, ...] reading the input with stride 0
  // along each repeat dim.
  std::vector<int64_t> inStrides = stridesOf(x.shape()), strides;
  TensorShape view, shape;
  for (size_t i = 0; i < x.rank(); ++i) {
    int64_t d = x.dim(i);
    view.push_back(rep[i]);
    view.push_back(d);
    strides.push_back(0);
    strides.push_back(inStrides[i]);
    if (d != 0 && rep[i] > (int64_t(1) << 40) / d)
      return ctx.error("tiled output is too large", ErrorCode::InvalidInput);
    shape.push_back(d * rep[i]);
  }
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(x.dtype(), view));
  copyutil::stridedCopy(x, 0, strides, out);
  ctx.outputs[0] = out.reshaped(shape);
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

// ---------------------------------------------------------------------------
// Pad: pads attribute (`paddings` in Pad-1) before opset 11, then inputs
// pads, constant_value and (opset 18) axes. Negative pads crop.

/// Full [begin..., end...] pads for every axis.
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

/// Source coordinate in [0, dim) for padded coordinate s (may be outside),
/// or -1 for the constant value.
int64_t padSource(const std::string &mode, int64_t s, int64_t dim) {
  if (s >= 0 && s < dim) return s;
  if (mode == "edge") return s < 0 ? 0 : dim - 1;
  if (mode == "wrap") return ((s % dim) + dim) % dim;
  if (mode == "reflect") {
    if (dim == 1) return 0;
    int64_t p = 2 * (dim - 1);
    int64_t m = ((s % p) + p) % p;
    return m < dim ? m : p - m;
  }
  return -1;
}

Status runPad(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  size_t r = x.rank();
  std::string mode = ctx.attrString("mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge" &&
      mode != "wrap")
    return ctx.unsupported("pad mode '" + mode + "'");
  EDGEC_ASSIGN_OR_RETURN(auto pads, padAmounts(ctx, r));
  TensorShape shape(r);
  std::vector<std::vector<int64_t>> maps(r);
  for (size_t d = 0; d < r; ++d) {
    int64_t b = (*pads)[d], dim = x.dim(d);
    shape[d] = dim + b + (*pads)[d + r];
    if (shape[d] < 0)
      return ctx.error("pads crop axis " + std::to_string(d) +
                           " below size 0",
                       ErrorCode::InvalidInput);
    if (dim == 0 && shape[d] > 0 && mode != "constant")
      return ctx.error("cannot pad an empty axis in mode '" + mode + "'",
                       ErrorCode::InvalidInput);
  }
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(x.dtype(), shape));
  if (out.numElements() == 0) {
    ctx.outputs[0] = std::move(out);
    return Status::ok();
  }
  for (size_t d = 0; d < r; ++d) {
    maps[d].resize((size_t)shape[d]);
    for (int64_t o = 0; o < shape[d]; ++o)
      maps[d][(size_t)o] = padSource(mode, o - (*pads)[d], x.dim(d));
  }
  Tensor fill(x.dtype(), {});
  if (ctx.hasInput(2) && ctx.input(2).numElements() > 0) {
    const Tensor &cv = ctx.input(2);
    Tensor v = cv.dtype() == x.dtype() ? cv : cv.castTo(x.dtype());
    copyutil::copyElems(fill, 0, v, 0, 1);
  } else {
    fill.setDouble(0, ctx.attrFloat("value", 0.0f));
  }
  copyutil::mappedCopy(x, maps, fill, out);
  ctx.outputs[0] = std::move(out);
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

// ---------------------------------------------------------------------------
// CenterCropPad: crops or zero-pads the given axes symmetrically (the extra
// element of an odd difference goes to the end).

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

Status runCenterCropPad(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  std::vector<int64_t> target = ctx.input(1).toInt64Vector();
  size_t r = x.rank();
  EDGEC_ASSIGN_OR_RETURN(auto axes, cropAxes(ctx, r, target.size()));
  TensorShape shape = x.shape();
  for (size_t i = 0; i < axes.size(); ++i) {
    if (target[i] < 0)
      return ctx.error("negative target size", ErrorCode::InvalidInput);
    shape[(size_t)axes[i]] = target[i];
  }
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(x.dtype(), shape));
  if (out.numElements() == 0) {
    ctx.outputs[0] = std::move(out);
    return Status::ok();
  }
  std::vector<std::vector<int64_t>> maps(r);
  for (size_t d = 0; d < r; ++d) {
    int64_t dim = x.dim(d);
    // Positive offset: crop start; negative: pad before.
    int64_t off = dim >= shape[d] ? (dim - shape[d]) / 2
                                  : -((shape[d] - dim) / 2);
    maps[d].resize((size_t)shape[d]);
    for (int64_t o = 0; o < shape[d]; ++o) {
      int64_t s = o + off;
      maps[d][(size_t)o] = s >= 0 && s < dim ? s : -1;
    }
  }
  Tensor zero(x.dtype(), {});
  copyutil::mappedCopy(x, maps, zero, out);
  ctx.outputs[0] = std::move(out);
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

// ---------------------------------------------------------------------------
// DepthToSpace / SpaceToDepth on NCHW tensors.

Expected<int64_t> blockSize(const NodeContext &ctx) {
  int64_t b = ctx.attrInt("blocksize", 0);
  if (b <= 0 || b > (int64_t(1) << 20))
    return ctx.error("invalid blocksize " + std::to_string(b));
  return b;
}

Status runDepthToSpace(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  EDGEC_ASSIGN_OR_RETURN(int64_t b, blockSize(ctx));
  if (x.rank() != 4) return ctx.error("input must have rank 4");
  int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
  if (c % (b * b) != 0)
    return ctx.error("channels " + std::to_string(c) +
                         " not divisible by blocksize^2",
                     ErrorCode::InvalidInput);
  int64_t oc = c / (b * b), sC = h * w;
  std::string mode = ctx.attrString("mode", "DCR");
  if (mode != "DCR" && mode != "CRD")
    return ctx.error("invalid mode '" + mode + "'");
  // Output viewed as [N, C', H, b1, W, b2]; the input channel is
  // (b1*b + b2)*C' + c' (DCR) or c'*b*b + b1*b + b2 (CRD).
  bool dcr = mode == "DCR";
  std::vector<int64_t> strides = {c * sC,
                                  dcr ? sC : b * b * sC,
                                  w,
                                  dcr ? b * oc * sC : b * sC,
                                  1,
                                  dcr ? oc * sC : sC};
  Tensor out(x.dtype(), {n, oc, h, b, w, b});
  copyutil::stridedCopy(x, 0, strides, out);
  ctx.outputs[0] = out.reshaped({n, oc, h * b, w * b});
  return Status::ok();
}

Status runSpaceToDepth(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  EDGEC_ASSIGN_OR_RETURN(int64_t b, blockSize(ctx));
  if (x.rank() != 4) return ctx.error("input must have rank 4");
  int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
  if (h % b != 0 || w % b != 0)
    return ctx.error("spatial dims not divisible by blocksize",
                     ErrorCode::InvalidInput);
  // Output viewed as [N, b1, b2, C, H', W'] reading
  // input[n, c, h'*b + b1, w'*b + b2].
  std::vector<int64_t> strides = {c * h * w, w, 1, h * w, b * w, b};
  Tensor out(x.dtype(), {n, b, b, c, h / b, w / b});
  copyutil::stridedCopy(x, 0, strides, out);
  ctx.outputs[0] = out.reshaped({n, c * b * b, h / b, w / b});
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
    if (up) return copyutil::mulInto(v, f) ? Dim::fixed(v) : Dim::unknown();
    return d.value % f == 0 ? Dim::fixed(d.value / f) : Dim::unknown();
  };
  Dims out = {x.dims[0], scale(x.dims[1], !toSpace, b * b),
              scale(x.dims[2], toSpace, b), scale(x.dims[3], toSpace, b)};
  ctx.outputs[0] = TensorType(x.dtype, std::move(out));
  return Status::ok();
}

} // namespace

void registerLayoutKernels(KernelRegistry &r) {
  r.add("Expand", runExpand, inferExpand);
  r.add("Tile", runTile, inferTile);
  r.add("Pad", runPad, inferPad);
  r.add("CenterCropPad", runCenterCropPad, inferCenterCropPad);
  r.add("DepthToSpace", runDepthToSpace,
        [](InferContext &c) { return inferDepthSpace(c, true); });
  r.add("SpaceToDepth", runSpaceToDepth,
        [](InferContext &c) { return inferDepthSpace(c, false); });
}

} // namespace edgec
