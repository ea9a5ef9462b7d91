// Layout kernels: ops that build a differently laid-out tensor from one input
// by broadcasting, repeating, padding or regrouping its elements (Expand,
// Tile, Pad, CenterCropPad, DepthToSpace, SpaceToDepth). They are all
// expressed as a strided or per-axis-mapped element copy (CopyUtil.h).
#include "interp/kernels/CopyUtil.h"
#include "shape/ops/Layout.h"

#include <algorithm>

namespace edgec {
namespace {

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

} // namespace

void registerLayoutKernels(KernelRegistry &r) {
  r.add("Expand", runExpand);
  r.add("Tile", runTile);
  r.add("Pad", runPad);
  r.add("CenterCropPad", runCenterCropPad);
  r.add("DepthToSpace", runDepthToSpace);
  r.add("SpaceToDepth", runSpaceToDepth);
}

} // namespace edgec
