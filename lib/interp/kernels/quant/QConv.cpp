// Integer Conv: TFLite's reference_integer_ops::ConvPerChannel (int8 and,
// per tensor, uint8 activations) and DepthwiseConvPerChannel (group ==
// channels; any depth multiplier), and the 16x8 variants (int16
// activations, int8 weights, int64 accumulation and bias).
//
//   acc[n, m, p] = sum_{c, k in image} (w[m, c, k] - wzp[m]) * (x[n, c, p+k] - xzp)
//                  + bias[m]
//   y = clamp(MultiplyByQuantizedMultiplier(acc, M[m]) + yzp, act_min, act_max)
//
// with M[m] = QuantizeMultiplier(double(x_scale) * double(w_scale[m]) /
// double(y_scale)) (PopulateConvolutionQuantizationParams). Padding is
// skipped, i.e. it contributes the input zero point. Grouped convolution
// (TFLite's `groups = input_depth / filter_input_depth`) is the same sum per
// group.
#include "interp/kernels/quant/QuantUtil.h"

namespace edgec {
namespace {

using namespace qk;

Status runQConv(KernelContext &ctx) {
  if (!ctx.hasInput(0) || !ctx.hasInput(1))
    return ctx.error("Conv needs X and W");
  EDGEC_TRY(requireQuantInput(ctx, 0));
  EDGEC_TRY(requireQuantInput(ctx, 1));
  const Tensor &x = ctx.input(0), &w = ctx.input(1);
  const DataType xt = x.dtype(), yt = outputType(ctx);
  const bool is16x8 = xt == DataType::Int16;
  if (is16x8) {
    if (w.dtype() != DataType::Int8 || yt != DataType::Int16)
      return ctx.unsupported("16x8 Conv needs int8 weights and an int16 "
                             "output, got " + typeName(w.dtype()) + " and " +
                             typeName(yt));
  } else if ((xt != DataType::Int8 && xt != DataType::UInt8) ||
             (w.dtype() != DataType::Int8 && w.dtype() != DataType::UInt8) ||
             (yt != DataType::Int8 && yt != DataType::UInt8)) {
    return ctx.unsupported("quantized Conv on " + typeName(xt) + " x " +
                           typeName(w.dtype()) + " -> " + typeName(yt) +
                           " (int8/uint8 or 16x8 supported)");
  }
  if (x.rank() < 3 || x.rank() > 5 || w.rank() != x.rank())
    return ctx.error("Conv needs X [N, C, D...] (1 to 3 spatial dims) and W "
                     "of the same rank, got " +
                         describe(x) + " and " + describe(w),
                     ErrorCode::InvalidInput);
  const int64_t n = x.dim(0), c = x.dim(1), m = w.dim(0);
  const int64_t group = ctx.attrInt("group", 1);
  if (group <= 0 || c % group != 0 || m % group != 0 || w.dim(1) != c / group)
    return ctx.error("weights " + describe(w) + " do not match input " +
                         describe(x) + " with group " + std::to_string(group),
                     ErrorCode::InvalidInput);
  const int64_t cg = c / group, mg = m / group;
  EDGEC_ASSIGN_OR_RETURN(TensorQ xq, inputParams(ctx, 0));
  EDGEC_ASSIGN_OR_RETURN(ChannelQ wq, channelParams(ctx, 1, m, 0));
  EDGEC_ASSIGN_OR_RETURN(TensorQ yq, outputParams(ctx));
  if (is16x8 && (xq.zeroPoint != 0 || yq.zeroPoint != 0))
    return ctx.error("16x8 Conv needs symmetric int16 input and output (zero "
                     "point 0)");
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> bias,
                         biasValues(ctx, 2, m, xq.scale, wq, yq.scale, is16x8));
  std::vector<int64_t> spatial(x.shape().begin() + 2, x.shape().end());
  std::vector<int64_t> kernel(w.shape().begin() + 2, w.shape().end());
  EDGEC_ASSIGN_OR_RETURN(Window win, readWindow(ctx, spatial, kernel, false));

  std::vector<QuantizedMultiplier> mult((size_t)m), multNeg;
  const std::optional<float> leaky = qmath::fusedLeakyReluAlpha(ctx.node());
  if (leaky) multNeg.resize((size_t)m);
  for (int64_t o = 0; o < m; ++o) {
    double real = (double)xq.scale * (double)wq.scale[(size_t)o] /
                  (double)yq.scale;
    EDGEC_ASSIGN_OR_RETURN(mult[(size_t)o],
                           qmath::requantMultiplier(real, "output channel " +
                                                            std::to_string(o)));
    if (leaky) {
      EDGEC_ASSIGN_OR_RETURN(multNeg[(size_t)o],
                             qmath::requantMultiplier(real * (double)*leaky,
                                               "fused LeakyRelu of channel " +
                                                   std::to_string(o)));
    }
    if (is16x8 && !qmath::multiplier64Usable(mult[(size_t)o]))
      return ctx.unsupported("output channel " + std::to_string(o) +
                             ": rescaling factor " + std::to_string(real) +
                             " is outside the 16x8 range (shift in [-31, 7])");
  }

