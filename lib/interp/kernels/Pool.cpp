// Pooling kernels: MaxPool, AveragePool, LpPool, their Global variants, and
// MaxUnpool.
#include "interp/KernelUtil.h"
#include "shape/ops/Pool.h"
#include "shape/Window.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

namespace edgec {
namespace {

enum class PoolKind { Max, Average, Lp };

/// Per dim: table[kk * out + o] = input index of window offset kk at output
/// o, or -1 when outside the input; `inPad` says whether it lies within the
/// padded extent [-padBegin, in + padEnd).
struct DimTable {
  std::vector<int64_t> index;
  std::vector<char> inPad;
};

std::vector<DimTable> dimTables(const WindowGeometry &g) {
  std::vector<DimTable> t(g.rank());
  for (size_t d = 0; d < g.rank(); ++d) {
    size_t n = (size_t)(g.kernel[d] * g.out[d]);
    t[d].index.resize(n);
    t[d].inPad.resize(n);
    for (int64_t kk = 0; kk < g.kernel[d]; ++kk)
      for (int64_t o = 0; o < g.out[d]; ++o) {
        int64_t i = o * g.stride[d] - g.padBegin[d] + kk * g.dilation[d];
        size_t at = (size_t)(kk * g.out[d] + o);
        t[d].index[at] = i >= 0 && i < g.in[d] ? i : -1;
        t[d].inPad[at] = i >= -g.padBegin[d] && i < g.in[d] + g.padEnd[d];
      }
  }
  return t;
}

/// Runs a pool over every (n, c) plane. `storageOrder` 1 makes Indices
/// column-major over the spatial dims.
template <typename T>
void poolPlanes(const Tensor &x, const WindowGeometry &g, PoolKind kind,
                bool countIncludePad, double p, int64_t storageOrder, T *y,
                int64_t *indices) {
  size_t r = g.rank();
  auto tables = dimTables(g);
  int64_t planes = x.dim(0) * x.dim(1);
  int64_t inSize = 1, outSize = 1, kSize = 1;
  for (size_t d = 0; d < r; ++d) {
    inSize *= g.in[d];
    outSize *= g.out[d];
    kSize *= g.kernel[d];
  }
  std::vector<int64_t> rowStride(r, 1), colStride(r, 1);
  for (size_t d = r - 1; d-- > 0;)
    rowStride[d] = rowStride[d + 1] * g.in[d + 1];
  for (size_t d = 1; d < r; ++d)
    colStride[d] = colStride[d - 1] * g.in[d - 1];
  std::vector<int64_t> o(r), kk(r);
  const T *px = x.data<T>();
  for (int64_t pl = 0; pl < planes; ++pl) {
    const T *xp = px + pl * inSize;
    std::fill(o.begin(), o.end(), 0);
    for (int64_t oi = 0; oi < outSize; ++oi) {
      double acc = kind == PoolKind::Max
                       ? -std::numeric_limits<double>::infinity()
                       : 0.0;
      int64_t best = -1, count = 0;
      std::fill(kk.begin(), kk.end(), 0);
      for (int64_t ki = 0; ki < kSize; ++ki) {
        int64_t off = 0, colOff = 0;
        bool inside = true, padded = true;
        for (size_t d = 0; d < r; ++d) {
          size_t at = (size_t)(kk[d] * g.out[d] + o[d]);
          int64_t i = tables[d].index[at];
          padded = padded && tables[d].inPad[at];
          if (i < 0)
            inside = false;
          else {
            off += i * rowStride[d];
            colOff += i * colStride[d];
          }
        }
        if (inside) {
          double v = (double)xp[off];
          if (kind == PoolKind::Max) {
            if (v > acc || best < 0) {
              acc = v;
              best = storageOrder ? colOff : off;
            }
          } else if (kind == PoolKind::Average) {
            acc += v;
          } else {
            acc += std::pow(std::fabs(v), p);
          }
          ++count;
        } else if (padded && countIncludePad) {
          ++count;
        }
        for (size_t d = r; d-- > 0;) {
          if (++kk[d] < g.kernel[d])
            break;
          kk[d] = 0;
        }
      }
      double res = acc;
      if (kind == PoolKind::Average)
        res = count > 0 ? acc / (double)count : 0.0;
      else if (kind == PoolKind::Lp)
        res = std::pow(acc, 1.0 / p);
      if constexpr (std::is_integral_v<T>)
        y[pl * outSize + oi] = best >= 0 ? T(acc) : T(0);
      else
        y[pl * outSize + oi] = T(res);
      if (indices)
        indices[pl * outSize + oi] = best >= 0 ? pl * inSize + best : -1;
      for (size_t d = r; d-- > 0;) {
        if (++o[d] < g.out[d])
          break;
        o[d] = 0;
      }
    }
  }
}

Status runPool(KernelContext &ctx, PoolKind kind) {
  const Tensor &x = ctx.input(0);
  if (x.rank() < 3)
    return ctx.error("pool input must be [N, C, D...], got " + describe(x),
                     ErrorCode::InvalidInput);
  bool isInt = x.dtype() == DataType::Int8 || x.dtype() == DataType::UInt8;
  if (!isFloatType(x.dtype()) && !(kind == PoolKind::Max && isInt))
    return ctx.unsupported("pooling on " +
                           std::string(dataTypeName(x.dtype())));
  EDGEC_ASSIGN_OR_RETURN(
      WindowGeometry g,
      poolGeom(ctx, TensorShape(x.shape().begin() + 2, x.shape().end())));
  TensorShape outShape{x.dim(0), x.dim(1)};
  outShape.insert(outShape.end(), g.out.begin(), g.out.end());
  EDGEC_ASSIGN_OR_RETURN(Tensor y, Tensor::create(x.dtype(), outShape));
  // Bound the work (outputs x window size) so hostile windows cannot hang.
  TensorShape work = outShape;
  work.insert(work.end(), g.kernel.begin(), g.kernel.end());
  if (y.numElements() > 0 && !checkedNumElements(work, int64_t(1) << 32))
    return ctx.unsupported("pooling window too large for the reference "
                           "interpreter");
  int64_t storageOrder = ctx.attrInt("storage_order", 0);
  bool countIncludePad = ctx.attrInt("count_include_pad", 0) != 0;
  double p = (double)ctx.attrFloat("p", 2.0f); // a float before opset 2
  if (kind == PoolKind::Lp && !(p > 0))
    return ctx.error("lppool p must be positive");
  Tensor indices;
  bool wantIdx = kind == PoolKind::Max && ctx.wantsOutput(1);
  if (wantIdx)
    indices = Tensor(DataType::Int64, outShape);
  dispatchType(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>)
      poolPlanes<T>(x, g, kind, countIncludePad, p, storageOrder, y.data<T>(),
                    wantIdx ? indices.data<int64_t>() : nullptr);
  });
  ctx.outputs[0] = y;
  if (wantIdx)
    ctx.outputs[1] = indices;
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// Global pools
//===----------------------------------------------------------------------===//

Status runGlobalPool(KernelContext &ctx, PoolKind kind) {
  const Tensor &x = ctx.input(0);
  if (x.rank() < 2)
    return ctx.error("global pool input must be [N, C, D...], got " +
                         describe(x),
                     ErrorCode::InvalidInput);
  if (!isFloatType(x.dtype()))
    return ctx.unsupported("global pooling on " +
                           std::string(dataTypeName(x.dtype())));
  TensorShape outShape(x.rank(), 1);
  outShape[0] = x.dim(0);
  outShape[1] = x.dim(1);
  Tensor y(x.dtype(), outShape);
  int64_t planes = x.dim(0) * x.dim(1);
  int64_t size = planes ? x.numElements() / planes : 0;
  double p = (double)ctx.attrFloat("p", 2.0f); // a float before opset 2
  if (kind == PoolKind::Lp && !(p > 0))
    return ctx.error("lppool p must be positive");
  dispatchType(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_integral_v<T>) {
      const T *px = x.data<T>();
      T *py = y.data<T>();
      for (int64_t pl = 0; pl < planes; ++pl) {
        const T *xp = px + pl * size;
        double acc = kind == PoolKind::Max
                         ? -std::numeric_limits<double>::infinity()
                         : 0.0;
        for (int64_t i = 0; i < size; ++i) {
          double v = (double)xp[i];
          if (kind == PoolKind::Max)
            acc = std::max(acc, v);
          else if (kind == PoolKind::Average)
            acc += v;
          else
            acc += std::pow(std::fabs(v), p);
        }
        if (kind == PoolKind::Average)
          acc = size ? acc / (double)size : 0.0;
        else if (kind == PoolKind::Lp)
          acc = std::pow(acc, 1.0 / p);
        py[pl] = T(acc);
      }
    }
  });
  ctx.outputs[0] = y;
  return Status::ok();
}

