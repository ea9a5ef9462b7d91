// Integer data movement: Reshape, Flatten, Squeeze, Unsqueeze, Transpose,
// Identity, Slice (the type-generic float-domain kernel moves the data;
// output 0 is requantized with TFLite's Requantize when its parameters
// differ from input 0's), Concat and Pad.
//
// Concat: TFLite's ConcatenationWithScaling: inputs whose parameters equal
// the output's are copied, others are rescaled in float,
// round(q * (s_in * (1 / s_out)) - zp_in * scale) + zp_out.
// Pad: TFLite's Pad pads with the output zero point (or the given constant,
// which is quantized with the input's parameters when it is a float).
#include "interp/kernels/quant/QuantUtil.h"

#include <algorithm>
#include <cmath>

namespace edgec {
namespace {

using namespace qk;

/// Stores `t` (in input 0's parameters) as output 0, requantizing when the
/// output's type or parameters differ.
Status storeRequantized(KernelContext &ctx, Tensor t, TensorQ inQ) {
  EDGEC_ASSIGN_OR_RETURN(TensorQ yq, outputParams(ctx));
  const DataType yt = outputType(ctx);
  if (inQ == yq && t.dtype() == yt) {
    ctx.outputs[0] = std::move(t);
    return Status::ok();
  }
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], requantize(t, inQ, yt, yq));
  return Status::ok();
}

Status runMove(KernelContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(TensorQ xq, inputParams(ctx, 0));
  EDGEC_TRY(outputParams(ctx));
  EDGEC_TRY(runDefaultKernel(ctx));
  if (ctx.outputs.empty() || !ctx.outputs[0].isValid())
    return ctx.error("kernel produced no output");
  Tensor t = std::move(ctx.outputs[0]);
  return storeRequantized(ctx, std::move(t), xq);
}

Status runQConcat(KernelContext &ctx) {
  if (ctx.numInputs() == 0)
    return ctx.error("Concat needs at least one input");
  EDGEC_ASSIGN_OR_RETURN(TensorQ yq, outputParams(ctx));
  const DataType yt = outputType(ctx);
  const Tensor &first = ctx.input(0);
  const int64_t rank = (int64_t)first.rank();
  if (rank == 0)
    return ctx.error("Concat of scalars", ErrorCode::InvalidInput);
  if (!ctx.hasAttr("axis"))
    return ctx.error("missing axis");
  EDGEC_ASSIGN_OR_RETURN(int64_t axis,
                         normalizeAxis(ctx, ctx.attrInt("axis", 0), rank));
  TensorShape outShape = first.shape();
  outShape[(size_t)axis] = 0;
  std::vector<TensorQ> qs;
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(TensorQ q, inputParams(ctx, i));
    qs.push_back(q);
    const Tensor &t = ctx.input(i);
    if ((int64_t)t.rank() != rank)
      return ctx.error("Concat inputs differ in rank", ErrorCode::InvalidInput);
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && t.dim((size_t)d) != first.dim((size_t)d))
        return ctx.error("Concat input " + std::to_string(i) + " " +
                             describe(t) + " does not match " +
                             describe(first),
                         ErrorCode::InvalidInput);
    outShape[(size_t)axis] += t.dim((size_t)axis);
  }
  EDGEC_ASSIGN_OR_RETURN(int64_t total,
                         checkedNumElements(outShape, int64_t(1) << 31));
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= outShape[(size_t)d];
  for (int64_t d = axis + 1; d < rank; ++d)
    inner *= outShape[(size_t)d];
  const QRange yr = rangeOf(yt);
  const float inverseOutScale = 1.f / yq.scale;
  std::vector<int32_t> y((size_t)total);
  std::vector<std::vector<int32_t>> ins;
  for (size_t i = 0; i < ctx.numInputs(); ++i)
    ins.push_back(toInt32(ctx.input(i)));
  int32_t *out = y.data();
  for (int64_t o = 0; o < outer; ++o)
    for (size_t i = 0; i < ins.size(); ++i) {
      const int64_t n = ctx.input(i).dim((size_t)axis) * inner;
      const int32_t *src = ins[i].data() + o * n;
      if (qs[i] == yq) {
        for (int64_t j = 0; j < n; ++j)
          out[j] = qmath::clampTo(src[j], yr);
      } else {
        const float scale = qs[i].scale * inverseOutScale;
        const float bias = (float)-qs[i].zeroPoint * scale;
        for (int64_t j = 0; j < n; ++j) {
          const float v = std::round((float)src[j] * scale + bias);
          const int64_t q =
              std::isnan(v) ? yq.zeroPoint
                            : (int64_t)std::clamp(v, -2147483648.0f,
                                                  2147483520.0f) +
                                  yq.zeroPoint;
          out[j] = qmath::clampTo(q, yr);
        }
      }
      out += n;
    }
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], fromInt32(yt, outShape, y));
  return Status::ok();
}

/// The source index of output position s - padBegin along a dim of size n,
/// or -1 for the constant fill (same modes as the float Pad).
int64_t padSource(const std::string &mode, int64_t s, int64_t n) {
  if (s >= 0 && s < n)
    return s;
  if (mode == "edge")
    return s < 0 ? 0 : n - 1;
  if (mode == "wrap")
    return ((s % n) + n) % n;
  if (mode == "reflect") {
    if (n == 1)
      return 0;
    const int64_t period = 2 * (n - 1);
    const int64_t m = ((s % period) + period) % period;
    return m < n ? m : period - m;
  }
  return -1;
}

