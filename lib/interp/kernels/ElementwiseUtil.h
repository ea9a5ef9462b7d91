// Helpers shared by the element-wise kernel families (Unary, Activation,
// Binary, Cast): compute types, UB-free conversions and integer arithmetic,
// and a broadcasting loop over N inputs.
#pragma once

#include "interp/KernelUtil.h"

#include <array>
#include <cmath>
#include <limits>
#include <type_traits>

namespace edgec::elementwise {

template <typename T>
constexpr bool isHalfLike =
    std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;

/// Type arithmetic is done in: float for 16-bit floats, else T itself.
template <typename T>
using ComputeT = std::conditional_t<isHalfLike<T>, float, T>;

template <typename T>
constexpr bool isFloatLike = isHalfLike<T> || std::is_floating_point_v<T>;

/// Converts a double to T without UB: NaN -> 0 and out-of-range values clamp
/// for integer targets (ONNX leaves these undefined; clamping is the
/// deterministic choice).
template <typename T> T fromDouble(double v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v != 0;
  } else if constexpr (isFloatLike<T>) {
    return T((ComputeT<T>)v);
  } else {
    if (std::isnan(v)) return T(0);
    constexpr double lo = (double)std::numeric_limits<T>::min();
    constexpr double hi = (double)std::numeric_limits<T>::max();
    if (v <= lo) return std::numeric_limits<T>::min();
    if (v >= hi) return std::numeric_limits<T>::max();
    return (T)v;
  }
}

/// Two's-complement wrapping add/sub/mul (signed overflow is UB in C++).
template <typename T> T wrapAdd(T a, T b) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    using U = std::make_unsigned_t<T>;
    return (T)(U)((U)a + (U)b);
  } else {
    return a + b;
  }
}
template <typename T> T wrapSub(T a, T b) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    using U = std::make_unsigned_t<T>;
    return (T)(U)((U)a - (U)b);
  } else {
    return a - b;
  }
}
template <typename T> T wrapMul(T a, T b) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    using U = std::make_unsigned_t<T>;
    // Promote small types to unsigned int so the product cannot overflow int.
    using P = std::conditional_t<(sizeof(U) < sizeof(unsigned)), unsigned, U>;
    return (T)(U)((P)(U)a * (P)(U)b);
  } else {
    return a * b;
  }
}

/// Integer division truncating toward zero (ONNX Div). Division by zero
/// gives 0 and MIN / -1 wraps to MIN, so hostile data cannot trap.
template <typename T> T intDiv(T a, T b) {
  if (b == 0) return 0;
  if constexpr (std::is_signed_v<T>) {
    if (b == -1) return wrapSub<T>(0, a);
  }
  return (T)(a / b);
}

/// Calls f(outIndex, inIndices) for every element of `out`, where each input
/// shape broadcasts (numpy rules, already checked) to `out`. The innermost
/// dimension is a plain loop with a constant per-input stride.
template <size_t N, typename F>
void forEachBroadcast(const TensorShape &out,
                      const std::array<const TensorShape *, N> &in, F &&f) {
  int64_t total = 1;
  for (int64_t d : out)
    total *= d;
  if (total == 0) return;
  size_t r = out.size();
  std::array<std::vector<int64_t>, N> st;
  for (size_t k = 0; k < N; ++k) {
    const TensorShape &s = *in[k];
    std::vector<int64_t> own = stridesOf(s);
    st[k].assign(r, 0);
    size_t off = r - s.size();
    for (size_t i = 0; i < s.size(); ++i)
      st[k][i + off] = s[i] == 1 ? 0 : own[i];
  }
  int64_t inner = r ? out[r - 1] : 1;
  std::array<int64_t, N> innerStride{}, base{}, idx{};
  for (size_t k = 0; k < N; ++k)
    innerStride[k] = r ? st[k][r - 1] : 0;
  std::vector<int64_t> counter(r, 0);
  for (int64_t o = 0; o < total; o += inner) {
    for (int64_t j = 0; j < inner; ++j) {
      for (size_t k = 0; k < N; ++k)
        idx[k] = base[k] + j * innerStride[k];
      f(o + j, idx);
    }
    // Advance the odometer over the outer dims.
    for (int64_t d = (int64_t)r - 2; d >= 0; --d) {
      size_t du = (size_t)d;
      ++counter[du];
      for (size_t k = 0; k < N; ++k)
        base[k] += st[k][du];
      if (counter[du] < out[du]) break;
      for (size_t k = 0; k < N; ++k)
        base[k] -= st[k][du] * out[du];
      counter[du] = 0;
    }
  }
}

} // namespace edgec::elementwise
