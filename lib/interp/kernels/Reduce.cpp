// Reduction kernels: ReduceSum/Mean/Max/Min/Prod/L1/L2/LogSum/LogSumExp/
// SumSquare, ArgMax/ArgMin, CumSum/CumProd, TopK and Unique.
//
// Semantics notes:
// - Axes are an attribute before opset 13 (ReduceSum) / 18 (the others) and
//   an optional int64 input after. Empty axes reduce everything, unless the
//   input form's `noop_with_empty_axes` is set: then the op is an identity.
// - Reducing over a zero-size dim yields the identity of the reduction: 0 for
//   sums, 1 for products, -inf/+inf (lowest/highest for ints) for max/min,
//   log(0) = -inf for LogSum/LogSumExp, and 0/0 = NaN for ReduceMean.
// - Floating-point inputs accumulate in double. Integer sums and products
//   accumulate in 64 bits and wrap (two's complement) on overflow; integer
//   Mean/L2/LogSum/LogSumExp are computed in double and converted back
//   (truncating, saturating at the type's range), like numpy's astype.
#include "interp/KernelUtil.h"
#include "shape/ops/Reduce.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace edgec {
namespace {

template <typename T>
constexpr bool isLowFloat =
    std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;

/// The value used for arithmetic: float for 16-bit floats, T otherwise.
template <typename T> auto arith(T v) {
  if constexpr (isLowFloat<T>)
    return float(v);
  else
    return v;
}

template <typename V> bool isNaN(V v) {
  if constexpr (std::is_floating_point_v<V>)
    return std::isnan(v);
  else
    return false;
}

/// Converts a double to T; integer targets saturate (NaN gives 0), so an
/// out-of-range value is never undefined behaviour.
template <typename T> T fromDouble(double v) {
  if constexpr (isLowFloat<T>) {
    return T(float(v));
  } else if constexpr (std::is_floating_point_v<T>) {
    return T(v);
  } else if constexpr (std::is_same_v<T, bool>) {
    return v != 0;
  } else {
    if (std::isnan(v)) return T(0);
    if (v <= double(std::numeric_limits<T>::lowest()))
      return std::numeric_limits<T>::lowest();
    if (v >= double(std::numeric_limits<T>::max()))
      return std::numeric_limits<T>::max();
    return T(v);
  }
}

/// Calls f(inIndex, outIndex) for every element of a tensor of shape `in`,
/// where outIndex is the flat index into the keepdims-shaped reduction
/// result (reduced axes collapsed to 1).
template <typename F>
void forEachReduced(const TensorShape &in, const std::vector<bool> &reduced,
                    F f) {
  size_t r = in.size();
  std::vector<int64_t> ostr(r, 0);
  int64_t s = 1, n = 1;
  for (size_t i = r; i-- > 0;) {
    if (!reduced[i]) {
      ostr[i] = s;
      s *= in[i];
    }
    n *= in[i];
  }
  std::vector<int64_t> idx(r, 0);
  int64_t o = 0;
  for (int64_t i = 0; i < n; ++i) {
    f(i, o);
    for (size_t d = r; d-- > 0;) {
      if (++idx[d] < in[d]) {
        o += ostr[d];
        break;
      }
      o -= ostr[d] * (in[d] - 1);
      idx[d] = 0;
    }
  }
}

enum class ReduceKind {
  Sum,
  Mean,
  Max,
  Min,
  Prod,
  L1,
  L2,
  LogSum,
  LogSumExp,
  SumSquare
};

/// Wrapping integer arithmetic (no signed-overflow UB).
template <typename A> A wrapAdd(A a, A b) {
  return A(uint64_t(a) + uint64_t(b));
}

template <typename A> A wrapMul(A a, A b) {
  return A(uint64_t(a) * uint64_t(b));
}

/// Accumulates the reduction in type A (double or a 64-bit integer).
template <typename A, typename T>
std::vector<A> accumulate(ReduceKind kind, const T *x, const TensorShape &sh,
                          const std::vector<bool> &red, int64_t outN) {
  constexpr bool isInt = std::is_integral_v<A>;
  A init = A(0);
  if (kind == ReduceKind::Prod)
    init = A(1);
  else if (kind == ReduceKind::Max)
    init = isInt ? std::numeric_limits<A>::lowest()
                 : -std::numeric_limits<A>::infinity();
  else if (kind == ReduceKind::Min)
    init = isInt ? std::numeric_limits<A>::max()
                 : std::numeric_limits<A>::infinity();
  std::vector<A> acc((size_t)outN, init);
  auto run = [&](auto step) {
    forEachReduced(sh, red, [&](int64_t i, int64_t o) {
      acc[(size_t)o] = step(acc[(size_t)o], A(arith(x[i])));
    });
  };
  switch (kind) {
  case ReduceKind::Sum:
  case ReduceKind::Mean:
  case ReduceKind::LogSum:
    if constexpr (isInt)
      run([](A a, A v) { return wrapAdd(a, v); });
    else
      run([](A a, A v) { return a + v; });
    break;
  case ReduceKind::L1:
    if constexpr (isInt)
      run([](A a, A v) { return wrapAdd(a, v < 0 ? A(0 - uint64_t(v)) : v); });
    else
      run([](A a, A v) { return a + std::fabs(v); });
    break;
  case ReduceKind::L2:
  case ReduceKind::SumSquare:
    if constexpr (isInt)
      run([](A a, A v) { return wrapAdd(a, wrapMul(v, v)); });
    else
      run([](A a, A v) { return a + v * v; });
    break;
  case ReduceKind::Prod:
    if constexpr (isInt)
      run([](A a, A v) { return wrapMul(a, v); });
    else
      run([](A a, A v) { return a * v; });
    break;
  case ReduceKind::Max: // NaN propagates (like numpy)
    run([](A a, A v) { return (v > a || isNaN(v)) ? v : a; });
    break;
  case ReduceKind::Min:
    run([](A a, A v) { return (v < a || isNaN(v)) ? v : a; });
    break;
  case ReduceKind::LogSumExp: {
    // Stable form: max + log(sum(exp(x - max))).
    if constexpr (!isInt) {
      std::vector<A> mx((size_t)outN, -std::numeric_limits<A>::infinity());
      forEachReduced(sh, red, [&](int64_t i, int64_t o) {
        A v = A(arith(x[i]));
        if (v > mx[(size_t)o] || isNaN(v)) mx[(size_t)o] = v;
      });
      forEachReduced(sh, red, [&](int64_t i, int64_t o) {
        if (std::isfinite(mx[(size_t)o]))
          acc[(size_t)o] += std::exp(A(arith(x[i])) - mx[(size_t)o]);
      });
      for (size_t o = 0; o < acc.size(); ++o)
        acc[o] = std::isfinite(mx[o]) ? mx[o] + std::log(acc[o]) : mx[o];
    }
    break;
  }
  }
  return acc;
}

template <typename T>
Status reduceTyped(const KernelContext &ctx, ReduceKind kind, const Tensor &x,
                   const std::vector<bool> &red, Tensor &out) {
  const T *xd = x.data<T>();
  T *od = out.data<T>();
  int64_t outN = out.numElements();
  int64_t count = 1;
  for (size_t i = 0; i < red.size(); ++i)
    if (red[i]) count *= x.dim(i);
  if constexpr (std::is_same_v<T, bool>) {
    if (kind != ReduceKind::Max && kind != ReduceKind::Min)
      return ctx.unsupported("bool input is only supported by ReduceMax/Min");
  }
  bool integerAcc = std::is_integral_v<T> && kind != ReduceKind::Mean &&
                    kind != ReduceKind::L2 && kind != ReduceKind::LogSum &&
                    kind != ReduceKind::LogSumExp;
  if constexpr (std::is_integral_v<T>) {
    if (integerAcc) {
      using A = std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>;
      std::vector<A> acc = accumulate<A>(kind, xd, x.shape(), red, outN);
      if (kind == ReduceKind::Max || kind == ReduceKind::Min) {
        // The identity of an empty max/min is the type's lowest/highest.
        A lo = A(std::numeric_limits<T>::lowest());
        A hi = A(std::numeric_limits<T>::max());
        for (int64_t o = 0; o < outN; ++o)
          acc[(size_t)o] = std::min(std::max(acc[(size_t)o], lo), hi);
      }
      for (int64_t o = 0; o < outN; ++o)
        od[o] = T(acc[(size_t)o]); // modular narrowing, well defined
      return Status::ok();
    }
  }
  std::vector<double> acc = accumulate<double>(kind, xd, x.shape(), red, outN);
  for (int64_t o = 0; o < outN; ++o) {
    double v = acc[(size_t)o];
    if (kind == ReduceKind::Mean)
      v /= double(count);
    else if (kind == ReduceKind::L2)
      v = std::sqrt(v);
    else if (kind == ReduceKind::LogSum)
      v = std::log(v);
    od[o] = fromDouble<T>(v);
  }
  return Status::ok();
}

Status runReduce(KernelContext &ctx, ReduceKind kind) {
  const Tensor &x = ctx.input(0);
  bool fromInput = axesFromInput(ctx);
  std::vector<int64_t> axes =
      fromInput ? inputInts(ctx, 1) : ctx.attrInts("axes");
  bool keep = ctx.attrInt("keepdims", 1) != 0;
  if (fromInput && axes.empty() && ctx.attrInt("noop_with_empty_axes", 0)) {
    ctx.outputs[0] = x.clone();
    return Status::ok();
  }
  EDGEC_ASSIGN_OR_RETURN(std::vector<bool> red,
                         reducedAxes(ctx, axes, x.rank()));
  TensorShape keptShape = reducedDims<int64_t>(x.shape(), red, true, 1);
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(x.dtype(), keptShape));
  EDGEC_TRY(dispatchType(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    return reduceTyped<T>(ctx, kind, x, red, out);
  }));
  ctx.outputs[0] = out.reshaped(reducedDims<int64_t>(x.shape(), red, keep, 1));
  return Status::ok();
}

