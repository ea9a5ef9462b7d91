// Shape and type inference of the Signal family (kernels:
// interp/kernels/Signal.cpp).
#include "shape/ops/Signal.h"

#include <cmath>
#include <complex>

namespace edgec {

Expected<DataType> outputDatatype(const NodeContext &ctx, int64_t dflt) {
  int64_t t = ctx.attrInt("output_datatype", dflt);
  std::optional<DataType> dt = fromOnnxDataType((int)t);
  if (!dt || *dt == DataType::Undefined || isStorageOnlyType(*dt) ||
      *dt == DataType::Bool)
    return ctx.error("unsupported output_datatype " + std::to_string(t));
  return *dt;
}

Expected<DftArgs> dftArgs(const NodeContext &ctx, int64_t rank,
                          const Tensor *lengthIn, const Tensor *axisIn) {
  DftArgs a;
  a.inverse = ctx.attrInt("inverse", 0) != 0;
  a.onesided = ctx.attrInt("onesided", 0) != 0;
  int64_t axis = ctx.opset() >= 20 ? -2 : ctx.attrInt("axis", 1);
  if (ctx.opset() >= 20 && axisIn) {
    if (axisIn->numElements() != 1)
      return ctx.error("axis must be a scalar");
    axis = axisIn->getInt64(0);
  }
  if (axis < -rank || axis >= rank - 1 || axis == -1)
    return ctx.error("axis " + std::to_string(axis) +
                     " is out of range for an input of rank " +
                     std::to_string(rank));
  a.axis = axis < 0 ? axis + rank : axis;
  if (lengthIn && lengthIn->numElements() > 0) {
    if (lengthIn->numElements() != 1)
      return ctx.error("dft_length must be a scalar");
    a.length = lengthIn->getInt64(0);
    if (a.length < 1 || a.length > kMaxDftLength)
      return ctx.error("dft_length " + std::to_string(a.length) +
                       " is out of range");
  }
  return a;
}

namespace {

Status inferDft(InferContext &ctx) {
  const TensorType &xt = ctx.inputType(0);
  ctx.outputs[0] = TensorType(xt.dtype);
  if (!xt.hasRank || xt.rank() < 2) return Status::ok();
  int64_t rank = (int64_t)xt.rank();
  const Tensor *len = ctx.hasInput(1) ? ctx.inputValue(1) : nullptr;
  const Tensor *ax = ctx.opset() >= 20 && ctx.hasInput(2) ? ctx.inputValue(2)
                                                         : nullptr;
  if (ctx.opset() >= 20 && ctx.hasInput(2) && !ax) {
    ctx.outputs[0] =
        TensorType(xt.dtype, std::vector<Dim>(xt.rank(), Dim::unknown()));
    return Status::ok();
  }
  auto ar = dftArgs(ctx, rank, len, ax);
  if (!ar) return ar.status();
  std::vector<Dim> dims = xt.dims;
  bool irfft = ar->inverse && ar->onesided;
  dims[rank - 1] = Dim::fixed(irfft ? 1 : 2);
  if (ctx.hasInput(1) && !len) {
    dims[ar->axis] = Dim::unknown();
  } else {
    Dim in = xt.dims[ar->axis];
    if (ar->length >= 0 || in.isStatic()) {
      int64_t n = ar->length >= 0 ? ar->length
                                  : (irfft ? 2 * (in.value - 1) : in.value);
      dims[ar->axis] =
          Dim::fixed(irfft ? n : (ar->onesided ? n / 2 + 1 : n));
    } else {
      dims[ar->axis] = Dim::unknown();
    }
  }
  ctx.outputs[0] = TensorType(xt.dtype, dims);
  return Status::ok();
}

Status inferStft(InferContext &ctx) {
  ctx.outputs[0] = TensorType(
      ctx.inputType(0).dtype, std::vector<Dim>(4, Dim::unknown()));
  ctx.outputs[0].dims[3] = Dim::fixed(2);
  const TensorType &xt = ctx.inputType(0);
  if (xt.hasRank && xt.rank() == 3) ctx.outputs[0].dims[0] = xt.dims[0];
  return Status::ok();
}

Status inferWindow(InferContext &ctx) {
  auto dt = outputDatatype(ctx, 1);
  if (!dt) return dt.status();
  ctx.outputs[0] = TensorType(*dt, std::vector<Dim>{Dim::unknown()});
  if (const Tensor *s = ctx.inputValue(0))
    if (s->numElements() == 1 && s->getInt64(0) >= 0)
      ctx.outputs[0].dims[0] = Dim::fixed(s->getInt64(0));
  return Status::ok();
}

} // namespace

void registerSignalInference(InferRegistry &r) {
  r.add("DFT", inferDft);
  r.add("STFT", inferStft);
  r.add("HannWindow", inferWindow);
  r.add("HammingWindow", inferWindow);
  r.add("BlackmanWindow", inferWindow);
  r.add("MelWeightMatrix", [](InferContext &c) {
    auto dt = outputDatatype(c, 1);
    if (!dt) return dt.status();
    c.outputs[0] = TensorType(*dt, std::vector<Dim>(2, Dim::unknown()));
    return Status::ok();
  });
}

} // namespace edgec
