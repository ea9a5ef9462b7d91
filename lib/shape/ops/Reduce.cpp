// Shape and type inference of the Reduce family (kernels:
// interp/kernels/Reduce.cpp).
#include "shape/ops/Reduce.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace edgec {

bool axesFromInput(const NodeContext &ctx) {
  return ctx.node().opType == "ReduceSum" ? ctx.opset() >= 13
                                          : ctx.opset() >= 18;
}

Expected<std::vector<bool>> reducedAxes(const NodeContext &ctx,
                                        const std::vector<int64_t> &axes,
                                        size_t rank) {
  std::vector<bool> red(rank, axes.empty());
  for (int64_t a : axes) {
    EDGEC_ASSIGN_OR_RETURN(int64_t n, normalizeAxis(ctx, a, (int64_t)rank));
    if (red[(size_t)n])
      return ctx.error("axis " + std::to_string(a) + " is repeated");
    red[(size_t)n] = true;
  }
  return red;
}

namespace {

Status inferReduce(InferContext &ctx) {
  const TensorType &in = ctx.inputType(0);
  bool fromInput = axesFromInput(ctx);
  bool keep = ctx.attrInt("keepdims", 1) != 0;
  std::vector<int64_t> axes;
  if (!fromInput) {
    axes = ctx.attrInts("axes");
  } else if (ctx.hasInput(1)) {
    const Tensor *v = ctx.inputValue(1);
    if (!v) {
      // Unknown axes: with keepdims the rank is preserved.
      ctx.outputs[0] =
          keep && in.hasRank
              ? TensorType(in.dtype, std::vector<Dim>(in.rank(), Dim()))
              : TensorType(in.dtype);
      return Status::ok();
    }
    axes = v->toInt64Vector();
  }
  if (fromInput && axes.empty() && ctx.attrInt("noop_with_empty_axes", 0)) {
    ctx.outputs[0] = in;
    return Status::ok();
  }
  if (!in.hasRank) {
    ctx.outputs[0] = TensorType(in.dtype);
    return Status::ok();
  }
  EDGEC_ASSIGN_OR_RETURN(std::vector<bool> red,
                         reducedAxes(ctx, axes, in.rank()));
  ctx.outputs[0] =
      TensorType(in.dtype, reducedDims<Dim>(in.dims, red, keep, Dim::fixed(1)));
  return Status::ok();
}

Status inferArg(InferContext &ctx) {
  const TensorType &in = ctx.inputType(0);
  if (!in.hasRank) {
    ctx.outputs[0] = TensorType(DataType::Int64);
    return Status::ok();
  }
  EDGEC_ASSIGN_OR_RETURN(
      int64_t axis,
      normalizeAxis(ctx, ctx.attrInt("axis", 0), (int64_t)in.rank()));
  std::vector<bool> red(in.rank(), false);
  red[(size_t)axis] = true;
  ctx.outputs[0] =
      TensorType(DataType::Int64,
                 reducedDims<Dim>(in.dims, red, ctx.attrInt("keepdims", 1) != 0,
                                  Dim::fixed(1)));
  return Status::ok();
}

Status inferTopK(InferContext &ctx) {
  const TensorType &in = ctx.inputType(0);
  TensorType vt(in.dtype), it(DataType::Int64);
  if (in.hasRank && in.rank() > 0) {
    EDGEC_ASSIGN_OR_RETURN(
        int64_t axis,
        normalizeAxis(ctx, ctx.attrInt("axis", -1), (int64_t)in.rank()));
    std::vector<Dim> dims = in.dims;
    dims[(size_t)axis] = Dim::unknown();
    if (ctx.opset() < 10 && ctx.hasAttr("k")) {
      dims[(size_t)axis] =
          Dim::fixed(std::max<int64_t>(0, ctx.attrInt("k", 0)));
    } else if (const Tensor *kv = ctx.inputValue(1)) {
      if (kv->numElements() == 1 && kv->getInt64(0) >= 0)
        dims[(size_t)axis] = Dim::fixed(kv->getInt64(0));
    }
    vt = TensorType(in.dtype, dims);
    it = TensorType(DataType::Int64, dims);
  }
  ctx.outputs[0] = vt;
  if (ctx.outputs.size() > 1) ctx.outputs[1] = it;
  return Status::ok();
}

Status inferUnique(InferContext &ctx) {
  const TensorType &in = ctx.inputType(0);
  std::vector<Dim> one{Dim::unknown()};
  if (ctx.hasAttr("axis") && in.hasRank) {
    EDGEC_ASSIGN_OR_RETURN(
        int64_t axis,
        normalizeAxis(ctx, ctx.attrInt("axis", 0), (int64_t)in.rank()));
    std::vector<Dim> dims = in.dims;
    dims[(size_t)axis] = Dim::unknown();
    ctx.outputs[0] = TensorType(in.dtype, dims);
    if (ctx.outputs.size() > 2)
      ctx.outputs[2] = TensorType(DataType::Int64, {in.dims[(size_t)axis]});
  } else {
    ctx.outputs[0] = TensorType(in.dtype, one);
    if (ctx.outputs.size() > 2)
      ctx.outputs[2] = TensorType(DataType::Int64, one);
  }
  if (ctx.outputs.size() > 1) ctx.outputs[1] = TensorType(DataType::Int64, one);
  if (ctx.outputs.size() > 3) ctx.outputs[3] = TensorType(DataType::Int64, one);
  return Status::ok();
}

} // namespace

void registerReduceInference(InferRegistry &r) {
  for (const char *op : {"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin",
                         "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum",
                         "ReduceLogSumExp", "ReduceSumSquare"})
    r.add(op, 1, inferReduce);
  r.add("ArgMax", 1, inferArg);
  r.add("ArgMin", 1, inferArg);
  r.add("CumSum", 2, inferSameAsFirstInput);
  r.add("CumProd", 2, inferSameAsFirstInput);
  r.add("TopK", 1, inferTopK);
  r.add("Unique", 1, inferUnique);
}

} // namespace edgec
