// Integer pooling.
//
// AveragePool: TFLite's reference_integer_ops::AveragePool: the raw
// (not offset) input values of the window's in-image positions are summed
// and divided by their count rounding half away from zero,
// (acc +- count / 2) / count. count_include_pad = 1 (not a TFLite mode)
// counts the padded positions too, which read as the input zero point.
// MaxPool: reference_integer_ops::MaxPool (padding never wins).
// GlobalAveragePool: TFLite's MEAN over the spatial dims (what converters
// lower a global average pool to), see qmath::quantizedMean.
// GlobalMaxPool: the maximum over the spatial dims.
//
// TFLite requires equal input and output parameters for the pools. When
// they differ (not a TFLite case), AveragePool rescales the offset window
// sum directly, MultiplyByQuantizedMultiplier(sum(q - zp_in),
// QuantizeMultiplier(s_in / (s_out * count))) + zp_out, and MaxPool
// requantizes the maximum with TFLite's Requantize.
#include "interp/kernels/quant/QuantUtil.h"

#include <algorithm>

namespace edgec {
namespace {

using namespace qk;

/// Requantizes `y` (computed in the input's parameters) when the output's
/// differ, and stores it as output 0.
Status finish(KernelContext &ctx, const TensorShape &shape,
              const std::vector<int32_t> &y, DataType inType, TensorQ inQ,
              TensorQ outQ) {
  const DataType yt = outputType(ctx);
  if (inQ == outQ) {
    EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], fromInt32(yt, shape, y));
    return Status::ok();
  }
  EDGEC_ASSIGN_OR_RETURN(Tensor inUnits, fromInt32(inType, shape, y));
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0],
                         requantize(inUnits, inQ, yt, outQ));
  return Status::ok();
}

Status checkTypes(const KernelContext &ctx) {
  EDGEC_TRY(requireQuantInput(ctx, 0));
  DataType xt = ctx.input(0).dtype(), yt = outputType(ctx);
  if (xt == DataType::Int32 || yt == DataType::Int32)
    return ctx.unsupported("quantized pooling of int32 values");
  if (ctx.input(0).rank() < 3)
    return ctx.error("pooling needs X [N, C, D...], got " +
                         describe(ctx.input(0)),
                     ErrorCode::InvalidInput);
  if (ctx.wantsOutput(1))
    return ctx.unsupported("the Indices output of a quantized MaxPool");
  return Status::ok();
}

