// DeformConv: 2-D convolution whose sampling positions are shifted by
// learned per-position offsets (bilinear sampling), optionally masked.
// Lowered like Conv: a (deformed) im2col followed by the float GEMM.
#include "interp/KernelUtil.h"
#include "interp/kernels/GemmCore.h"

#include <cmath>

namespace edgec {
namespace {

/// Bilinear sample of an h x w plane at (y, x); points farther than one
/// pixel outside the plane read 0 and corners outside the plane count as 0.
float bilinear(const float *plane, int64_t h, int64_t w, float y, float x) {
  if (!(y > -1.0f && y < (float)h && x > -1.0f && x < (float)w))
    return 0.0f;
  float y0f = std::floor(y), x0f = std::floor(x);
  int64_t y0 = (int64_t)y0f, x0 = (int64_t)x0f;
  float dy = y - y0f, dx = x - x0f;
  auto at = [&](int64_t yy, int64_t xx) {
    return yy >= 0 && yy < h && xx >= 0 && xx < w ? plane[yy * w + xx] : 0.0f;
  };
  return (1 - dy) * (1 - dx) * at(y0, x0) + (1 - dy) * dx * at(y0, x0 + 1) +
         dy * (1 - dx) * at(y0 + 1, x0) + dy * dx * at(y0 + 1, x0 + 1);
}

Status runDeformConv(KernelContext &ctx) {
  const Tensor &x = ctx.input(0), &wt = ctx.input(1), &off = ctx.input(2);
  if (x.dtype() != DataType::Float32 && x.dtype() != DataType::Float16 &&
      x.dtype() != DataType::Float64)
    return ctx.unsupported("deformconv on " +
                           std::string(dataTypeName(x.dtype())));
  if (x.rank() != 4 || wt.rank() != 4 || off.rank() != 4)
    return ctx.unsupported("deformconv supports 2-D inputs only");
  for (size_t i = 1; i < 5; ++i)
    if (ctx.hasInput(i) && ctx.input(i).dtype() != x.dtype())
      return ctx.error("deformconv input types differ");
  int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
  int64_t m = wt.dim(0), kh = wt.dim(2), kw = wt.dim(3);
  int64_t group = ctx.attrInt("group", 1);
  int64_t offGroup = ctx.attrInt("offset_group", 1);
  if (group <= 0 || c % group != 0 || m % group != 0 ||
      wt.dim(1) != c / group || offGroup <= 0 || c % offGroup != 0)
    return ctx.error("deformconv channels do not match group/offset_group",
                     ErrorCode::InvalidInput);
  std::vector<int64_t> kernel = ctx.attrInts("kernel_shape", {kh, kw});
  std::vector<int64_t> stride = ctx.attrInts("strides", {1, 1});
  std::vector<int64_t> dil = ctx.attrInts("dilations", {1, 1});
  std::vector<int64_t> pads = ctx.attrInts("pads", {0, 0, 0, 0});
  if (kernel != std::vector<int64_t>{kh, kw} || stride.size() != 2 ||
      dil.size() != 2 || pads.size() != 4)
    return ctx.error("kernel_shape/strides/dilations/pads do not match");
  int64_t outDims[2];
  int64_t in[2] = {h, w}, k[2] = {kh, kw};
  for (int d = 0; d < 2; ++d) {
    if (stride[d] <= 0 || dil[d] <= 0 || pads[d] < 0 || pads[d + 2] < 0 ||
        stride[d] > (1 << 20) || dil[d] > (1 << 20) || pads[d] > (1 << 30) ||
        pads[d + 2] > (1 << 30))
      return ctx.error("invalid strides/dilations/pads");
    int64_t span = in[d] + pads[d] + pads[d + 2] - ((k[d] - 1) * dil[d] + 1);
    if (span < 0)
      return ctx.error("deformconv window does not fit the input",
                       ErrorCode::InvalidInput);
    outDims[d] = span / stride[d] + 1;
  }
  int64_t oh = outDims[0], ow = outDims[1], kprod = kh * kw;
  int64_t outSize = oh * ow;
  if (off.shape() != TensorShape{n, offGroup * 2 * kprod, oh, ow})
    return ctx.error("offset " + describe(off) + " has the wrong shape",
                     ErrorCode::InvalidInput);
  const Tensor *mask = ctx.hasInput(4) ? &ctx.input(4) : nullptr;
  if (mask && mask->shape() != TensorShape{n, offGroup * kprod, oh, ow})
    return ctx.error("mask " + describe(*mask) + " has the wrong shape",
                     ErrorCode::InvalidInput);
  if (ctx.hasInput(3) && ctx.input(3).shape() != TensorShape{m})
    return ctx.error("bias must have shape [" + std::to_string(m) + "]",
                     ErrorCode::InvalidInput);
  TensorShape outShape{n, m, oh, ow};
  EDGEC_TRY(checkedNumElements(outShape, kMaxOutputElements));
  int64_t cg = c / group, mg = m / group, kg = cg * kprod;
  int64_t cPerOff = c / offGroup;
  if (!checkedNumElements({kg, outSize}, kMaxScratchElements))
    return ctx.unsupported("deformconv too large for the reference "
                           "interpreter");
  std::vector<float> sx, sw, so, sm, sb;
  const float *px = floatData(x, sx), *pw = floatData(wt, sw);
  const float *po = floatData(off, so);
  const float *pm = mask ? floatData(*mask, sm) : nullptr;
  const float *pb = ctx.hasInput(3) ? floatData(ctx.input(3), sb) : nullptr;
  Tensor y(DataType::Float32, outShape);
  float *py = y.data<float>();
  std::vector<float> col((size_t)(kg * outSize));
  for (int64_t b = 0; b < n; ++b)
    for (int64_t g = 0; g < group; ++g) {
      for (int64_t cc = 0; cc < cg; ++cc) {
        int64_t ch = g * cg + cc, og = ch / cPerOff;
        const float *plane = px + (b * c + ch) * h * w;
        for (int64_t ki = 0; ki < kh; ++ki)
          for (int64_t kj = 0; kj < kw; ++kj) {
            int64_t kidx = ki * kw + kj;
            const float *offY =
                po + ((b * offGroup + og) * 2 * kprod + 2 * kidx) * outSize;
            const float *offX = offY + outSize;
            const float *mk =
                pm ? pm + ((b * offGroup + og) * kprod + kidx) * outSize
                   : nullptr;
            float *dst = col.data() + (cc * kprod + kidx) * outSize;
            for (int64_t i = 0; i < oh; ++i)
              for (int64_t j = 0; j < ow; ++j) {
                int64_t p = i * ow + j;
                float yy = (float)(i * stride[0] - pads[0] + ki * dil[0]) +
                           offY[p];
                float xx = (float)(j * stride[1] - pads[1] + kj * dil[1]) +
                           offX[p];
                float v = bilinear(plane, h, w, yy, xx);
                dst[p] = mk ? v * mk[p] : v;
              }
          }
      }
      gemmF32(mg, outSize, kg, MatrixView{pw + g * mg * kg, kg, 1},
              MatrixView{col.data(), outSize, 1},
              py + (b * m + g * mg) * outSize, outSize, false);
    }
  if (pb)
    for (int64_t b = 0; b < n; ++b)
      for (int64_t o = 0; o < m; ++o)
        for (int64_t i = 0; i < outSize; ++i)
          py[(b * m + o) * outSize + i] += pb[o];
  ctx.outputs[0] = x.dtype() == DataType::Float32 ? y : y.castTo(x.dtype());
  return Status::ok();
}

} // namespace

void registerDeformConvKernels(KernelRegistry &r) {
  r.add("DeformConv", runDeformConv);
}

} // namespace edgec
