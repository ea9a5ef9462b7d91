// Shape and type inference of the Unary family (kernels:
// interp/kernels/Unary.cpp): elementwise, same type, or bool for the
// predicates.
#include "shape/InferUtil.h"

#include <cmath>

namespace edgec {

namespace {

Status inferUnary(InferContext &ctx, bool resultBool) {
  if (!ctx.hasInput(0) || ctx.outputs.empty()) return Status::ok();
  ctx.outputs[0] = ctx.inputType(0);
  if (resultBool) ctx.outputs[0].dtype = DataType::Bool;
  return Status::ok();
}

} // namespace

void registerUnaryInference(InferRegistry &r) {
  for (const char *op :
       {"Abs",  "Neg",   "Sign",  "Reciprocal", "Sqrt", "Exp",
        "Log",  "Ceil",  "Floor", "Round",      "Erf",  "Sin",
        "Cos",  "Tan",   "Asin",  "Acos",       "Atan", "Sinh",
        "Cosh", "Asinh", "Acosh", "Atanh",      "Not",  "BitwiseNot"})
    r.add(op, [](InferContext &c) { return inferUnary(c, false); });
  for (const char *op : {"IsNaN", "IsInf"})
    r.add(op, [](InferContext &c) { return inferUnary(c, true); });
}

} // namespace edgec
