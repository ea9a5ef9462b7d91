// Shape and type inference of the Pool family (kernels:
// interp/kernels/Pool.cpp).
#include "shape/ops/Pool.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

namespace edgec {

Expected<WindowGeometry> poolGeom(const NodeContext &ctx,
                                  const std::vector<int64_t> &in) {
  WindowRules rules;
  rules.ceilMode = true;
  return slidingWindow(ctx, in, {}, rules);
}

Expected<std::vector<int64_t>> unpoolDims(const NodeContext &ctx,
                                          const std::vector<int64_t> &in) {
  size_t r = in.size();
  std::vector<int64_t> kernel = ctx.attrInts("kernel_shape");
  std::vector<int64_t> stride =
      ctx.attrInts("strides", std::vector<int64_t>(r, 1));
  std::vector<int64_t> pads =
      ctx.attrInts("pads", std::vector<int64_t>(2 * r, 0));
  if (kernel.size() != r || stride.size() != r || pads.size() != 2 * r)
    return ctx.error("kernel_shape/strides/pads do not match the spatial dims");
  std::vector<int64_t> out(r);
  for (size_t d = 0; d < r; ++d) {
    if (kernel[d] <= 0 || stride[d] <= 0 || kernel[d] > (int64_t(1) << 20) ||
        stride[d] > (int64_t(1) << 20) || pads[d] < 0 || pads[d + r] < 0)
      return ctx.error("invalid kernel_shape/strides/pads");
    out[d] = in[d] < 0 ? -1
                       : (in[d] - 1) * stride[d] + kernel[d] - pads[d] -
                             pads[d + r];
    if (in[d] >= 0 && out[d] <= 0)
      return ctx.error("maxunpool output would be empty");
  }
  return out;
}

namespace {

Status inferPool(InferContext &ctx) {
  if (ctx.outputs.empty() || !ctx.hasInput(0))
    return Status::ok();
  const TensorType &x = ctx.inputType(0);
  if (!x.hasRank) {
    ctx.outputs[0] = TensorType(x.dtype);
    if (ctx.outputs.size() > 1)
      ctx.outputs[1] = TensorType(DataType::Int64);
    return Status::ok();
  }
  if (x.rank() < 3)
    return ctx.error("pool input must be [N, C, D...]");
  std::vector<int64_t> in;
  for (size_t d = 2; d < x.rank(); ++d)
    in.push_back(x.dims[d].isStatic() ? x.dims[d].value : -1);
  EDGEC_ASSIGN_OR_RETURN(WindowGeometry g, poolGeom(ctx, in));
  std::vector<Dim> dims{x.dims[0], x.dims[1]};
  for (int64_t o : g.out)
    dims.push_back(o >= 0 ? Dim::fixed(o) : Dim::unknown());
  ctx.outputs[0] = TensorType(x.dtype, dims);
  if (ctx.outputs.size() > 1)
    ctx.outputs[1] = TensorType(DataType::Int64, dims);
  return Status::ok();
}

Status inferGlobalPool(InferContext &ctx) {
  if (ctx.outputs.empty() || !ctx.hasInput(0))
    return Status::ok();
  const TensorType &x = ctx.inputType(0);
  if (!x.hasRank) {
    ctx.outputs[0] = TensorType(x.dtype);
    return Status::ok();
  }
  if (x.rank() < 2)
    return ctx.error("global pool input must be [N, C, D...]");
  std::vector<Dim> dims(x.rank(), Dim::fixed(1));
  dims[0] = x.dims[0];
  dims[1] = x.dims[1];
  ctx.outputs[0] = TensorType(x.dtype, dims);
  return Status::ok();
}

Status inferMaxUnpool(InferContext &ctx) {
  if (ctx.outputs.empty() || !ctx.hasInput(0))
    return Status::ok();
  const TensorType &x = ctx.inputType(0);
  if (ctx.hasInput(2)) {
    if (const Tensor *s = ctx.inputValue(2))
      ctx.outputs[0] = TensorType(x.dtype, s->toInt64Vector());
    else
      ctx.outputs[0] = TensorType(x.dtype);
    return Status::ok();
  }
  if (!x.hasRank || x.rank() < 3) {
    ctx.outputs[0] = TensorType(x.dtype);
    return Status::ok();
  }
  std::vector<int64_t> in;
  for (size_t d = 2; d < x.rank(); ++d)
    in.push_back(x.dims[d].isStatic() ? x.dims[d].value : -1);
  EDGEC_ASSIGN_OR_RETURN(auto out, unpoolDims(ctx, in));
  std::vector<Dim> dims{x.dims[0], x.dims[1]};
  for (int64_t o : out)
    dims.push_back(o >= 0 ? Dim::fixed(o) : Dim::unknown());
  ctx.outputs[0] = TensorType(x.dtype, dims);
  return Status::ok();
}

} // namespace

void registerPoolInference(InferRegistry &r) {
  r.add("MaxPool", inferPool);
  r.add("AveragePool", inferPool);
  r.add("LpPool", inferPool);
  r.add("GlobalMaxPool", inferGlobalPool);
  r.add("GlobalAveragePool", inferGlobalPool);
  r.add("GlobalLpPool", inferGlobalPool);
  r.add("MaxUnpool", inferMaxUnpool);
}

} // namespace edgec
