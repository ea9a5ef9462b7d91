// Shape and type inference of the Gather family (kernels:
// interp/kernels/Gather.cpp).
#include "shape/ops/Gather.h"

#include <algorithm>

namespace edgec {

Expected<int64_t> oneHotDepth(const NodeContext &ctx, const Tensor &t) {
  if (t.numElements() != 1) return ctx.error("depth must be a scalar");
  int64_t d = t.getInt64(0);
  if (d < 1 || d > (int64_t(1) << 32))
    return ctx.error("invalid depth " + std::to_string(d),
                     ErrorCode::InvalidInput);
  return d;
}

namespace {

using Dims = std::vector<Dim>;

Status inferGather(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0), &idx = ctx.inputType(1);
  ctx.outputs[0] = TensorType(x.dtype);
  if (!x.hasRank || !idx.hasRank) return Status::ok();
  int64_t r = (int64_t)x.rank();
  if (r == 0) return ctx.error("cannot gather from a scalar");
  EDGEC_ASSIGN_OR_RETURN(int64_t axis,
                         normalizeAxis(ctx, ctx.attrInt("axis", 0), r));
  // Constant indices must lie in [-n, n) of the gathered dim.
  const Dim &n = x.dims[(size_t)axis];
  if (const Tensor *iv = ctx.inputValue(1); iv && n.isStatic())
    for (int64_t i : iv->toInt64Vector())
      if (i < -n.value || i >= n.value)
        return ctx.error("index " + std::to_string(i) +
                         " is out of range for a dim of size " +
                         std::to_string(n.value));
  Dims out(x.dims.begin(), x.dims.begin() + axis);
  out.insert(out.end(), idx.dims.begin(), idx.dims.end());
  out.insert(out.end(), x.dims.begin() + axis + 1, x.dims.end());
  ctx.outputs[0] = TensorType(x.dtype, std::move(out));
  return Status::ok();
}

Status inferGatherElements(InferContext &ctx) {
  const TensorType &idx = ctx.inputType(1);
  ctx.outputs[0] = idx;
  ctx.outputs[0].dtype = ctx.inputType(0).dtype;
  return Status::ok();
}

Status inferGatherND(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0), &idx = ctx.inputType(1);
  ctx.outputs[0] = TensorType(x.dtype);
  if (!x.hasRank || !idx.hasRank || idx.rank() == 0 ||
      !idx.dims.back().isStatic())
    return Status::ok();
  int64_t b = ctx.attrInt("batch_dims", 0), m = idx.dims.back().value;
  if (b < 0 || m < 1 || (size_t)(b + m) > x.rank() || (size_t)b >= idx.rank())
    return ctx.error("index tuples of length " + std::to_string(m) +
                     " do not fit data of rank " + std::to_string(x.rank()));
  Dims out(idx.dims.begin(), idx.dims.end() - 1);
  out.insert(out.end(), x.dims.begin() + b + m, x.dims.end());
  ctx.outputs[0] = TensorType(x.dtype, std::move(out));
  return Status::ok();
}

Status inferCompress(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  const Tensor *cond = ctx.inputValue(1);
  Dim n = Dim::unknown();
  if (cond) {
    int64_t c = 0;
    for (int64_t i = 0; i < cond->numElements(); ++i)
      c += cond->getDouble(i) != 0;
    n = Dim::fixed(c);
  }
  if (!ctx.hasAttr("axis")) {
    ctx.outputs[0] = TensorType(x.dtype, Dims{n});
    return Status::ok();
  }
  ctx.outputs[0] = TensorType(x.dtype);
  if (!x.hasRank) return Status::ok();
  EDGEC_ASSIGN_OR_RETURN(int64_t axis, normalizeAxis(ctx, ctx.attrInt("axis", 0),
                                                     (int64_t)x.rank()));
  if (x.rank() == 0) return ctx.error("cannot compress a scalar");
  Dims out = x.dims;
  out[(size_t)axis] = n;
  ctx.outputs[0] = TensorType(x.dtype, std::move(out));
  return Status::ok();
}

Status inferOneHot(InferContext &ctx) {
  const TensorType &idx = ctx.inputType(0);
  DataType dt = ctx.inputType(2).dtype;
  ctx.outputs[0] = TensorType(dt);
  if (!idx.hasRank) return Status::ok();
  int64_t r = (int64_t)idx.rank() + 1;
  EDGEC_ASSIGN_OR_RETURN(int64_t axis,
                         normalizeAxis(ctx, ctx.attrInt("axis", -1), r));
  Dim d = Dim::unknown();
  if (const Tensor *t = ctx.inputValue(1)) {
    EDGEC_ASSIGN_OR_RETURN(int64_t v, oneHotDepth(ctx, *t));
    d = Dim::fixed(v);
  }
  Dims out = idx.dims;
  out.insert(out.begin() + axis, d);
  ctx.outputs[0] = TensorType(dt, std::move(out));
  return Status::ok();
}

Status inferNonZero(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  Dim r = x.hasRank ? Dim::fixed(std::max<int64_t>(1, (int64_t)x.rank()))
                    : Dim::unknown();
  ctx.outputs[0] = TensorType(DataType::Int64, Dims{r, Dim::unknown()});
  return Status::ok();
}

} // namespace

void registerGatherInference(InferRegistry &r) {
  r.add("Gather", inferGather);
  r.add("GatherElements", inferGatherElements);
  r.add("GatherND", inferGatherND);
  r.add("Scatter", inferSameAsFirstInput);
  r.add("ScatterElements", inferSameAsFirstInput);
  r.add("ScatterND", inferSameAsFirstInput);
  r.add("Compress", inferCompress);
  r.add("ReverseSequence", inferSameAsFirstInput);
  r.add("OneHot", inferOneHot);
  r.add("Trilu", inferSameAsFirstInput);
  r.add("NonZero", inferNonZero);
  r.add("TensorScatter", inferSameAsFirstInput);
}

} // namespace edgec