// ---------------------------------------------------------------------------
// ArgMax / ArgMin: index of the first (or, with select_last_index, the last)
// extreme value along `axis`; a NaN counts as the extreme. The reduced dim
// must be non-empty.

template <typename T>
void argTyped(const Tensor &x, int64_t axis, bool isMax, bool last,
              Tensor &out) {
  const T *xd = x.data<T>();
  int64_t *od = out.data<int64_t>();
  int64_t n = x.dim((size_t)axis), outer = 1, inner = 1;
  for (int64_t i = 0; i < axis; ++i)
    outer *= x.dim((size_t)i);
  for (size_t i = (size_t)axis + 1; i < x.rank(); ++i)
    inner *= x.dim(i);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t k = 0; k < inner; ++k) {
      const T *p = xd + o * n * inner + k;
      auto best = arith(p[0]);
      int64_t bi = 0;
      for (int64_t j = 1; j < n; ++j) {
        auto v = arith(p[j * inner]);
        if (isNaN(best)) // NaN already selected
          break;
        bool better = isMax ? v > best : v < best;
        if (better || isNaN(v) || (last && v == best)) {
          best = v;
          bi = j;
        }
      }
      od[o * inner + k] = bi;
    }
  }
}

Status runArg(KernelContext &ctx, bool isMax) {
  const Tensor &x = ctx.input(0);
  int64_t r = (int64_t)x.rank();
  EDGEC_ASSIGN_OR_RETURN(int64_t axis,
                         normalizeAxis(ctx, ctx.attrInt("axis", 0), r));
  bool keep = ctx.attrInt("keepdims", 1) != 0;
  bool last = ctx.attrInt("select_last_index", 0) != 0;
  if (r == 0)
    return ctx.error("input must have rank >= 1", ErrorCode::InvalidInput);
  if (x.dim((size_t)axis) == 0)
    return ctx.error("cannot take the arg-extreme of an empty axis",
                     ErrorCode::InvalidInput);
  std::vector<bool> red((size_t)r, false);
  red[(size_t)axis] = true;
  Tensor out(DataType::Int64, reducedDims<int64_t>(x.shape(), red, keep, 1));
  dispatchType(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    argTyped<T>(x, axis, isMax, last, out);
  });
  ctx.outputs[0] = out;
  return Status::ok();
}

