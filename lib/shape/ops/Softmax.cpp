// Shape and type inference of the Softmax family (kernels:
// interp/kernels/Softmax.cpp).
#include "shape/ops/Softmax.h"

#include <cmath>
#include <limits>

namespace edgec {

Expected<std::string> lossReduction(const NodeContext &ctx) {
  std::string red = ctx.attrString("reduction", "mean");
  if (red != "none" && red != "sum" && red != "mean")
    return ctx.error("unknown reduction '" + red + "'");
  return red;
}

namespace {

Status inferSoftmax(InferContext &ctx) {
  const TensorType &in = ctx.inputType(0);
  if (!isFloatType(in.dtype) && in.dtype != DataType::Undefined)
    return ctx.error("element type must be floating point");
  if (in.hasRank) {
    // Validate the axis against the known rank.
    int64_t r = (int64_t)in.rank();
    int64_t axis = ctx.attrInt("axis", ctx.opset() < 13 ? 1 : -1);
    bool legacy = ctx.opset() < 13;
    if (r > 0 && (axis < -r || axis > (legacy ? r : r - 1)))
      return ctx.error("axis " + std::to_string(axis) +
                       " is out of range for rank " + std::to_string(r));
  }
  ctx.outputs[0] = in;
  return Status::ok();
}

Status inferLoss(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  const TensorType &t = ctx.inputType(1);
  EDGEC_ASSIGN_OR_RETURN(std::string red, lossReduction(ctx));
  if (red == "none")
    ctx.outputs[0] =
        t.hasRank ? TensorType(x.dtype, t.dims) : TensorType(x.dtype);
  else
    ctx.outputs[0] = TensorType(x.dtype, std::vector<Dim>{});
  if (ctx.outputs.size() > 1) ctx.outputs[1] = x;
  return Status::ok();
}

} // namespace

void registerSoftmaxInference(InferRegistry &r) {
  for (const char *op : {"Softmax", "LogSoftmax", "Hardmax"})
    r.add(op, 1, inferSoftmax);
  r.add("NegativeLogLikelihoodLoss", 2, inferLoss);
  r.add("SoftmaxCrossEntropyLoss", 2, inferLoss);
}

} // namespace edgec
