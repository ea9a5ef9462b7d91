// Integer elementwise functions by lookup table: every unary float op (and
// binary ones whose second operand is a one-element constant, e.g. Pow(x, 2))
// on int8/uint8/int16 values is TFLite's PopulateLookupTable of the float
// kernel: each representable input is dequantized, the default-domain float
// kernel of the op is evaluated on all of them at once, and the results are
// quantized with std::round into the output parameters. The table has 256
// (8-bit) or 65536 (int16) entries and is exact by construction: the result
// for q is quantize(f(dequantize(q))), the best any integer kernel can do.
#include "interp/kernels/quant/QuantUtil.h"

namespace edgec {
namespace {

using namespace qk;

Status runQLookupTable(KernelContext &ctx) {
  EDGEC_TRY(requireQuantInput(ctx, 0));
  EDGEC_ASSIGN_OR_RETURN(TensorQ xq, inputParams(ctx, 0));
  EDGEC_ASSIGN_OR_RETURN(TensorQ yq, outputParams(ctx));
  const DataType xt = ctx.input(0).dtype(), yt = outputType(ctx);
  if (xt == DataType::Int32 || yt == DataType::Int32)
    return ctx.unsupported("quantized " + ctx.node().opType +
                           " of int32 values");
  std::vector<const Tensor *> ins{nullptr};
  for (size_t i = 1; i < ctx.numInputs(); ++i) {
    if (!ctx.hasInput(i)) {
      ins.push_back(nullptr);
      continue;
    }
    const Value *v = ctx.node().input(i);
    if ((v && v->quant) || ctx.input(i).numElements() != 1)
      return ctx.unsupported("quantized " + ctx.node().opType +
                             " needs its operands after the first to be "
                             "one-element float constants");
    ins.push_back(&ctx.input(i));
  }
  const QRange xr = rangeOf(xt);
  const int64_t n = (int64_t)xr.max - xr.min + 1;
  Tensor grid(DataType::Float32, {n});
  float *g = grid.data<float>();
  for (int64_t i = 0; i < n; ++i)
    g[i] = xq.scale * (float)(xr.min + i - xq.zeroPoint);
  ins[0] = &grid;
  EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> outs, ctx.runFloatKernel(ins));
  if (outs.empty() || outs[0].dtype() != DataType::Float32 ||
      outs[0].numElements() != n)
    return ctx.unsupported("quantized " + ctx.node().opType +
                           " is not an elementwise float function");
  const float *f = outs[0].data<float>();
  std::vector<int32_t> y = toInt32(ctx.input(0));
  for (int32_t &v : y)
    v = qmath::lookupTableEntry(f[(size_t)((int64_t)v - xr.min)], yq, yt);
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], fromInt32(yt, ctx.input(0).shape(), y));
  return Status::ok();
}

} // namespace

void registerQLookupTableKernels(KernelRegistry &r) {
  for (const char *op : qmath::kLookupTableOps)
    qk::addIntegerKernel(r, op, runQLookupTable);
}

} // namespace edgec