// ---------------------------------------------------------------------------
// CumSum / CumProd along the axis given by input 1 (a 0-D or 1-element
// int32/int64 tensor). `exclusive` shifts by one (the first result is the
// identity); `reverse` accumulates from the end. Floats accumulate in double;
// integers wrap on overflow.

template <typename T>
void cumTyped(const Tensor &x, int64_t axis, bool prod, bool exclusive,
              bool reverse, Tensor &out) {
  using A = std::conditional_t<
      std::is_integral_v<T>,
      std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>, double>;
  const T *xd = x.data<T>();
  T *od = out.data<T>();
  int64_t n = x.dim((size_t)axis), outer = 1, inner = 1;
  for (int64_t i = 0; i < axis; ++i)
    outer *= x.dim((size_t)i);
  for (size_t i = (size_t)axis + 1; i < x.rank(); ++i)
    inner *= x.dim(i);
  std::vector<A> acc((size_t)inner);
  for (int64_t o = 0; o < outer; ++o) {
    std::fill(acc.begin(), acc.end(), A(prod ? 1 : 0));
    for (int64_t jj = 0; jj < n; ++jj) {
      int64_t j = reverse ? n - 1 - jj : jj;
      int64_t base = (o * n + j) * inner;
      for (int64_t k = 0; k < inner; ++k) {
        A &a = acc[(size_t)k];
        A v = A(arith(xd[base + k]));
        if (exclusive) od[base + k] = T(a);
        if constexpr (std::is_integral_v<A>)
          a = prod ? wrapMul(a, v) : wrapAdd(a, v);
        else
          a = prod ? a * v : a + v;
        if (!exclusive) od[base + k] = T(a);
      }
    }
  }
}

