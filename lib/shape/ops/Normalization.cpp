// Shape and type inference of the Normalization family (kernels:
// interp/kernels/Normalization.cpp).
#include "shape/InferUtil.h"

#include <cmath>

namespace edgec {

namespace {

Status inferBatchNorm(InferContext &ctx) {
  // scale, B, mean and var are [C], C = dim 1 of X.
  const TensorType &x = ctx.inputType(0);
  if (x.hasRank && x.rank() >= 2 && x.dims[1].isStatic())
    for (size_t i = 1; i < 5 && i < ctx.numInputs(); ++i) {
      if (!ctx.hasInput(i) || !ctx.inputType(i).hasRank) continue;
      const TensorType &p = ctx.inputType(i);
      if (p.rank() != 1 ||
          (p.dims[0].isStatic() && p.dims[0].value != x.dims[1].value))
        return ctx.error("parameter " + std::to_string(i) + " " + p.str() +
                         " does not match the channel count " +
                         std::to_string(x.dims[1].value));
    }
  ctx.outputs[0] = ctx.inputType(0);
  // running/saved mean and var have the types of the mean/var inputs.
  for (size_t i = 1; i < ctx.outputs.size() && i < 5; ++i)
    ctx.outputs[i] = ctx.inputType(i % 2 ? 3 : 4);
  return Status::ok();
}

Status inferLayerNorm(InferContext &ctx) {
  const TensorType &in = ctx.inputType(0);
  ctx.outputs[0] = in;
  if (ctx.outputs.size() < 2) return Status::ok();
  DataType st =
      ctx.attrInt("stash_type", 1) == 1 ? DataType::Float32 : in.dtype;
  TensorType stat(st);
  if (in.hasRank && in.rank() > 0) {
    EDGEC_ASSIGN_OR_RETURN(
        int64_t axis,
        normalizeAxis(ctx, ctx.attrInt("axis", -1), (int64_t)in.rank()));
    stat = TensorType(st, in.dims);
    for (size_t i = (size_t)axis; i < in.rank(); ++i)
      stat.dims[i] = Dim::fixed(1);
  }
  for (size_t i = 1; i < ctx.outputs.size() && i < 3; ++i)
    ctx.outputs[i] = stat;
  return Status::ok();
}

Status inferSame(InferContext &ctx) {
  const TensorType &in = ctx.inputType(0);
  if (in.dtype != DataType::Undefined && !isFloatType(in.dtype))
    return ctx.error("element type must be floating point");
  return inferSameAsInput(ctx, 0);
}

} // namespace

void registerNormalizationInference(InferRegistry &r) {
  r.add("BatchNormalization", 5, inferBatchNorm);
  r.add("InstanceNormalization", 3, inferSame);
  r.add("LayerNormalization", 2, inferLayerNorm);
  r.add("RMSNormalization", 2, inferSame);
  r.add("GroupNormalization", 3, inferSame);
  r.add("LRN", 1, inferSame);
  r.add("LpNormalization", 1, inferSame);
  r.add("MeanVarianceNormalization", 1, inferSame);
}

} // namespace edgec