Status runQPad(KernelContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(TensorQ xq, inputParams(ctx, 0));
  const Tensor &x = ctx.input(0);
  const size_t r = x.rank();
  const std::string mode = ctx.attrString("mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge" &&
      mode != "wrap")
    return ctx.unsupported("pad mode '" + mode + "'");
  std::vector<int64_t> pads;
  if (ctx.opset() >= 11 || ctx.hasInput(1)) {
    if (!ctx.hasInput(1))
      return ctx.error("missing pads");
    pads = ctx.input(1).toInt64Vector();
  } else {
    pads = ctx.attrInts(ctx.hasAttr("pads") ? "pads" : "paddings");
  }
  std::vector<int64_t> full(2 * r, 0);
  if (ctx.hasInput(3)) {
    std::vector<int64_t> axes = ctx.input(3).toInt64Vector();
    if (pads.size() != 2 * axes.size())
      return ctx.error("pads has " + std::to_string(pads.size()) +
                       " entries for " + std::to_string(axes.size()) +
                       " axes");
    for (size_t i = 0; i < axes.size(); ++i) {
      EDGEC_ASSIGN_OR_RETURN(int64_t a,
                             normalizeAxis(ctx, axes[i], (int64_t)r));
      full[(size_t)a] = pads[i];
      full[(size_t)a + r] = pads[i + axes.size()];
    }
  } else {
    if (pads.size() != 2 * r)
      return ctx.error("pads has " + std::to_string(pads.size()) +
                       " entries for rank " + std::to_string(r));
    full = pads;
  }
  TensorShape shape(r);
  for (size_t d = 0; d < r; ++d) {
    if (full[d] < -(int64_t(1) << 40) || full[d] > (int64_t(1) << 40) ||
        full[d + r] < -(int64_t(1) << 40) || full[d + r] > (int64_t(1) << 40))
      return ctx.error("pad amount too large");
    shape[d] = x.dim(d) + full[d] + full[d + r];
    if (shape[d] < 0)
      return ctx.error("pads crop axis " + std::to_string(d) +
                           " below size 0",
                       ErrorCode::InvalidInput);
    if (x.dim(d) == 0 && shape[d] > 0 && mode != "constant")
      return ctx.error("cannot pad an empty axis in mode '" + mode + "'",
                       ErrorCode::InvalidInput);
  }
  // The fill value in input units.
  const QRange xr = rangeOf(x.dtype());
  int32_t fill = xq.zeroPoint;
  if (ctx.hasInput(2) && ctx.input(2).numElements() > 0) {
    const Tensor &cv = ctx.input(2);
    const Value *cvv = ctx.node().input(2);
    if (isFloatType(cv.dtype())) {
      fill = qmath::quantizeRound(cv.getDouble(0), xq.scale, xq.zeroPoint, xr);
    } else if (cvv && cvv->quant) {
      EDGEC_ASSIGN_OR_RETURN(TensorQ cq,
                             qmath::perTensorParams(cvv, cv.dtype(), "input 2"));
      fill = qmath::quantizeRound(
          qmath::dequantize(cv.getInt64(0), cq.scale, cq.zeroPoint), xq.scale,
          xq.zeroPoint, xr);
    } else {
      fill = qmath::clampTo(cv.getInt64(0), xr);
    }
  } else if (ctx.opset() < 11 && ctx.hasAttr("value")) {
    fill = qmath::quantizeRound(ctx.attrFloat("value", 0.0f), xq.scale,
                                xq.zeroPoint, xr);
  }
  EDGEC_ASSIGN_OR_RETURN(int64_t total,
                         checkedNumElements(shape, int64_t(1) << 31));
  std::vector<std::vector<int64_t>> maps(r);
  for (size_t d = 0; d < r; ++d) {
    maps[d].resize((size_t)shape[d]);
    for (int64_t o = 0; o < shape[d]; ++o)
      maps[d][(size_t)o] = padSource(mode, o - full[d], x.dim(d));
  }
  const std::vector<int32_t> xs = toInt32(x);
  const std::vector<int64_t> inStrides = stridesOf(x.shape());
  std::vector<int32_t> y((size_t)total);
  std::vector<int64_t> idx(r, 0);
  for (int64_t o = 0; o < total; ++o) {
    int64_t src = 0;
    bool inside = true;
    for (size_t d = 0; d < r && inside; ++d) {
      int64_t s = maps[d][(size_t)idx[d]];
      if (s < 0)
        inside = false;
      else
        src += s * inStrides[d];
    }
    y[(size_t)o] = inside ? xs[(size_t)src] : fill;
    for (size_t d = r; d-- > 0;) {
      if (++idx[d] < shape[d])
        break;
      idx[d] = 0;
    }
  }
  EDGEC_ASSIGN_OR_RETURN(Tensor t, fromInt32(x.dtype(), shape, y));
  return storeRequantized(ctx, std::move(t), xq);
}

} // namespace

void registerQShapeKernels(KernelRegistry &r) {
  for (const char *op : {"Reshape", "Flatten", "Squeeze", "Unsqueeze",
                         "Transpose", "Identity", "Slice"})
    qk::addIntegerKernel(r, op, runMove);
  qk::addIntegerKernel(r, "Concat", runQConcat);
  qk::addIntegerKernel(r, "Pad", runQPad);
}

} // namespace edgec