Status runMaxUnpool(KernelContext &ctx) {
  const Tensor &x = ctx.input(0), &idx = ctx.input(1);
  if (x.rank() < 3 || idx.shape() != x.shape())
    return ctx.error("maxunpool needs X [N, C, D...] and indices of the same "
                     "shape",
                     ErrorCode::InvalidInput);
  // Indices address the default (unpadded) unpool layout; an explicit
  // output_shape keeps each value at the same spatial coordinates.
  EDGEC_ASSIGN_OR_RETURN(
      auto dflt,
      unpoolDims(ctx, TensorShape(x.shape().begin() + 2, x.shape().end())));
  TensorShape dfltShape{x.dim(0), x.dim(1)};
  dfltShape.insert(dfltShape.end(), dflt.begin(), dflt.end());
  TensorShape outShape = dfltShape;
  if (ctx.hasInput(2)) {
    outShape = ctx.input(2).toInt64Vector();
    if (outShape.size() != x.rank() || outShape[0] != x.dim(0) ||
        outShape[1] != x.dim(1))
      return ctx.error("maxunpool output_shape does not match the input",
                       ErrorCode::InvalidInput);
  }
  EDGEC_ASSIGN_OR_RETURN(int64_t dfltTotal, checkedNumElements(dfltShape));
  EDGEC_ASSIGN_OR_RETURN(Tensor y, Tensor::create(x.dtype(), outShape));
  size_t r = x.rank();
  size_t esize = dataTypeSize(x.dtype());
  const unsigned char *src = static_cast<const unsigned char *>(x.raw());
  unsigned char *dst = static_cast<unsigned char *>(y.raw());
  for (int64_t i = 0; i < x.numElements(); ++i) {
    int64_t j = idx.getInt64(i);
    if (j < 0 || j >= dfltTotal)
      return ctx.error("maxunpool index " + std::to_string(j) +
                           " is out of range",
                       ErrorCode::InvalidInput);
    // Re-encode the coordinates of j in the output shape.
    int64_t rem = j, out = 0, stride = 1;
    for (size_t d = r; d-- > 0;) {
      int64_t coord = rem % dfltShape[d];
      rem /= dfltShape[d];
      if (coord >= outShape[d])
        return ctx.error("maxunpool index " + std::to_string(j) +
                             " falls outside output_shape",
                         ErrorCode::InvalidInput);
      out += coord * stride;
      stride *= outShape[d];
    }
    std::copy(src + (size_t)i * esize, src + (size_t)(i + 1) * esize,
              dst + (size_t)out * esize);
  }
  ctx.outputs[0] = y;
  return Status::ok();
}

} // namespace

void registerPoolKernels(KernelRegistry &r) {
  r.add("MaxPool", [](KernelContext &c) { return runPool(c, PoolKind::Max); });
  r.add("AveragePool",
        [](KernelContext &c) { return runPool(c, PoolKind::Average); });
  r.add("LpPool", [](KernelContext &c) { return runPool(c, PoolKind::Lp); });
  r.add("GlobalMaxPool",
        [](KernelContext &c) { return runGlobalPool(c, PoolKind::Max); });
  r.add("GlobalAveragePool",
        [](KernelContext &c) { return runGlobalPool(c, PoolKind::Average); });
  r.add("GlobalLpPool",
        [](KernelContext &c) { return runGlobalPool(c, PoolKind::Lp); });
  r.add("MaxUnpool", runMaxUnpool);
}

} // namespace edgec