Status runPool(KernelContext &ctx, bool average) {
  EDGEC_TRY(checkTypes(ctx));
  const Tensor &x = ctx.input(0);
  EDGEC_ASSIGN_OR_RETURN(TensorQ xq, inputParams(ctx, 0));
  EDGEC_ASSIGN_OR_RETURN(TensorQ yq, outputParams(ctx));
  if (!ctx.hasAttr("kernel_shape"))
    return ctx.error("missing kernel_shape");
  std::vector<int64_t> spatial(x.shape().begin() + 2, x.shape().end());
  EDGEC_ASSIGN_OR_RETURN(Window w, readWindow(ctx, spatial, {}, true));
  const bool includePad = average && ctx.attrInt("count_include_pad", 0) != 0;
  TensorShape outShape{x.dim(0), x.dim(1)};
  for (size_t d = 0; d < w.rank; ++d)
    outShape.push_back(w.out[d]);
  EDGEC_ASSIGN_OR_RETURN(int64_t outCount,
                         checkedNumElements(outShape, int64_t(1) << 31));
  EDGEC_TRY(checkWork(ctx, outCount, w.kernelSize()));
  const std::vector<int32_t> xs = toInt32(x);
  std::vector<int32_t> y((size_t)outCount);
  // Average with differing parameters: one multiplier per window count.
  const bool rescaleAverage = average && xq != yq;
  std::vector<QuantizedMultiplier> countMult;
  if (rescaleAverage) {
    countMult.resize((size_t)w.kernelSize() + 1);
    for (int64_t n = 1; n <= w.kernelSize(); ++n) {
      EDGEC_ASSIGN_OR_RETURN(
          countMult[(size_t)n],
          qmath::requantMultiplier((double)xq.scale / ((double)yq.scale * (double)n),
                            "average"));
    }
  }
  const QRange yr = rangeOf(outputType(ctx));
  const int64_t planes = x.dim(0) * x.dim(1), inSize = w.inSize(),
                outSize = w.outSize();
  for (int64_t pl = 0; pl < planes; ++pl) {
    const int32_t *xp = xs.data() + pl * inSize;
    int32_t *yp = y.data() + pl * outSize;
    for (int64_t o0 = 0; o0 < w.out[0]; ++o0)
      for (int64_t o1 = 0; o1 < w.out[1]; ++o1)
        for (int64_t o2 = 0; o2 < w.out[2]; ++o2) {
          int64_t acc = 0, count = 0, padCount = 0;
          int32_t mx = std::numeric_limits<int32_t>::min();
          const int64_t o[3] = {o0, o1, o2};
          int64_t lo[3], hi[3];
          for (int d = 0; d < 3; ++d) {
            lo[d] = o[d] * w.stride[d] - w.padBegin[d];
            hi[d] = w.in[d] + w.padEnd[d];
          }
          for (int64_t k0 = 0; k0 < w.kernel[0]; ++k0) {
            const int64_t i0 = lo[0] + k0 * w.dilation[0];
            for (int64_t k1 = 0; k1 < w.kernel[1]; ++k1) {
              const int64_t i1 = lo[1] + k1 * w.dilation[1];
              for (int64_t k2 = 0; k2 < w.kernel[2]; ++k2) {
                const int64_t i2 = lo[2] + k2 * w.dilation[2];
                const bool inside = i0 >= 0 && i0 < w.in[0] && i1 >= 0 &&
                                    i1 < w.in[1] && i2 >= 0 && i2 < w.in[2];
                if (inside) {
                  const int32_t v = xp[(i0 * w.in[1] + i1) * w.in[2] + i2];
                  acc += v;
                  mx = std::max(mx, v);
                  ++count;
                } else if (i0 < hi[0] && i1 < hi[1] && i2 < hi[2]) {
                  ++padCount; // inside the padded extent
                }
              }
            }
          }
          int32_t r;
          if (count == 0) {
            if (!average || !includePad || padCount == 0)
              return ctx.error("a pooling window covers only padding",
                               ErrorCode::InvalidInput);
          }
          if (rescaleAverage) {
            // Padded positions read as the zero point: they add 0 here.
            const int64_t offsetSum = acc - count * (int64_t)xq.zeroPoint;
            if (includePad)
              count += padCount;
            if (offsetSum < std::numeric_limits<int32_t>::min() ||
                offsetSum > std::numeric_limits<int32_t>::max())
              return ctx.error("average pool sum overflows int32",
                               ErrorCode::Runtime);
            r = qmath::clampTo(
                (int64_t)qmath::multiplyByQuantizedMultiplier(
                    (int32_t)offsetSum, countMult[(size_t)count]) +
                    yq.zeroPoint,
                yr);
          } else if (average) {
            if (includePad) {
              acc += padCount * (int64_t)xq.zeroPoint;
              count += padCount;
            }
            const int64_t q = acc > 0 ? (acc + count / 2) / count
                                      : (acc - count / 2) / count;
            r = (int32_t)q;
          } else {
            r = mx;
          }
          yp[(o0 * w.out[1] + o1) * w.out[2] + o2] = r;
        }
  }
  if (rescaleAverage) {
    EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0],
                           fromInt32(outputType(ctx), outShape, y));
    return Status::ok();
  }
  return finish(ctx, outShape, y, x.dtype(), xq, yq);
}

Status runGlobalPool(KernelContext &ctx, bool average) {
  EDGEC_TRY(checkTypes(ctx));
  const Tensor &x = ctx.input(0);
  EDGEC_ASSIGN_OR_RETURN(TensorQ xq, inputParams(ctx, 0));
  EDGEC_ASSIGN_OR_RETURN(TensorQ yq, outputParams(ctx));
  TensorShape outShape{x.dim(0), x.dim(1)};
  outShape.resize(x.rank(), 1);
  const std::vector<int32_t> xs = toInt32(x);
  if (average) {
    std::vector<bool> reduce(x.rank(), true);
    reduce[0] = reduce[1] = false;
    EDGEC_ASSIGN_OR_RETURN(
        std::vector<int32_t> y,
        qmath::quantizedMean(xs, x.shape(), reduce, xq, yq, outputType(ctx)));
    EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0],
                           fromInt32(outputType(ctx), outShape, y));
    return Status::ok();
  }
  const int64_t planes = x.dim(0) * x.dim(1);
  const int64_t size = planes == 0 ? 0 : x.numElements() / planes;
  if (size == 0 && planes > 0)
    return ctx.error("GlobalMaxPool of an empty plane",
                     ErrorCode::InvalidInput);
  std::vector<int32_t> y((size_t)planes);
  for (int64_t p = 0; p < planes; ++p)
    y[(size_t)p] = *std::max_element(xs.begin() + p * size,
                                     xs.begin() + (p + 1) * size);
  return finish(ctx, outShape, y, x.dtype(), xq, yq);
}

} // namespace

void registerQPoolKernels(KernelRegistry &r) {
  qk::addIntegerKernel(r, "AveragePool",
                       [](KernelContext &c) { return runPool(c, true); });
  qk::addIntegerKernel(r, "MaxPool",
                       [](KernelContext &c) { return runPool(c, false); });
  qk::addIntegerKernel(r, "GlobalAveragePool", [](KernelContext &c) {
    return runGlobalPool(c, true);
  });
  qk::addIntegerKernel(r, "GlobalMaxPool", [](KernelContext &c) {
    return runGlobalPool(c, false);
  });
}

} // namespace edgec
