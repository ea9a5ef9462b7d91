// Shape and type inference of the DeformConv family (kernels:
// interp/kernels/DeformConv.cpp).
#include "shape/InferUtil.h"

#include <cmath>

namespace edgec {

namespace {

Status inferDeformConv(InferContext &ctx) {
  if (ctx.outputs.empty() || !ctx.hasInput(0) || !ctx.hasInput(1))
    return Status::ok();
  const TensorType &x = ctx.inputType(0), &wt = ctx.inputType(1);
  if (!x.hasRank || x.rank() != 4 || !wt.hasRank || wt.rank() != 4) {
    ctx.outputs[0] = TensorType(x.dtype);
    return Status::ok();
  }
  std::vector<Dim> dims{x.dims[0], wt.dims[0], Dim::unknown(), Dim::unknown()};
  // The offset input carries the output spatial dims.
  if (ctx.hasInput(2) && ctx.inputType(2).hasRank &&
      ctx.inputType(2).rank() == 4) {
    dims[2] = ctx.inputType(2).dims[2];
    dims[3] = ctx.inputType(2).dims[3];
  }
  ctx.outputs[0] = TensorType(x.dtype, dims);
  return Status::ok();
}

} // namespace

void registerDeformConvInference(InferRegistry &r) {
  r.add("DeformConv", inferDeformConv);
}

} // namespace edgec