Status runCum(KernelContext &ctx, bool prod) {
  const Tensor &x = ctx.input(0);
  const Tensor &axisT = ctx.input(1);
  if (axisT.numElements() != 1 || axisT.rank() > 1 ||
      (axisT.dtype() != DataType::Int32 && axisT.dtype() != DataType::Int64))
    return ctx.error("axis must be a 0-D int32/int64 tensor, got " +
                     describe(axisT));
  if (x.rank() == 0)
    return ctx.error("input must have rank >= 1", ErrorCode::InvalidInput);
  EDGEC_ASSIGN_OR_RETURN(
      int64_t axis, normalizeAxis(ctx, axisT.getInt64(0), (int64_t)x.rank()));
  if (x.dtype() == DataType::Bool) return ctx.unsupported("bool input");
  bool exclusive = ctx.attrInt("exclusive", 0) != 0;
  bool reverse = ctx.attrInt("reverse", 0) != 0;
  Tensor out(x.dtype(), x.shape());
  dispatchType(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>)
      cumTyped<T>(x, axis, prod, exclusive, reverse, out);
  });
  ctx.outputs[0] = out;
  return Status::ok();
}

// ---------------------------------------------------------------------------
// TopK: the k largest (or, with largest=0, smallest) elements along `axis`
// (default -1) and their int64 indices. k is an attribute before opset 10 and
// a 1-element int64 input after. Equal values keep the lower index first.
// The output is always sorted (sorted=0 leaves the order unspecified).

