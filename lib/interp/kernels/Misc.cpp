// Misc kernels: Identity, Dropout (inference semantics) and BitCast.
#include "interp/KernelUtil.h"
#include "shape/ops/Misc.h"

#include <cstring>

namespace edgec {
namespace {

Status runIdentity(KernelContext &ctx) {
  // Tensors are immutable once produced, so sharing the buffer is safe.
  ctx.outputs[0] = ctx.input(0);
  return Status::ok();
}

Status runDropout(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  bool training = ctx.hasInput(2) && ctx.input(2).numElements() > 0 &&
                  ctx.input(2).getDouble(0) != 0;
  if (training) {
    double ratio = 0.5;
    if (ctx.hasInput(1) && ctx.input(1).numElements() > 0)
      ratio = ctx.input(1).getDouble(0);
    if (!(ratio >= 0 && ratio < 1))
      return ctx.error("ratio must be in [0, 1)", ErrorCode::InvalidInput);
    if (ratio != 0)
      return ctx.unsupported("training-mode dropout (random)");
  }
  ctx.outputs[0] = x;
  if (ctx.numOutputs() > 1 && ctx.wantsOutput(1)) {
    Tensor mask(maskType(ctx, x.dtype()), x.shape());
    for (int64_t i = 0; i < mask.numElements(); ++i) mask.setInt64(i, 1);
    ctx.outputs[1] = std::move(mask);
  }
  return Status::ok();
}

Status runBitCast(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  EDGEC_ASSIGN_OR_RETURN(DataType to, bitCastTarget(ctx, x.dtype()));
  Tensor out(to, x.shape());
  if (x.byteSize())
    std::memcpy(out.raw(), x.raw(), x.byteSize());
  if (to == DataType::Bool) {
    auto *b = static_cast<unsigned char *>(out.raw());
    for (int64_t i = 0; i < out.numElements(); ++i) b[i] = b[i] != 0;
  }
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}
 // namespace

/// OptionalHasElement: whether the optional input holds a value. Optional
/// and sequence types are not supported, so a present input is a tensor
/// (opset 18 allows tensors: true) and an omitted one is an empty optional.
Status runOptionalHasElement(KernelContext &ctx) {
  ctx.outputs[0] = Tensor::scalar<bool>(ctx.hasInput(0));
  return Status::ok();
}

} // namespace

void registerMiscKernels(KernelRegistry &r) {
  r.add("OptionalHasElement", runOptionalHasElement);
  r.add("Identity", runIdentity);
  r.add("Dropout", runDropout);
  r.add("BitCast", runBitCast);
}

} // namespace edgec
