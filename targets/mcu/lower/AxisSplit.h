// A tensor seen as [outer, n, inner] around one axis: the view of the
// kernels that work along an axis (softmax-like, norms, gather).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace edgec::mcu {

struct AxisSplit {
  int64_t outer = 1, n = 1, inner = 1;
};

/// `axis` must be in [0, dims.size()).
inline AxisSplit axisSplit(const std::vector<int64_t> &dims, int64_t axis) {
  AxisSplit s;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (int64_t(i) < axis) s.outer *= dims[i];
    else if (int64_t(i) == axis) s.n = dims[i];
    else s.inner *= dims[i];
  }
  return s;
}

} // namespace edgec::mcu