template <typename T>
void topkTyped(const Tensor &x, int64_t axis, int64_t k, bool largest,
               Tensor &values, Tensor &indices) {
  const T *xd = x.data<T>();
  T *vd = values.data<T>();
  int64_t *id = indices.data<int64_t>();
  int64_t n = x.dim((size_t)axis), outer = 1, inner = 1;
  for (int64_t i = 0; i < axis; ++i)
    outer *= x.dim((size_t)i);
  for (size_t i = (size_t)axis + 1; i < x.rank(); ++i)
    inner *= x.dim(i);
  std::vector<int64_t> order((size_t)n);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t c = 0; c < inner; ++c) {
      const T *p = xd + o * n * inner + c;
      for (int64_t j = 0; j < n; ++j)
        order[(size_t)j] = j;
      // NaN sorts as the largest value.
      auto before = [&](int64_t a, int64_t b) {
        auto va = arith(p[a * inner]), vb = arith(p[b * inner]);
        bool na = isNaN(va), nb = isNaN(vb);
        if (na || nb) {
          if (na && nb) return a < b;
          return largest ? na : nb;
        }
        if (va != vb) return largest ? va > vb : va < vb;
        return a < b;
      };
      std::partial_sort(order.begin(), order.begin() + k, order.end(), before);
      for (int64_t j = 0; j < k; ++j) {
        int64_t oi = (o * k + j) * inner + c;
        vd[oi] = p[order[(size_t)j] * inner];
        id[oi] = order[(size_t)j];
      }
    }
}

Status runTopK(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  int64_t r = (int64_t)x.rank();
  if (r == 0)
    return ctx.error("input must have rank >= 1", ErrorCode::InvalidInput);
  EDGEC_ASSIGN_OR_RETURN(int64_t axis,
                         normalizeAxis(ctx, ctx.attrInt("axis", -1), r));
  int64_t k;
  if (ctx.opset() < 10) {
    if (!ctx.hasAttr("k")) return ctx.error("missing attribute k");
    k = ctx.attrInt("k", 0);
  } else {
    if (!ctx.hasInput(1) || ctx.input(1).numElements() != 1)
      return ctx.error("k must be a 1-element tensor");
    k = ctx.input(1).getInt64(0);
  }
  if (k < 0 || k > x.dim((size_t)axis))
    return ctx.error("k " + std::to_string(k) +
                         " is out of range for axis "
                         "size " +
                         std::to_string(x.dim((size_t)axis)),
                     ErrorCode::InvalidInput);
  bool largest = ctx.attrInt("largest", 1) != 0;
  TensorShape os = x.shape();
  os[(size_t)axis] = k;
  Tensor values(x.dtype(), os), indices(DataType::Int64, os);
  dispatchType(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    topkTyped<T>(x, axis, k, largest, values, indices);
  });
  ctx.outputs[0] = values;
  if (ctx.numOutputs() > 1) ctx.outputs[1] = indices;
  return Status::ok();
}

// ---------------------------------------------------------------------------
// Unique: the distinct elements (or, with `axis`, distinct slices along it)
// of X. Outputs: Y, indices (first occurrence of each Y entry in X),
// inverse_indices (for each X entry, its position in Y) and counts. With
// sorted=1 (default) Y is in ascending (lexicographic for slices) order,
// else in order of first occurrence.

template <typename T>
std::vector<int64_t> uniqueOrder(const Tensor &x, int64_t outer, int64_t n,
                                 int64_t inner,
                                 std::vector<int64_t> &groupStart) {
  const T *xd = x.data<T>();
  // Three-way comparison of slices a and b.
  auto cmp = [&](int64_t a, int64_t b) {
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t k = 0; k < inner; ++k) {
        auto va = arith(xd[(o * n + a) * inner + k]);
        auto vb = arith(xd[(o * n + b) * inner + k]);
        // NaNs are equal to each other and sort after every number, which
        // keeps the ordering strict-weak.
        bool na = isNaN(va), nb = isNaN(vb);
        if (na || nb) {
          if (na != nb) return na ? 1 : -1;
          continue;
        }
        if (va < vb) return -1;
        if (vb < va) return 1;
      }
    return 0;
  };
  std::vector<int64_t> order((size_t)n);
  for (int64_t i = 0; i < n; ++i)
    order[(size_t)i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return cmp(a, b) < 0; });
  for (int64_t i = 0; i < n; ++i)
    if (i == 0 || cmp(order[(size_t)i - 1], order[(size_t)i]) != 0)
      groupStart.push_back(i);
  return order;
}

