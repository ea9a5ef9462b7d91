// Integer ReduceMean: TensorFlow Lite Micro's MEAN for int8/int16
// (reduce_common.cc EvalIntegerMean, reference reduce.h), see
// qmath::quantizedMean. Axes come from the attribute (opset < 18) or input 1.
#include "interp/kernels/quant/QuantUtil.h"

namespace edgec {
namespace {

using namespace qk;

Status runQReduceMean(KernelContext &ctx) {
  EDGEC_TRY(requireQuantInput(ctx, 0));
  const Tensor &x = ctx.input(0);
  const DataType yt = outputType(ctx);
  if (x.dtype() == DataType::Int32 || yt == DataType::Int32)
    return ctx.unsupported("quantized ReduceMean of int32 values");
  EDGEC_ASSIGN_OR_RETURN(TensorQ xq, inputParams(ctx, 0));
  EDGEC_ASSIGN_OR_RETURN(TensorQ yq, outputParams(ctx));
  std::vector<int64_t> axes = ctx.opset() >= 18 || ctx.hasInput(1)
                                  ? inputInts(ctx, 1)
                                  : ctx.attrInts("axes");
  const bool keepDims = ctx.attrInt("keepdims", 1) != 0;
  const int64_t rank = (int64_t)x.rank();
  std::vector<bool> reduce((size_t)rank, false);
  if (axes.empty()) {
    if (ctx.attrInt("noop_with_empty_axes", 0) != 0) {
      if (xq == yq && x.dtype() == yt) {
        ctx.outputs[0] = x;
        return Status::ok();
      }
      EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], requantize(x, xq, yt, yq));
      return Status::ok();
    }
    reduce.assign((size_t)rank, true);
  }
  for (int64_t a : axes) {
    EDGEC_ASSIGN_OR_RETURN(int64_t n, normalizeAxis(ctx, a, rank));
    if (reduce[(size_t)n])
      return ctx.error("axis " + std::to_string(a) + " is repeated");
    reduce[(size_t)n] = true;
  }
  TensorShape outShape;
  for (int64_t d = 0; d < rank; ++d) {
    if (!reduce[(size_t)d])
      outShape.push_back(x.dim((size_t)d));
    else if (keepDims)
      outShape.push_back(1);
  }
  EDGEC_ASSIGN_OR_RETURN(
      std::vector<int32_t> y,
      qmath::quantizedMean(toInt32(x), x.shape(), reduce, xq, yq, yt));
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], fromInt32(yt, outShape, y));
  return Status::ok();
}

} // namespace

void registerQReduceKernels(KernelRegistry &r) {
  qk::addIntegerKernel(r, "ReduceMean", runQReduceMean);
}

} // namespace edgec
