// Misc kernels: Identity, Dropout (inference semantics) and BitCast.
#include "interp/KernelUtil.h"

#include <cstring>

namespace edgec {

namespace {

Status runIdentity(KernelContext &ctx) {
  // Tensors are immutable once produced, so sharing the buffer is safe.
  ctx.outputs[0] = ctx.input(0);
  return Status::ok();
}

Status sameAsData(InferContext &ctx) { return inferSameAsInput(ctx, 0); }

// ---------------------------------------------------------------------------
// Dropout. Opsets 1-6 had is_test/ratio attributes, 7-11 only ratio (and
// were always inference-time identities in practice); from 12 ratio and
// training_mode are inputs. In inference the output is the input and the
// mask is all true. Training mode with a non-zero ratio is random and not
// supported by this deterministic interpreter.

/// Mask element type: the input type before opset 10, bool from 10.
DataType maskType(const NodeContext &ctx, DataType in) {
  return ctx.opset() != 0 && ctx.opset() < 10 ? in : DataType::Bool;
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

Status inferDropout(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  ctx.outputs[0] = x;
  if (ctx.outputs.size() > 1) {
    ctx.outputs[1] = x;
    ctx.outputs[1].dtype = maskType(ctx, x.dtype);
  }
  return Status::ok();
}

// ---------------------------------------------------------------------------
// BitCast (opset 26): reinterprets the bytes as another type of the same
// width. Bytes reinterpreted as bool are normalised to 0/1 (any other byte
// is not a valid bool here).

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

Status inferBitCast(InferContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(DataType to,
                         bitCastTarget(ctx, ctx.inputType(0).dtype));
  ctx.outputs[0] = ctx.inputType(0);
  ctx.outputs[0].dtype = to;
  return Status::ok();
}

} // namespace

/// OptionalHasElement: whether the optional input holds a value. Optional
/// and sequence types are not supported, so a present input is a tensor
/// (opset 18 allows tensors: true) and an omitted one is an empty optional.
Status runOptionalHasElement(KernelContext &ctx) {
  ctx.outputs[0] = Tensor::scalar<bool>(ctx.hasInput(0));
  return Status::ok();
}

Status inferOptionalHasElement(InferContext &ctx) {
  ctx.outputs[0] = TensorType(DataType::Bool, std::vector<Dim>{});
  return Status::ok();
}

void registerMiscKernels(KernelRegistry &r) {
  r.add("OptionalHasElement", runOptionalHasElement, inferOptionalHasElement);
  r.add("Identity", runIdentity, sameAsData);
  r.add("Dropout", runDropout, inferDropout);
  r.add("BitCast", runBitCast, inferBitCast);
}

} // namespace edgec