Status runUnique(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  bool sorted = ctx.attrInt("sorted", 1) != 0;
  int64_t outer = 1, n = x.numElements(), inner = 1, axis = -1;
  if (ctx.hasAttr("axis")) {
    EDGEC_ASSIGN_OR_RETURN(
        axis, normalizeAxis(ctx, ctx.attrInt("axis", 0), (int64_t)x.rank()));
    n = x.dim((size_t)axis);
    for (int64_t i = 0; i < axis; ++i)
      outer *= x.dim((size_t)i);
    for (size_t i = (size_t)axis + 1; i < x.rank(); ++i)
      inner *= x.dim(i);
  }
  std::vector<int64_t> groupStart;
  std::vector<int64_t> order = dispatchType(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    return uniqueOrder<T>(x, outer, n, inner, groupStart);
  });
  // Each group: its first occurrence (stable sort: the group's first entry)
  // and members.
  size_t g = groupStart.size();
  std::vector<size_t> groups(g);
  for (size_t i = 0; i < g; ++i)
    groups[i] = i;
  if (!sorted)
    std::sort(groups.begin(), groups.end(), [&](size_t a, size_t b) {
      return order[(size_t)groupStart[a]] < order[(size_t)groupStart[b]];
    });
  int64_t u = (int64_t)g;
  TensorShape ys = axis < 0 ? TensorShape{u} : x.shape();
  if (axis >= 0) ys[(size_t)axis] = u;
  Tensor y(x.dtype(), ys), first(DataType::Int64, {u}),
      inverse(DataType::Int64, {n}), counts(DataType::Int64, {u});
  size_t es = dataTypeSize(x.dtype());
  const unsigned char *xb = static_cast<const unsigned char *>(x.raw());
  unsigned char *yb = static_cast<unsigned char *>(y.raw());
  for (int64_t q = 0; q < u; ++q) {
    size_t gi = groups[(size_t)q];
    int64_t begin = groupStart[gi];
    int64_t end = gi + 1 < g ? groupStart[gi + 1] : n;
    int64_t src = order[(size_t)begin];
    first.data<int64_t>()[q] = src;
    counts.data<int64_t>()[q] = end - begin;
    for (int64_t m = begin; m < end; ++m)
      inverse.data<int64_t>()[order[(size_t)m]] = q;
    for (int64_t o = 0; o < outer; ++o)
      std::memcpy(yb + (size_t)((o * u + q) * inner) * es,
                  xb + (size_t)((o * n + src) * inner) * es,
                  (size_t)inner * es);
  }
  ctx.outputs[0] = y;
  const Tensor *rest[] = {&first, &inverse, &counts};
  for (size_t i = 1; i < ctx.numOutputs() && i < 4; ++i)
    ctx.outputs[i] = *rest[i - 1];
  return Status::ok();
}

} // namespace

void registerReduceKernels(KernelRegistry &r) {
  const std::pair<const char *, ReduceKind> reductions[] = {
      {"ReduceSum", ReduceKind::Sum},
      {"ReduceMean", ReduceKind::Mean},
      {"ReduceMax", ReduceKind::Max},
      {"ReduceMin", ReduceKind::Min},
      {"ReduceProd", ReduceKind::Prod},
      {"ReduceL1", ReduceKind::L1},
      {"ReduceL2", ReduceKind::L2},
      {"ReduceLogSum", ReduceKind::LogSum},
      {"ReduceLogSumExp", ReduceKind::LogSumExp},
      {"ReduceSumSquare", ReduceKind::SumSquare},
  };
  for (const auto &[name, kind] : reductions) {
    ReduceKind k = kind;
    addOp(r, name, 1, [k](KernelContext &ctx) { return runReduce(ctx, k); });
  }
  addOp(r, "ArgMax", 1, [](KernelContext &ctx) { return runArg(ctx, true); });
  addOp(r, "ArgMin", 1, [](KernelContext &ctx) { return runArg(ctx, false); });
  addOp(r, "CumSum", 2, [](KernelContext &ctx) { return runCum(ctx, false); });
  addOp(r, "CumProd", 2, [](KernelContext &ctx) { return runCum(ctx, true); });
  addOp(r, "TopK", 1, runTopK);
  addOp(r, "Unique", 1, runUnique);
}

} // namespace edgec
