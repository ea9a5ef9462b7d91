// Shape and type inference of the Binary family (kernels:
// interp/kernels/Binary.cpp).
#include "shape/InferUtil.h"

#include <cmath>
#include <cstring>

namespace edgec {

namespace {

Status inferWhere(InferContext &ctx) {
  if (ctx.outputs.empty() || !ctx.hasInput(0) || !ctx.hasInput(1) ||
      !ctx.hasInput(2))
    return Status::ok();
  DataType t = ctx.inputType(1).dtype;
  EDGEC_ASSIGN_OR_RETURN(
      TensorType a, broadcastTypes(ctx, ctx.inputType(0), ctx.inputType(1), t));
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0],
                         broadcastTypes(ctx, a, ctx.inputType(2), t));
  return Status::ok();
}

/// The interpreter's same-type kernels reject operands of different
/// element types; so does inference (edgec's one verifier).
Status checkSameTypes(const InferContext &ctx) {
  DataType first = DataType::Undefined;
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    if (!ctx.hasInput(i)) continue;
    DataType t = ctx.inputType(i).dtype;
    if (t == DataType::Undefined) continue;
    if (first == DataType::Undefined) first = t;
    else if (t != first)
      return ctx.error(std::string("input types differ (") +
                       std::string(dataTypeName(first)) + " vs " +
                       std::string(dataTypeName(t)) + ")");
  }
  return Status::ok();
}

Status inferBool(InferContext &ctx) {
  EDGEC_TRY(checkSameTypes(ctx));
  return inferBroadcast(ctx, DataType::Bool);
}

Status inferSame(InferContext &ctx) {
  EDGEC_TRY(checkSameTypes(ctx));
  return inferBroadcast(ctx);
}

/// Pow's exponent may have another type than its base.
Status inferPow(InferContext &ctx) { return inferBroadcast(ctx); }

} // namespace

void registerBinaryInference(InferRegistry &r) {
  r.add("Add", inferSame);
  r.add("Sub", inferSame);
  r.add("Mul", inferSame);
  r.add("Div", inferSame);
  r.add("Mod", inferSame);
  r.add("Pow", inferPow);
  r.add("And", inferSame);
  r.add("Or", inferSame);
  r.add("Xor", inferSame);
  r.add("BitwiseAnd", inferSame);
  r.add("BitwiseOr", inferSame);
  r.add("BitwiseXor", inferSame);
  r.add("BitShift", inferSame);
  r.add("Equal", inferBool);
  r.add("Greater", inferBool);
  r.add("Less", inferBool);
  r.add("GreaterOrEqual", inferBool);
  r.add("LessOrEqual", inferBool);
  r.add("Max", inferSame);
  r.add("Min", inferSame);
  r.add("Sum", inferSame);
  r.add("Mean", inferSame);
  r.add("Where", inferWhere);
}

} // namespace edgec
