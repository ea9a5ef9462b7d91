// Shape and type inference of the Quantize family (kernels:
// interp/kernels/Quantize.cpp).
#include "shape/ops/Quantize.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace edgec {

Expected<DataType> quantizeOutType(const NodeContext &ctx,
                                   const TensorType *zp) {
  if (zp && zp->dtype != DataType::Undefined)
    return zp->dtype;
  int64_t od = ctx.attrInt("output_dtype", 0);
  if (od == 0)
    return DataType::UInt8;
  std::optional<DataType> t = fromOnnxDataType((int)od);
  if (!t)
    return ctx.unsupported("output_dtype " + std::to_string(od));
  return *t;
}

Expected<DataType> dequantizeOutType(const NodeContext &ctx,
                                     DataType scaleType) {
  int64_t od = ctx.attrInt("output_dtype", 0);
  if (od == 0)
    return scaleType;
  std::optional<DataType> t = fromOnnxDataType((int)od);
  if (!t || !isFloatType(*t))
    return ctx.unsupported("output_dtype " + std::to_string(od));
  return *t;
}

namespace {

Status inferQuantizeLinear(InferContext &ctx) {
  if (ctx.outputs.empty() || !ctx.hasInput(0))
    return Status::ok();
  EDGEC_ASSIGN_OR_RETURN(
      DataType yt,
      quantizeOutType(ctx, ctx.hasInput(2) ? &ctx.inputType(2) : nullptr));
  TensorType t = ctx.inputType(0);
  t.dtype = yt;
  ctx.outputs[0] = t;
  return Status::ok();
}

Status inferDequantizeLinear(InferContext &ctx) {
  if (ctx.outputs.empty() || !ctx.hasInput(0) || !ctx.hasInput(1))
    return Status::ok();
  EDGEC_ASSIGN_OR_RETURN(DataType yt,
                         dequantizeOutType(ctx, ctx.inputType(1).dtype));
  TensorType t = ctx.inputType(0);
  t.dtype = yt;
  ctx.outputs[0] = t;
  return Status::ok();
}

Status inferDynamicQuantizeLinear(InferContext &ctx) {
  if (ctx.outputs.empty() || !ctx.hasInput(0))
    return Status::ok();
  TensorType t = ctx.inputType(0);
  t.dtype = DataType::UInt8;
  ctx.outputs[0] = t;
  if (ctx.outputs.size() > 1)
    ctx.outputs[1] = TensorType(DataType::Float32, TensorShape{});
  if (ctx.outputs.size() > 2)
    ctx.outputs[2] = TensorType(DataType::UInt8, TensorShape{});
  return Status::ok();
}

} // namespace

void registerQuantizeInference(InferRegistry &r) {
  r.add("QuantizeLinear", inferQuantizeLinear);
  r.add("DequantizeLinear", inferDequantizeLinear);
  r.add("DynamicQuantizeLinear", inferDynamicQuantizeLinear);
}

} // namespace edgec
