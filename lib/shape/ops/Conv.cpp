// Shape and type inference of the Conv family (kernels:
// interp/kernels/Conv.cpp).
#include "shape/InferUtil.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace edgec {

namespace {

/// Conv-style output type: [N, M, out...] with out from static spatial dims.
Status inferConvLike(InferContext &ctx, size_t wIdx, DataType outType) {
  if (ctx.outputs.empty() || !ctx.hasInput(0) || !ctx.hasInput(wIdx))
    return Status::ok();
  const TensorType &x = ctx.inputType(0), &wt = ctx.inputType(wIdx);
  if (!x.hasRank || !wt.hasRank) {
    ctx.outputs[0] = TensorType(outType);
    return Status::ok();
  }
  if (x.rank() < 3 || wt.rank() != x.rank())
    return ctx.error("conv needs X [N, C, D...] and W of the same rank");
  // W is [M, C/group, k...]: the interpreter's kernels reject other inputs.
  const int64_t group = ctx.attrInt("group", 1);
  if (group < 1) return ctx.error("group must be positive");
  if (x.dims[1].isStatic() && wt.dims[1].isStatic() &&
      x.dims[1].value != wt.dims[1].value * group)
    return ctx.error("weights " + wt.str() + " do not match input " + x.str() +
                     " with group " + std::to_string(group));
  if (wt.dims[0].isStatic() && wt.dims[0].value % group != 0)
    return ctx.error("weights " + wt.str() + ": " +
                     std::to_string(wt.dims[0].value) +
                     " output channels are not a multiple of group " +
                     std::to_string(group));
  size_t r = x.rank() - 2;
  std::vector<int64_t> in(r), kern(r);
  bool kernKnown = true;
  for (size_t d = 0; d < r; ++d) {
    in[d] = x.dims[d + 2].isStatic() ? x.dims[d + 2].value : -1;
    kern[d] = wt.dims[d + 2].value;
    kernKnown = kernKnown && wt.dims[d + 2].isStatic();
  }
  if (!kernKnown && !ctx.hasAttr("kernel_shape")) {
    std::vector<Dim> dims{x.dims[0], wt.dims[0]};
    dims.resize(x.rank(), Dim::unknown());
    ctx.outputs[0] = TensorType(outType, dims);
    return Status::ok();
  }
  if (!kernKnown)
    kern.clear();
  EDGEC_ASSIGN_OR_RETURN(WindowGeometry w, slidingWindow(ctx, in, kern));
  std::vector<Dim> dims{x.dims[0], wt.dims[0]};
  for (int64_t g : w.out)
    dims.push_back(g >= 0 ? Dim::fixed(g) : Dim::unknown());
  ctx.outputs[0] = TensorType(outType, dims);
  return Status::ok();
}

Status inferConv(InferContext &ctx) {
  if (!ctx.hasInput(0))
    return Status::ok();
  // B is [M].
  if (ctx.hasInput(1) && ctx.hasInput(2) && ctx.inputType(1).hasRank &&
      ctx.inputType(2).hasRank) {
    const TensorType &w = ctx.inputType(1), &b = ctx.inputType(2);
    if (w.rank() >= 1 &&
        (b.rank() != 1 || (b.dims[0].isStatic() && w.dims[0].isStatic() &&
                           b.dims[0].value != w.dims[0].value)))
      return ctx.error("bias " + b.str() + " does not match the " +
                       w.dims[0].str() + " output channels of weights " +
                       w.str());
  }
  return inferConvLike(ctx, 1, ctx.inputType(0).dtype);
}

Status inferConvTranspose(InferContext &ctx) {
  if (ctx.outputs.empty() || !ctx.hasInput(0) || !ctx.hasInput(1))
    return Status::ok();
  const TensorType &x = ctx.inputType(0), &wt = ctx.inputType(1);
  if (!x.hasRank || !wt.hasRank) {
    ctx.outputs[0] = TensorType(x.dtype);
    return Status::ok();
  }
  if (x.rank() < 3 || wt.rank() != x.rank())
    return ctx.error("convtranspose needs X [N, C, D...] and W of the same "
                     "rank");
  size_t r = x.rank() - 2;
  int64_t group = ctx.attrInt("group", 1);
  Dim m = wt.dims[1].isStatic() && group > 0
              ? Dim::fixed(wt.dims[1].value * group)
              : Dim::unknown();
  std::vector<Dim> dims{x.dims[0], m};
  std::vector<int64_t> in(r), kern(r);
  bool known = true;
  for (size_t d = 0; d < r; ++d) {
    in[d] = x.dims[d + 2].isStatic() ? x.dims[d + 2].value : -1;
    kern[d] = wt.dims[d + 2].value;
    known = known && wt.dims[d + 2].isStatic();
  }
  if (!known && !ctx.hasAttr("kernel_shape")) {
    dims.resize(x.rank(), Dim::unknown());
    ctx.outputs[0] = TensorType(x.dtype, dims);
    return Status::ok();
  }
  if (!known)
    kern.clear();
  EDGEC_ASSIGN_OR_RETURN(WindowGeometry w, transposedWindow(ctx, in, kern));
  for (int64_t o : w.out)
    dims.push_back(o >= 0 ? Dim::fixed(o) : Dim::unknown());
  ctx.outputs[0] = TensorType(x.dtype, dims);
  return Status::ok();
}

Status inferConvInteger(InferContext &ctx) {
  return inferConvLike(ctx, 1, DataType::Int32);
}

Status inferQLinearConv(InferContext &ctx) {
  DataType yt = ctx.hasInput(7) ? ctx.inputType(7).dtype : DataType::UInt8;
  return inferConvLike(ctx, 3, yt);
}

Status inferCol2Im(InferContext &ctx) {
  if (ctx.outputs.empty() || !ctx.hasInput(0))
    return Status::ok();
  const TensorType &x = ctx.inputType(0);
  const Tensor *image = ctx.inputValue(1), *block = ctx.inputValue(2);
  if (!x.hasRank || x.rank() != 3 || !image) {
    ctx.outputs[0] = TensorType(x.dtype);
    return Status::ok();
  }
  Dim c = Dim::unknown();
  if (block && x.dims[1].isStatic()) {
    int64_t kprod = 1;
    for (int64_t v : block->toInt64Vector())
      kprod *= v > 0 ? v : 1;
    c = Dim::fixed(x.dims[1].value / kprod);
  }
  std::vector<Dim> dims{x.dims[0], c};
  for (int64_t v : image->toInt64Vector())
    dims.push_back(Dim::fixed(v));
  ctx.outputs[0] = TensorType(x.dtype, dims);
  return Status::ok();
}

} // namespace

void registerConvInference(InferRegistry &r) {
  r.add("Conv", inferConv);
  r.add("ConvTranspose", inferConvTranspose);
  r.add("ConvInteger", inferConvInteger);
  r.add("QLinearConv", inferQLinearConv);
  r.add("Col2Im", inferCol2Im);
}

} // namespace edgec
