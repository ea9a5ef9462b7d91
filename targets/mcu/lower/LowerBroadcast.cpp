// Broadcast helpers of the elementwise lowerings (Lowering.h).
#include "targets/mcu/lower/Lowering.h"

namespace edgec::mcu {

/// Strides (in elements) of a contiguous operand of dims `d` broadcast to
/// `out` (right-aligned; 0 along broadcast dims).
std::vector<int64_t> bcastStrides(const std::vector<int64_t> &d,
                                  const std::vector<int64_t> &out) {
  std::vector<int64_t> s(out.size(), 0);
  int64_t stride = 1;
  for (size_t j = d.size(); j-- > 0;) {
    size_t i = out.size() - d.size() + j;
    s[i] = d[j] == 1 && out[i] != 1 ? 0 : stride;
    stride *= d[j];
  }
  return s;
}

/// Drops unit dims and merges adjacent dims that every operand walks
/// contiguously.
void coalesce(std::vector<int64_t> &dims, std::vector<std::vector<int64_t>> &strides) {
  std::vector<int64_t> nd;
  std::vector<std::vector<int64_t>> ns(strides.size());
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] == 1) continue;
    bool merge = !nd.empty();
    for (size_t k = 0; merge && k < strides.size(); ++k)
      merge = ns[k].back() == strides[k][i] * dims[i];
    if (merge) {
      nd.back() *= dims[i];
      for (size_t k = 0; k < strides.size(); ++k) ns[k].back() = strides[k][i];
    } else {
      nd.push_back(dims[i]);
      for (size_t k = 0; k < strides.size(); ++k) ns[k].push_back(strides[k][i]);
    }
  }
  dims = nd;
  strides = ns;
}

} // namespace edgec::mcu
