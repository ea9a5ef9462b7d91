// Shape and type inference of the Cast family (kernels:
// interp/kernels/Cast.cpp).
#include "shape/InferUtil.h"

#include <cmath>

namespace edgec {

namespace {

Status inferCast(InferContext &ctx) {
  if (ctx.outputs.empty() || !ctx.hasInput(0)) return Status::ok();
  std::optional<DataType> to = fromOnnxDataType((int)ctx.attrInt("to", 0));
  if (!to) return Status::ok(); // the kernel reports it
  ctx.outputs[0] = ctx.inputType(0);
  ctx.outputs[0].dtype = *to;
  return Status::ok();
}

Status inferCastLike(InferContext &ctx) {
  if (ctx.outputs.empty() || !ctx.hasInput(0) || !ctx.hasInput(1))
    return Status::ok();
  ctx.outputs[0] = ctx.inputType(0);
  ctx.outputs[0].dtype = ctx.inputType(1).dtype;
  return Status::ok();
}

} // namespace

void registerCastInference(InferRegistry &r) {
  r.add("Cast", inferCast);
  r.add("CastLike", inferCastLike);
}

} // namespace edgec
