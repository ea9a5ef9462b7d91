// Integer Resize (and Upsample).
//
// nearest: element selection by the type-generic float-domain kernel (ONNX
// coordinate and nearest modes; TFLite's RESIZE_NEAREST_NEIGHBOR is the
// asymmetric/floor, tf_half_pixel_for_nn/floor and align_corners/
// round_prefer_ceil cases of it), then requantization when the output's
// parameters differ.
// linear on [N, C, H, W] resizing H and W: TFLite's ResizeBilinearInteger
// (10-bit fractional coordinates, 20-bit products, rounding half away from
// zero): coordinate_transformation_mode half_pixel / pytorch_half_pixel ->
// half_pixel_centers, align_corners -> align_corners, asymmetric -> neither.
// The scale is the ratio of the sizes (TFLite semantics), not a `scales`
// input that differs from it.
#include "interp/kernels/quant/QuantUtil.h"

#include <algorithm>

namespace edgec {
namespace {

using namespace qk;

/// ComputeInterpolationValuesInteger.
void interpolationValues(int32_t value, int32_t scale10, bool halfPixel,
                         int32_t inputSize, int32_t *scaled, int32_t *lower,
                         int32_t *upper) {
  *scaled = halfPixel ? value * scale10 + scale10 / 2 - (1 << 9)
                      : value * scale10;
  *lower = std::max(*scaled / (1 << 10), 0);
  *upper = std::min((*scaled + (1 << 10) - 1) / (1 << 10), inputSize - 1);
}

Status runQResize(KernelContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(TensorQ xq, inputParams(ctx, 0));
  EDGEC_ASSIGN_OR_RETURN(TensorQ yq, outputParams(ctx));
  const Tensor &x = ctx.input(0);
  const DataType yt = outputType(ctx);
  if (x.dtype() == DataType::Int32)
    return ctx.unsupported("quantized Resize of int32 values");
  const std::string mode = ctx.attrString("mode", "nearest");
  // The float-domain kernel validates every attribute and input and decides
  // the output shape; for nearest it also produces the result.
  EDGEC_TRY(runDefaultKernel(ctx));
  if (ctx.outputs.empty() || !ctx.outputs[0].isValid())
    return ctx.error("kernel produced no output");
  Tensor t = std::move(ctx.outputs[0]);
  if (mode != "nearest") {
    if (mode != "linear" && mode != "bilinear")
      return ctx.unsupported("quantized Resize mode '" + mode + "'");
    const TensorShape &os = t.shape();
    if (x.rank() != 4 || os[0] != x.dim(0) || os[1] != x.dim(1))
      return ctx.unsupported("quantized linear Resize other than of H and W "
                             "of an [N, C, H, W] tensor");
    if (ctx.attrInt("antialias", 0) != 0 &&
        (os[2] < x.dim(2) || os[3] < x.dim(3)))
      return ctx.unsupported("quantized antialiased downsampling");
    const std::string ctm =
        ctx.attrString("coordinate_transformation_mode",
                       ctx.opset() >= 11 ? "half_pixel" : "asymmetric");
    bool halfPixel = false, alignCorners = false;
    if (ctm == "half_pixel" || ctm == "pytorch_half_pixel")
      halfPixel = true;
    else if (ctm == "align_corners")
      alignCorners = true;
    else if (ctm != "asymmetric")
      return ctx.unsupported("quantized linear Resize with "
                             "coordinate_transformation_mode '" + ctm + "'");
    const int64_t limit = int64_t(1) << 20;
    for (int64_t d : {x.dim(2), x.dim(3), os[2], os[3]})
      if (d <= 0 || d > limit)
        return ctx.unsupported("quantized linear Resize of spatial sizes "
                               "outside [1, 2^20]");
    const int32_t inH = (int32_t)x.dim(2), inW = (int32_t)x.dim(3);
    const int32_t outH = (int32_t)os[2], outW = (int32_t)os[3];
    int32_t hScale = (int32_t)(((int64_t(1) << 10) * inH + outH / 2) / outH);
    int32_t wScale = (int32_t)(((int64_t(1) << 10) * inW + outW / 2) / outW);
    if (alignCorners && outH > 1)
      hScale = (int32_t)(((int64_t(1) << 10) * (inH - 1) + (outH - 1) / 2) /
                         (outH - 1));
    if (alignCorners && outW > 1)
      wScale = (int32_t)(((int64_t(1) << 10) * (inW - 1) + (outW - 1) / 2) /
                         (outW - 1));
    if ((int64_t)hScale * outH > (int64_t(1) << 30) ||
        (int64_t)wScale * outW > (int64_t(1) << 30))
      return ctx.unsupported("quantized linear Resize too large for the "
                             "10-bit fixed-point coordinates");
    const std::vector<int32_t> xs = toInt32(x);
    std::vector<int32_t> y((size_t)t.numElements());
    const int64_t planes = x.dim(0) * x.dim(1);
    for (int64_t p = 0; p < planes; ++p) {
      const int32_t *xp = xs.data() + p * inH * inW;
      int32_t *yp = y.data() + p * outH * outW;
      for (int32_t oy = 0; oy < outH; ++oy) {
        int32_t iy, y0, y1;
        interpolationValues(oy, hScale, halfPixel, inH, &iy, &y0, &y1);
        for (int32_t ox = 0; ox < outW; ++ox) {
          int32_t ix, x0, x1;
          interpolationValues(ox, wScale, halfPixel, inW, &ix, &x0, &x1);
          const int64_t dy = iy - (1 << 10) * y0, dx = ix - (1 << 10) * x0;
          const int64_t out20 =
              (int64_t)xp[y0 * inW + x0] * ((1 << 10) - dy) * ((1 << 10) - dx) +
              (int64_t)xp[y1 * inW + x0] * dy * ((1 << 10) - dx) +
              (int64_t)xp[y0 * inW + x1] * ((1 << 10) - dy) * dx +
              (int64_t)xp[y1 * inW + x1] * dy * dx;
          const int64_t round = out20 > 0 ? (1 << 19) : -(1 << 19);
          yp[oy * outW + ox] = (int32_t)((out20 + round) / (1 << 20));
        }
      }
    }
    EDGEC_ASSIGN_OR_RETURN(t, fromInt32(x.dtype(), t.shape(), y));
  }
  if (xq == yq && t.dtype() == yt) {
    ctx.outputs[0] = std::move(t);
    return Status::ok();
  }
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], requantize(t, xq, yt, yq));
  return Status::ok();
}

} // namespace

void registerQResizeKernels(KernelRegistry &r) {
  qk::addIntegerKernel(r, "Resize", runQResize);
  qk::addIntegerKernel(r, "Upsample", runQResize);
}

} // namespace edgec
