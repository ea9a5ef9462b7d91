// Element-moving helpers shared by the data-movement kernel families (Shape,
// Gather, Generator): they copy elements by byte size, independent of the
// element type, so one code path serves every dtype.
#pragma once

#include "interp/KernelUtil.h"

#include <cstring>

namespace edgec::copyutil {

inline char *bytes(Tensor &t) { return static_cast<char *>(t.raw()); }
inline const char *bytes(const Tensor &t) {
  return static_cast<const char *>(t.raw());
}

/// Copies n consecutive elements src[si..] to dst[di..] (same dtype).
inline void copyElems(Tensor &dst, int64_t di, const Tensor &src, int64_t si,
                      int64_t n) {
  size_t es = dataTypeSize(src.dtype());
  if (n > 0)
    std::memcpy(bytes(dst) + (size_t)di * es, bytes(src) + (size_t)si * es,
                (size_t)n * es);
}

/// Calls f with an unsigned integer type of the given byte size (1/2/4/8).
template <typename F> void dispatchSize(size_t size, F &&f) {
  switch (size) {
  case 1: f(uint8_t{}); return;
  case 2: f(uint16_t{}); return;
  case 4: f(uint32_t{}); return;
  default: f(uint64_t{}); return;
  }
}

/// out[o] = in[base + sum_d o_d * inStrides[d]] for every coordinate o of
/// `out` (strides may be 0 for broadcasting or negative for reversal). The
/// caller guarantees that every addressed element is inside `in`.
inline void stridedCopy(const Tensor &in, int64_t base,
                        const std::vector<int64_t> &inStrides, Tensor &out) {
  const TensorShape &shape = out.shape();
  size_t r = shape.size();
  int64_t n = out.numElements();
  if (n == 0) return;
  dispatchSize(dataTypeSize(in.dtype()), [&](auto tag) {
    using E = decltype(tag);
    const E *src = static_cast<const E *>(in.raw());
    E *dst = static_cast<E *>(out.raw());
    if (r == 0) {
      dst[0] = src[base];
      return;
    }
    int64_t inner = shape[r - 1], is = inStrides[r - 1];
    std::vector<int64_t> idx(r, 0);
    int64_t off = base;
    for (int64_t o = 0; o < n; o += inner) {
      if (is == 1) {
        std::memcpy(dst + o, src + off, (size_t)inner * sizeof(E));
      } else {
        for (int64_t j = 0; j < inner; ++j)
          dst[o + j] = src[off + j * is];
      }
      for (int64_t d = (int64_t)r - 2; d >= 0; --d) {
        off += inStrides[(size_t)d];
        if (++idx[(size_t)d] < shape[(size_t)d]) break;
        off -= inStrides[(size_t)d] * shape[(size_t)d];
        idx[(size_t)d] = 0;
      }
    }
  });
}

/// For every output coordinate o, reads input coordinate (maps[d][o_d])_d, or
/// the single element of `fill` when any maps[d][o_d] is -1 (used by Pad and
/// CenterCropPad). maps[d] has out.dim(d) entries.
inline void mappedCopy(const Tensor &in,
                       const std::vector<std::vector<int64_t>> &maps,
                       const Tensor &fill, Tensor &out) {
  const TensorShape &shape = out.shape();
  size_t r = shape.size();
  int64_t n = out.numElements();
  if (n == 0) return;
  std::vector<int64_t> strides = stridesOf(in.shape());
  dispatchSize(dataTypeSize(in.dtype()), [&](auto tag) {
    using E = decltype(tag);
    const E *src = static_cast<const E *>(in.raw());
    const E fillV = *static_cast<const E *>(fill.raw());
    E *dst = static_cast<E *>(out.raw());
    if (r == 0) {
      dst[0] = src[0];
      return;
    }
    int64_t inner = shape[r - 1];
    const std::vector<int64_t> &last = maps[r - 1];
    int64_t ls = strides[r - 1];
    std::vector<int64_t> idx(r, 0);
    for (int64_t o = 0; o < n; o += inner) {
      int64_t off = 0;
      bool outside = false;
      for (size_t d = 0; d + 1 < r; ++d) {
        int64_t m = maps[d][(size_t)idx[d]];
        if (m < 0) {
          outside = true;
          break;
        }
        off += m * strides[d];
      }
      for (int64_t j = 0; j < inner; ++j) {
        int64_t m = last[(size_t)j];
        dst[o + j] = (outside || m < 0) ? fillV : src[off + m * ls];
      }
      for (int64_t d = (int64_t)r - 2; d >= 0; --d) {
        if (++idx[(size_t)d] < shape[(size_t)d]) break;
        idx[(size_t)d] = 0;
      }
    }
  });
}

} // namespace edgec::copyutil

namespace edgec {

/// The kernel's IntList (shape/InferUtil.h): input idx, else attribute
/// `attr`.
inline IntList intList(const KernelContext &ctx, size_t idx, const char *attr) {
  IntList l;
  if (ctx.hasInput(idx)) {
    l.present = true;
    l.v = ctx.input(idx).toInt64Vector();
  } else if (ctx.hasAttr(attr)) {
    l.present = true;
    l.v = ctx.attrInts(attr);
  }
  return l;
}

} // namespace edgec