  TensorShape outShape{n, m};
  for (size_t d = 0; d < win.rank; ++d)
    outShape.push_back(win.out[d]);
  EDGEC_ASSIGN_OR_RETURN(int64_t outCount,
                         checkedNumElements(outShape, int64_t(1) << 31));

  EDGEC_TRY(checkWork(ctx, outCount, cg, win.kernelSize()));
  std::vector<int32_t> xs = toInt32(x), ws = toInt32(w);
  for (int32_t &v : xs)
    v -= xq.zeroPoint;
  const int64_t kSize = win.kernelSize(), inSize = win.inSize(),
                outSize = win.outSize();
  for (int64_t o = 0; o < m; ++o)
    for (int64_t i = 0; i < cg * kSize; ++i)
      ws[(size_t)(o * cg * kSize + i)] -= wq.zeroPoint[(size_t)o];

  std::vector<int32_t> y((size_t)outCount);
  const QRange yr = rangeOf(yt);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t oc = 0; oc < m; ++oc) {
      const int64_t g = oc / mg;
      const int32_t *wc = ws.data() + oc * cg * kSize;
      int32_t *yc = y.data() + (b * m + oc) * outSize;
      for (int64_t o0 = 0; o0 < win.out[0]; ++o0)
        for (int64_t o1 = 0; o1 < win.out[1]; ++o1)
          for (int64_t o2 = 0; o2 < win.out[2]; ++o2) {
            int64_t acc = 0;
            for (int64_t ic = 0; ic < cg; ++ic) {
              const int32_t *xp = xs.data() + (b * c + g * cg + ic) * inSize;
              const int32_t *wp = wc + ic * kSize;
              for (int64_t k0 = 0; k0 < win.kernel[0]; ++k0) {
                int64_t i0 = o0 * win.stride[0] - win.padBegin[0] +
                             k0 * win.dilation[0];
                if (i0 < 0 || i0 >= win.in[0])
                  continue;
                for (int64_t k1 = 0; k1 < win.kernel[1]; ++k1) {
                  int64_t i1 = o1 * win.stride[1] - win.padBegin[1] +
                               k1 * win.dilation[1];
                  if (i1 < 0 || i1 >= win.in[1])
                    continue;
                  const int32_t *xr = xp + (i0 * win.in[1] + i1) * win.in[2];
                  const int32_t *wr =
                      wp + (k0 * win.kernel[1] + k1) * win.kernel[2];
                  for (int64_t k2 = 0; k2 < win.kernel[2]; ++k2) {
                    int64_t i2 = o2 * win.stride[2] - win.padBegin[2] +
                                 k2 * win.dilation[2];
                    if (i2 < 0 || i2 >= win.in[2])
                      continue;
                    acc += (int64_t)wr[k2] * xr[i2];
                  }
                }
              }
            }
            if (!bias.empty())
              acc += bias[(size_t)oc];
            int64_t r;
            if (is16x8) {
              if (!qmath::int64MultiplyInContract(acc))
                return ctx.error("accumulator exceeds the 48-bit range of "
                                 "the 16x8 arithmetic",
                                 ErrorCode::Runtime);
              r = qmath::multiplyByQuantizedMultiplier64(
                  acc, leaky && acc < 0 ? multNeg[(size_t)oc] : mult[(size_t)oc]);
            } else {
              if (acc < std::numeric_limits<int32_t>::min() ||
                  acc > std::numeric_limits<int32_t>::max())
                return ctx.error("accumulator overflows int32 (output "
                                 "channel " + std::to_string(oc) + ")",
                                 ErrorCode::Runtime);
              r = qmath::multiplyByQuantizedMultiplier(
                  (int32_t)acc,
                  leaky && acc < 0 ? multNeg[(size_t)oc] : mult[(size_t)oc]);
            }
            yc[(o0 * win.out[1] + o1) * win.out[2] + o2] =
                qmath::clampTo(r + yq.zeroPoint, yr);
          }
    }
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], fromInt32(yt, outShape, y));
  return Status::ok();
}

} // namespace

void registerQConvKernels(KernelRegistry &r) {
  qk::addIntegerKernel(r, "Conv", runQConv);
}

} // namespace edgec
