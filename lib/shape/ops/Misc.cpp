// Shape and type inference of the Misc family (kernels:
// interp/kernels/Misc.cpp).
#include "shape/ops/Misc.h"

#include <cstring>

namespace edgec {

DataType maskType(const NodeContext &ctx, DataType in) {
  return ctx.opset() != 0 && ctx.opset() < 10 ? in : DataType::Bool;
}

Expected<DataType> bitCastTarget(const NodeContext &ctx, DataType in) {
  if (!ctx.hasAttr("to")) return ctx.error("missing attribute 'to'");
  auto to = fromOnnxDataType((int)ctx.attrInt("to", 0));
  if (!to)
    return ctx.unsupported("target type #" +
                           std::to_string(ctx.attrInt("to", 0)));
  // Sub-byte types are stored unpacked (sign-extended), so their bits
  // cannot be reinterpreted byte-wise.
  if (packedBits(*to) < 8 || (in != DataType::Undefined && packedBits(in) < 8))
    return ctx.unsupported("bitcast of sub-byte types");
  if (in != DataType::Undefined && packedBits(*to) != packedBits(in))
    return ctx.error("bitcast between types of different widths");
  return *to;
}

namespace {

Status inferDropout(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  ctx.outputs[0] = x;
  if (ctx.outputs.size() > 1) {
    ctx.outputs[1] = x;
    ctx.outputs[1].dtype = maskType(ctx, x.dtype);
  }
  return Status::ok();
}

Status inferBitCast(InferContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(DataType to,
                         bitCastTarget(ctx, ctx.inputType(0).dtype));
  ctx.outputs[0] = ctx.inputType(0);
  ctx.outputs[0].dtype = to;
  return Status::ok();
}

Status inferOptionalHasElement(InferContext &ctx) {
  ctx.outputs[0] = TensorType(DataType::Bool, std::vector<Dim>{});
  return Status::ok();
}

} // namespace

void registerMiscInference(InferRegistry &r) {
  r.add("OptionalHasElement", inferOptionalHasElement);
  r.add("Identity", inferSameAsFirstInput);
  r.add("Dropout", inferDropout);
  r.add("BitCast", inferBitCast);
}

} // namespace edgec
