// Convolution kernels: Conv, ConvTranspose, ConvInteger, QLinearConv, Col2Im.
//
// Conv lowers to im2col + the float GEMM of GemmCore.h (chunked over output
// positions to bound the column buffer); ConvTranspose is GEMM + col2im.
#include "interp/KernelUtil.h"
#include "interp/kernels/GemmCore.h"
#include "shape/Window.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace edgec {
namespace {

/// Geometry of a sliding window over an "image" of spatial dims `image`:
/// window position g (one per `grid` point) and kernel offset kk touch image
/// position g * stride - padBegin + kk * dilation (when inside the image).
struct Window {
  std::vector<int64_t> kernel, stride, dilation, padBegin, padEnd, image, grid;
  size_t rank() const { return kernel.size(); }
  int64_t kernelSize() const { return product(kernel); }
  int64_t imageSize() const { return product(image); }
  int64_t gridSize() const { return product(grid); }
  static int64_t product(const std::vector<int64_t> &v) {
    int64_t p = 1;
    for (int64_t x : v)
      p *= x;
    return p;
  }
  /// Per dim d: table[d][kk * grid[d] + g] = image index, or -1 (padding).
  std::vector<std::vector<int64_t>> indexTables() const {
    std::vector<std::vector<int64_t>> t(rank());
    for (size_t d = 0; d < rank(); ++d) {
      t[d].resize((size_t)(kernel[d] * grid[d]));
      for (int64_t kk = 0; kk < kernel[d]; ++kk)
        for (int64_t g = 0; g < grid[d]; ++g) {
          int64_t i = g * stride[d] - padBegin[d] + kk * dilation[d];
          t[d][(size_t)(kk * grid[d] + g)] = i >= 0 && i < image[d] ? i : -1;
        }
    }
    return t;
  }
};

/// The kernels' view of a window geometry: a conv slides over its input
/// (image) with one grid point per output; a ConvTranspose scatters each
/// input (grid) point into its output (image).
Window kernelWindow(const WindowGeometry &g, bool transposed) {
  Window w;
  w.kernel = g.kernel;
  w.stride = g.stride;
  w.dilation = g.dilation;
  w.padBegin = g.padBegin;
  w.padEnd = g.padEnd;
  w.image = transposed ? g.out : g.in;
  w.grid = transposed ? g.in : g.out;
  return w;
}

/// Full conv geometry for input spatial dims `in` and weight kernel dims.
Expected<Window> convWindow(const NodeContext &ctx,
                            const std::vector<int64_t> &in,
                            const std::vector<int64_t> &wKernel) {
  EDGEC_ASSIGN_OR_RETURN(WindowGeometry g, slidingWindow(ctx, in, wKernel));
  return kernelWindow(g, false);
}

/// Copies the window patches of `channels` image planes into col rows
/// (channel-major, then kernel offsets) for the grid points [p0, p1), which
/// must be whole rows of the last grid dim. Padding reads as `pad`.
template <typename T>
void im2col(const T *x, int64_t channels, const Window &w,
            const std::vector<std::vector<int64_t>> &tables, int64_t p0,
            int64_t p1, T *col, T pad) {
  size_t r = w.rank();
  int64_t gLast = w.grid[r - 1], kLast = w.kernel[r - 1];
  int64_t iLast = w.image[r - 1];
  int64_t kprod = w.kernelSize(), cols = p1 - p0;
  int64_t imgSize = w.imageSize();
  std::vector<int64_t> kk(r), g(r);
  for (int64_t c = 0; c < channels; ++c) {
    const T *xc = x + c * imgSize;
    for (int64_t kIdx = 0; kIdx < kprod; ++kIdx) {
      int64_t rem = kIdx;
      for (size_t d = r; d-- > 0;) {
        kk[d] = rem % w.kernel[d];
        rem /= w.kernel[d];
      }
      T *dst = col + (c * kprod + kIdx) * cols;
      const int64_t *lastTbl = tables[r - 1].data() + kk[r - 1] * gLast;
      (void)kLast;
      for (int64_t p = p0; p < p1; p += gLast, dst += gLast) {
        // Decode the outer grid position and its image row offset.
        int64_t q = p / gLast, base = 0;
        bool inside = true;
        for (size_t d = r - 1; d-- > 0;) {
          g[d] = q % w.grid[d];
          q /= w.grid[d];
        }
        int64_t stride = iLast;
        for (size_t d = r - 1; d-- > 0;) {
          int64_t i = tables[d][(size_t)(kk[d] * w.grid[d] + g[d])];
          if (i < 0) {
            inside = false;
            break;
          }
          base += i * stride;
          stride *= w.image[d];
        }
        if (!inside) {
          std::fill(dst, dst + gLast, pad);
          continue;
        }
        const T *row = xc + base;
        for (int64_t j = 0; j < gLast; ++j) {
          int64_t i = lastTbl[j];
          dst[j] = i >= 0 ? row[i] : pad;
        }
      }
    }
  }
}

/// Adds col rows (channel-major, then kernel offsets; columns = all grid
/// points) into the image planes: the adjoint of im2col.
template <typename T>
void col2imAdd(const T *col, int64_t channels, const Window &w, T *img) {
  size_t r = w.rank();
  auto tables = w.indexTables();
  int64_t kprod = w.kernelSize(), gsize = w.gridSize();
  int64_t imgSize = w.imageSize(), gLast = w.grid[r - 1];
  std::vector<int64_t> kk(r), g(r);
  for (int64_t c = 0; c < channels; ++c) {
    T *ic = img + c * imgSize;
    for (int64_t kIdx = 0; kIdx < kprod; ++kIdx) {
      int64_t rem = kIdx;
      for (size_t d = r; d-- > 0;) {
        kk[d] = rem % w.kernel[d];
        rem /= w.kernel[d];
      }
      const T *src = col + (c * kprod + kIdx) * gsize;
      const int64_t *lastTbl = tables[r - 1].data() + kk[r - 1] * gLast;
      for (int64_t p = 0; p < gsize; p += gLast, src += gLast) {
        int64_t q = p / gLast, base = 0, stride = w.image[r - 1];
        bool inside = true;
        for (size_t d = r - 1; d-- > 0;) {
          g[d] = q % w.grid[d];
          q /= w.grid[d];
        }
        for (size_t d = r - 1; d-- > 0;) {
          int64_t i = tables[d][(size_t)(kk[d] * w.grid[d] + g[d])];
          if (i < 0) {
            inside = false;
            break;
          }
          base += i * stride;
          stride *= w.image[d];
        }
        if (!inside)
          continue;
        T *row = ic + base;
        for (int64_t j = 0; j < gLast; ++j)
          if (lastTbl[j] >= 0)
            row[lastTbl[j]] += src[j];
      }
    }
  }
}

TensorShape spatialOf(const TensorShape &s) {
  return TensorShape(s.begin() + 2, s.end());
}

//===----------------------------------------------------------------------===//
// Conv
//===----------------------------------------------------------------------===//

struct ConvShapes {
  int64_t n, c, m, group, cg, mg;
  Window w;
  TensorShape outShape;
};

/// Validates X [N, C, D...] and W [M, C/group, k...] and builds the geometry.
Expected<ConvShapes> convShapes(const NodeContext &ctx, const Tensor &x,
                                const Tensor &wt) {
  if (x.rank() < 3 || wt.rank() != x.rank())
    return ctx.error("conv needs X [N, C, D...] and W of the same rank, got " +
                         describe(x) + " and " + describe(wt),
                     ErrorCode::InvalidInput);
  ConvShapes s;
  s.n = x.dim(0);
  s.c = x.dim(1);
  s.m = wt.dim(0);
  s.group = ctx.attrInt("group", 1);
  if (s.group <= 0 || s.c % s.group != 0 || s.m % s.group != 0)
    return ctx.error("group " + std::to_string(s.group) +
                         " does not divide the channels",
                     ErrorCode::InvalidInput);
  s.cg = s.c / s.group;
  s.mg = s.m / s.group;
  if (wt.dim(1) != s.cg)
    return ctx.error("weights " + describe(wt) + " do not match input " +
                         describe(x) + " with group " +
                         std::to_string(s.group),
                     ErrorCode::InvalidInput);
  EDGEC_ASSIGN_OR_RETURN(s.w,
                         convWindow(ctx, spatialOf(x.shape()),
                                    spatialOf(wt.shape())));
  s.outShape = {s.n, s.m};
  for (int64_t g : s.w.grid)
    s.outShape.push_back(g);
  EDGEC_TRY(checkedNumElements(s.outShape, kMaxOutputElements));
  // The im2col buffer holds at least one row of the last grid dim.
  EDGEC_ASSIGN_OR_RETURN(int64_t kg, checkedNumElements(spatialOf(wt.shape())));
  if (!checkedNumElements({kg, s.cg, s.w.grid.back()}, kMaxScratchElements))
    return ctx.unsupported("convolution too large for the reference "
                           "interpreter");
  return s;
}

Status checkBias(const KernelContext &ctx, size_t idx, int64_t m) {
  if (ctx.hasInput(idx) && (ctx.input(idx).rank() != 1 ||
                            ctx.input(idx).dim(0) != m))
    return ctx.error("bias must have shape [" + std::to_string(m) + "]",
                     ErrorCode::InvalidInput);
  return Status::ok();
}

/// True when the conv is a plain per-pixel matmul (1x1, stride 1, no pads).
bool isPointwise(const Window &w) {
  for (size_t d = 0; d < w.rank(); ++d)
    if (w.kernel[d] != 1 || w.stride[d] != 1 || w.padBegin[d] != 0 ||
        w.padEnd[d] != 0)
      return false;
  return true;
}

/// Float conv: y[N, M, out...] = W * im2col(x) (+ bias); everything float.
void convF32(const ConvShapes &s, const float *x, const float *w,
             const float *bias, float *y) {
  const Window &win = s.w;
  int64_t kprod = win.kernelSize(), kg = s.cg * kprod;
  int64_t outSize = win.gridSize(), inSize = win.imageSize();
  int64_t gLast = win.grid.back();
  bool pointwise = isPointwise(win);
  // Column chunk: whole grid rows, about 2M floats of column buffer.
  int64_t chunk =
      std::max<int64_t>(1, (int64_t(1) << 21) / std::max<int64_t>(kg * gLast,
                                                                  1)) *
      gLast;
  chunk = std::min(chunk, outSize);
  std::vector<float> col;
  if (!pointwise && outSize > 0)
    col.resize((size_t)(kg * chunk));
  auto tables = win.indexTables();
  for (int64_t n = 0; n < s.n; ++n)
    for (int64_t g = 0; g < s.group; ++g) {
      const float *xg = x + (n * s.c + g * s.cg) * inSize;
      const float *wg = w + g * s.mg * kg;
      float *yg = y + (n * s.m + g * s.mg) * outSize;
      if (pointwise) {
        gemmF32(s.mg, outSize, kg, MatrixView{wg, kg, 1},
                MatrixView{xg, inSize, 1}, yg, outSize, false);
        continue;
      }
      for (int64_t p0 = 0; p0 < outSize; p0 += chunk) {
        int64_t p1 = std::min(outSize, p0 + chunk);
        im2col(xg, s.cg, win, tables, p0, p1, col.data(), 0.0f);
        gemmF32(s.mg, p1 - p0, kg, MatrixView{wg, kg, 1},
                MatrixView{col.data(), p1 - p0, 1}, yg + p0, outSize, false);
      }
    }
  if (bias)
    for (int64_t n = 0; n < s.n; ++n)
      for (int64_t m = 0; m < s.m; ++m) {
        float *yp = y + (n * s.m + m) * outSize;
        for (int64_t i = 0; i < outSize; ++i)
          yp[i] += bias[m];
      }
}

Status runConv(KernelContext &ctx) {
  const Tensor &x = ctx.input(0), &wt = ctx.input(1);
  if (!isFloatType(x.dtype()) || wt.dtype() != x.dtype())
    return ctx.error("conv needs float X and W of the same type");
  EDGEC_ASSIGN_OR_RETURN(ConvShapes s, convShapes(ctx, x, wt));
  EDGEC_TRY(checkBias(ctx, 2, s.m));
  if (ctx.hasInput(2) && ctx.input(2).dtype() != x.dtype())
    return ctx.error("conv bias type differs from the input's");
  std::vector<float> sx, sw, sb;
  const float *px = floatData(x, sx), *pw = floatData(wt, sw);
  const float *pb = ctx.hasInput(2) ? floatData(ctx.input(2), sb) : nullptr;
  if (x.dtype() == DataType::Float32) {
    Tensor y(DataType::Float32, s.outShape);
    convF32(s, px, pw, pb, y.data<float>());
    ctx.outputs[0] = y;
  } else {
    Tensor y(DataType::Float32, s.outShape);
    convF32(s, px, pw, pb, y.data<float>());
    ctx.outputs[0] = y.castTo(x.dtype());
  }
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// ConvTranspose
//===----------------------------------------------------------------------===//

/// ConvTranspose geometry: the window maps input positions (grid) to output
/// positions (image). Output dims follow output_shape, auto_pad or pads.
Expected<Window> convTransposeWindow(const NodeContext &ctx,
                                     const std::vector<int64_t> &in,
                                     const std::vector<int64_t> &wKernel) {
  EDGEC_ASSIGN_OR_RETURN(WindowGeometry g, transposedWindow(ctx, in, wKernel));
  return kernelWindow(g, true);
}

Status runConvTranspose(KernelContext &ctx) {
  const Tensor &x = ctx.input(0), &wt = ctx.input(1);
  if (!isFloatType(x.dtype()) || wt.dtype() != x.dtype())
    return ctx.error("convtranspose needs float X and W of the same type");
  if (x.rank() < 3 || wt.rank() != x.rank())
    return ctx.error("convtranspose needs X [N, C, D...] and W of the same "
                     "rank, got " +
                         describe(x) + " and " + describe(wt),
                     ErrorCode::InvalidInput);
  int64_t n = x.dim(0), c = x.dim(1), group = ctx.attrInt("group", 1);
  if (group <= 0 || c % group != 0 || wt.dim(0) != c)
    return ctx.error("weights " + describe(wt) + " do not match input " +
                         describe(x),
                     ErrorCode::InvalidInput);
  int64_t cg = c / group, mg = wt.dim(1), m = mg * group;
  EDGEC_ASSIGN_OR_RETURN(
      Window w,
      convTransposeWindow(ctx, spatialOf(x.shape()), spatialOf(wt.shape())));
  EDGEC_TRY(checkBias(ctx, 2, m));
  if (ctx.hasInput(2) && ctx.input(2).dtype() != x.dtype())
    return ctx.error("convtranspose bias type differs from the input's");
  TensorShape outShape{n, m};
  outShape.insert(outShape.end(), w.image.begin(), w.image.end());
  EDGEC_ASSIGN_OR_RETURN(Tensor y, Tensor::create(DataType::Float32, outShape));
  int64_t kprod = w.kernelSize(), inSize = w.gridSize();
  int64_t outSize = w.imageSize();
  if (!checkedNumElements({mg, kprod, inSize}, kMaxScratchElements))
    return ctx.unsupported("convtranspose too large for the reference "
                           "interpreter");
  std::vector<float> sx, sw, sb;
  const float *px = floatData(x, sx), *pw = floatData(wt, sw);
  const float *pb = ctx.hasInput(2) ? floatData(ctx.input(2), sb) : nullptr;
  std::vector<float> col((size_t)(mg * kprod * inSize));
  float *py = y.data<float>();
  for (int64_t b = 0; b < n; ++b)
    for (int64_t g = 0; g < group; ++g) {
      // col[Mg*k, in] = W_g^T [Mg*k, Cg] x X_g [Cg, in].
      const float *wg = pw + g * cg * mg * kprod;
      const float *xg = px + (b * c + g * cg) * inSize;
      gemmF32(mg * kprod, inSize, cg, MatrixView{wg, 1, mg * kprod},
              MatrixView{xg, inSize, 1}, col.data(), inSize, false);
      col2imAdd(col.data(), mg, w, py + (b * m + g * mg) * outSize);
    }
  if (pb)
    for (int64_t b = 0; b < n; ++b)
      for (int64_t o = 0; o < m; ++o) {
        float *yp = py + (b * m + o) * outSize;
        for (int64_t i = 0; i < outSize; ++i)
          yp[i] += pb[o];
      }
  ctx.outputs[0] = x.dtype() == DataType::Float32 ? y : y.castTo(x.dtype());
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// ConvInteger and QLinearConv
//===----------------------------------------------------------------------===//

bool isByte(DataType t) { return t == DataType::UInt8 || t == DataType::Int8; }

/// Integer conv: acc[N, M, out...] = sum (x - xzp) * (w - wzp[m]), int32.
/// Padding contributes zero (it equals the zero point before subtraction).
Expected<Tensor> integerConv(const KernelContext &ctx, const Tensor &x,
                             const Tensor &wt, int64_t xzp,
                             const std::vector<int64_t> &wzp,
                             const ConvShapes &s) {
  if (!isByte(x.dtype()) || !isByte(wt.dtype()))
    return ctx.unsupported("integer conv needs int8/uint8 operands");
  const Window &win = s.w;
  int64_t kprod = win.kernelSize(), kg = s.cg * kprod;
  int64_t outSize = win.gridSize(), inSize = win.imageSize();
  if (!checkedNumElements({kg, outSize}, kMaxScratchElements))
    return ctx.unsupported("integer convolution too large for the reference "
                           "interpreter");
  std::vector<int32_t> xs((size_t)x.numElements());
  for (size_t i = 0; i < xs.size(); ++i)
    xs[i] = (int32_t)(x.getInt64((int64_t)i) - xzp);
  std::vector<int32_t> ws((size_t)wt.numElements());
  int64_t perM = wt.numElements() / std::max<int64_t>(s.m, 1);
  for (size_t i = 0; i < ws.size(); ++i)
    ws[i] = (int32_t)(wt.getInt64((int64_t)i) -
                      wzp[wzp.size() == 1 ? 0 : (size_t)((int64_t)i / perM)]);
  Tensor y(DataType::Int32, s.outShape);
  int32_t *py = y.data<int32_t>();
  std::vector<int32_t> col((size_t)(kg * outSize));
  auto tables = win.indexTables();
  for (int64_t n = 0; n < s.n; ++n)
    for (int64_t g = 0; g < s.group; ++g) {
      im2col(xs.data() + (n * s.c + g * s.cg) * inSize, s.cg, win, tables, 0,
             outSize, col.data(), 0);
      for (int64_t m = 0; m < s.mg; ++m) {
        int32_t *yr = py + (n * s.m + g * s.mg + m) * outSize;
        const int32_t *wr = ws.data() + (g * s.mg + m) * kg;
        for (int64_t k = 0; k < kg; ++k) {
          // 8-bit products summed over realistic kernels stay in int32; use
          // unsigned arithmetic so hostile sizes wrap instead of overflowing.
          uint32_t wv = (uint32_t)wr[k];
          const int32_t *cr = col.data() + k * outSize;
          for (int64_t i = 0; i < outSize; ++i)
            yr[i] = (int32_t)((uint32_t)yr[i] + wv * (uint32_t)cr[i]);
        }
      }
    }
  return y;
}

Expected<std::vector<int64_t>> weightZeroPoints(const KernelContext &ctx,
                                                size_t idx, int64_t m) {
  if (!ctx.hasInput(idx))
    return std::vector<int64_t>{0};
  const Tensor &z = ctx.input(idx);
  if (z.numElements() != 1 && z.numElements() != m)
    return ctx.error("weight zero point must be a scalar or have one value "
                     "per output channel",
                     ErrorCode::InvalidInput);
  return z.toInt64Vector();
}

Status runConvInteger(KernelContext &ctx) {
  const Tensor &x = ctx.input(0), &wt = ctx.input(1);
  EDGEC_ASSIGN_OR_RETURN(ConvShapes s, convShapes(ctx, x, wt));
  int64_t xzp = 0;
  if (ctx.hasInput(2)) {
    if (ctx.input(2).numElements() != 1)
      return ctx.unsupported("convinteger with a non-scalar x_zero_point");
    xzp = ctx.input(2).getInt64(0);
  }
  EDGEC_ASSIGN_OR_RETURN(auto wzp, weightZeroPoints(ctx, 3, s.m));
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], integerConv(ctx, x, wt, xzp, wzp, s));
  return Status::ok();
}

Status runQLinearConv(KernelContext &ctx) {
  for (size_t i : {0, 1, 2, 3, 4, 5, 6})
    if (!ctx.hasInput(i))
      return ctx.error("missing required input " + std::to_string(i));
  const Tensor &x = ctx.input(0), &wt = ctx.input(3);
  EDGEC_ASSIGN_OR_RETURN(ConvShapes s, convShapes(ctx, x, wt));
  if (ctx.input(1).numElements() != 1 || ctx.input(2).numElements() != 1 ||
      ctx.input(5).numElements() != 1)
    return ctx.error("x_scale, x_zero_point and y_scale must be scalars",
                     ErrorCode::InvalidInput);
  float xs = (float)ctx.input(1).getDouble(0);
  int64_t xzp = ctx.input(2).getInt64(0);
  const Tensor &wsT = ctx.input(4);
  if (wsT.numElements() != 1 && wsT.numElements() != s.m)
    return ctx.error("w_scale must be a scalar or have one value per output "
                     "channel",
                     ErrorCode::InvalidInput);
  EDGEC_ASSIGN_OR_RETURN(auto wzp, weightZeroPoints(ctx, 5, s.m));
  float ys = (float)ctx.input(6).getDouble(0);
  DataType yt = ctx.hasInput(7) ? ctx.input(7).dtype() : DataType::UInt8;
  if (!isByte(yt))
    return ctx.unsupported("qlinearconv output must be int8/uint8");
  int64_t yzp = ctx.hasInput(7) ? ctx.input(7).getInt64(0) : 0;
  EDGEC_TRY(checkBias(ctx, 8, s.m));
  EDGEC_ASSIGN_OR_RETURN(Tensor acc, integerConv(ctx, x, wt, xzp, wzp, s));
  Tensor y(yt, s.outShape);
  int64_t outSize = s.w.gridSize();
  const int32_t *pa = acc.data<int32_t>();
  double lo = yt == DataType::UInt8 ? 0 : -128;
  double hi = yt == DataType::UInt8 ? 255 : 127;
  for (int64_t i = 0; i < acc.numElements(); ++i) {
    int64_t m = (i / outSize) % s.m;
    int64_t bias = ctx.hasInput(8) ? ctx.input(8).getInt64(m) : 0;
    float wsv = (float)wsT.getDouble(wsT.numElements() == 1 ? 0 : m);
    double v = (double)((float)((int64_t)pa[i] + bias) * (xs * wsv / ys));
    v = std::nearbyint(v) + (double)yzp;
    y.setInt64(i, (int64_t)std::clamp(std::isnan(v) ? 0.0 : v, lo, hi));
  }
  ctx.outputs[0] = y;
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// Col2Im
//===----------------------------------------------------------------------===//

Status runCol2Im(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  std::vector<int64_t> image = ctx.input(1).toInt64Vector();
  std::vector<int64_t> block = ctx.input(2).toInt64Vector();
  size_t r = image.size();
  if (x.rank() != 3 || r == 0 || block.size() != r)
    return ctx.error("col2im needs input [N, C*prod(block), L] and matching "
                     "image_shape/block_shape",
                     ErrorCode::InvalidInput);
  for (int64_t v : image)
    if (v <= 0 || v > (int64_t(1) << 40))
      return ctx.error("image_shape values must be in [1, 2^40]",
                       ErrorCode::InvalidInput);
  EDGEC_TRY(checkedNumElements(block));
  WindowRules rules;
  rules.autoPad = false;
  EDGEC_ASSIGN_OR_RETURN(WindowGeometry g,
                         slidingWindow(ctx, image, block, rules));
  Window w = kernelWindow(g, false);
  int64_t kprod = w.kernelSize();
  if (kprod <= 0 || x.dim(1) % kprod != 0 || x.dim(2) != w.gridSize())
    return ctx.error("col2im input " + describe(x) +
                         " does not match the block and image shapes",
                     ErrorCode::InvalidInput);
  int64_t n = x.dim(0), c = x.dim(1) / kprod;
  TensorShape outShape{n, c};
  outShape.insert(outShape.end(), image.begin(), image.end());
  if (x.dtype() != DataType::Float32 && x.dtype() != DataType::Float64)
    return ctx.unsupported("col2im on " +
                           std::string(dataTypeName(x.dtype())));
  EDGEC_ASSIGN_OR_RETURN(Tensor y, Tensor::create(x.dtype(), outShape));
  int64_t outSize = w.imageSize(), colSize = x.dim(1) * x.dim(2);
  bool ok = true;
  dispatchType(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
      for (int64_t b = 0; b < n; ++b)
        col2imAdd(x.data<T>() + b * colSize, c, w,
                  y.data<T>() + b * c * outSize);
    } else {
      ok = false;
    }
  });
  if (!ok)
    return ctx.unsupported("col2im on " +
                           std::string(dataTypeName(x.dtype())));
  ctx.outputs[0] = y;
  return Status::ok();
}

} // namespace

void registerConvKernels(KernelRegistry &r) {
  r.add("Conv", runConv);
  r.add("ConvTranspose", runConvTranspose);
  r.add("ConvInteger", runConvInteger);
  r.add("QLinearConv", runQLinearConv);
  r.add("Col2Im", runCol2Im);
}

} // namespace edgec
