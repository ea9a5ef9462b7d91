// Binary and variadic element-wise kernels with multidirectional (numpy)
// broadcasting: arithmetic (Add Sub Mul Div Mod Pow), comparisons, logical
// and bitwise ops, variadic Max Min Sum Mean, and Where.
//
// 16-bit floats are computed through float. Integer arithmetic wraps (two's
// complement) instead of invoking UB; integer Div truncates toward zero (as
// the ONNX reference casts the true quotient back to the integer type) and
// division or modulo by zero yields 0 rather than trapping.
#include "interp/kernels/ElementwiseUtil.h"

#include <cmath>
#include <cstring>

namespace edgec {
namespace {

using namespace elementwise;
 // NOLINT: kernel-local helpers

template <typename T>
constexpr bool isIntT = std::is_integral_v<T> && !std::is_same_v<T, bool>;

/// Rejects types no arithmetic kernel handles.
Status checkComputable(const KernelContext &ctx, const Tensor &t) {
  if (!t.isValid()) return ctx.error("input has no element type");
  if (isStorageOnlyType(t.dtype()))
    return ctx.unsupported(std::string("element type ") +
                           std::string(dataTypeName(t.dtype())) +
                           " is not supported by this op");
  return Status::ok();
}

Status typeError(const KernelContext &ctx, DataType t) {
  return ctx.error(std::string("element type ") + std::string(dataTypeName(t)) +
                       " is not supported by this op",
                   ErrorCode::InvalidModel);
}

/// Runs out[i] = f(a[ia], b[ib]) over the broadcast of a and b, with fast
/// paths for equal shapes and scalar operands. TA/TB/TR are storage types;
/// f receives and returns compute types.
template <typename TA, typename TB, typename TR, typename F>
Expected<Tensor> broadcastApply(const KernelContext &ctx, const Tensor &a,
                                const Tensor &b, F f) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape shape,
                         broadcastShapes(ctx, a.shape(), b.shape()));
  EDGEC_ASSIGN_OR_RETURN(Tensor out,
                         Tensor::create(dataTypeOf<TR>(), std::move(shape)));
  const TA *pa = a.data<TA>();
  const TB *pb = b.data<TB>();
  TR *po = out.data<TR>();
  int64_t n = out.numElements();
  using CA = ComputeT<TA>;
  using CB = ComputeT<TB>;
  if (a.numElements() == n && b.numElements() == n) {
    // Equal shapes (or shapes differing only by leading 1s).
    for (int64_t i = 0; i < n; ++i)
      po[i] = TR(f((CA)pa[i], (CB)pb[i]));
  } else if (b.numElements() == 1 && a.numElements() == n) {
    CB vb = (CB)pb[0];
    for (int64_t i = 0; i < n; ++i)
      po[i] = TR(f((CA)pa[i], vb));
  } else if (a.numElements() == 1 && b.numElements() == n) {
    CA va = (CA)pa[0];
    for (int64_t i = 0; i < n; ++i)
      po[i] = TR(f(va, (CB)pb[i]));
  } else {
    forEachBroadcast<2>(out.shape(), {&a.shape(), &b.shape()},
                        [&](int64_t o, const std::array<int64_t, 2> &ix) {
                          po[o] = TR(f((CA)pa[ix[0]], (CB)pb[ix[1]]));
                        });
  }
  return out;
}

// --- Same-type ops: each Op has accepts<T> and apply(C, C) -> C. ---

struct AddOp {
  template <typename T>
  static constexpr bool accepts = !std::is_same_v<T, bool>;
  template <typename C> static C apply(C a, C b) { return wrapAdd(a, b); }
};

struct SubOp {
  template <typename T>
  static constexpr bool accepts = !std::is_same_v<T, bool>;
  template <typename C> static C apply(C a, C b) { return wrapSub(a, b); }
};

struct MulOp {
  template <typename T>
  static constexpr bool accepts = !std::is_same_v<T, bool>;
  template <typename C> static C apply(C a, C b) { return wrapMul(a, b); }
};

struct DivOp {
  template <typename T>
  static constexpr bool accepts = !std::is_same_v<T, bool>;
  template <typename C> static C apply(C a, C b) {
    if constexpr (std::is_integral_v<C>)
      return intDiv(a, b);
    else
      return a / b;
  }
};

/// Mod with fmod=0: the result has the sign of the divisor (Python/numpy
/// mod). Integer x % 0 is 0 (numpy's result).
struct ModOp {
  template <typename T>
  static constexpr bool accepts = !std::is_same_v<T, bool>;
  template <typename C> static C apply(C a, C b) {
    if constexpr (std::is_integral_v<C>) {
      if (b == 0) return 0;
      if constexpr (std::is_signed_v<C>) {
        if (b == -1) return 0;
        C r = (C)(a % b);
        if (r != 0 && ((r < 0) != (b < 0))) r = (C)(r + b);
        return r;
      } else {
        return (C)(a % b);
      }
    } else {
      C r = std::fmod(a, b);
      if (r != 0 && ((r < 0) != (b < 0))) r += b;
      return r;
    }
  }
};

/// Mod with fmod=1: C fmod, the result has the sign of the dividend.
struct FModOp {
  template <typename T>
  static constexpr bool accepts = !std::is_same_v<T, bool>;
  template <typename C> static C apply(C a, C b) {
    if constexpr (std::is_integral_v<C>) {
      if (b == 0) return 0;
      if constexpr (std::is_signed_v<C>) {
        if (b == -1) return 0;
      }
      return (C)(a % b);
    } else {
      return std::fmod(a, b);
    }
  }
};

/// Max/Min propagate NaN like numpy.maximum/minimum.
struct MaxOp {
  template <typename T>
  static constexpr bool accepts = !std::is_same_v<T, bool>;
  template <typename C> static C apply(C a, C b) {
    if constexpr (std::is_floating_point_v<C>) {
      if (std::isnan(a) || std::isnan(b))
        return std::numeric_limits<C>::quiet_NaN();
    }
    return a < b ? b : a;
  }
};

struct MinOp {
  template <typename T>
  static constexpr bool accepts = !std::is_same_v<T, bool>;
  template <typename C> static C apply(C a, C b) {
    if constexpr (std::is_floating_point_v<C>) {
      if (std::isnan(a) || std::isnan(b))
        return std::numeric_limits<C>::quiet_NaN();
    }
    return b < a ? b : a;
  }
};

struct AndOp {
  template <typename T> static constexpr bool accepts = std::is_same_v<T, bool>;
  template <typename C> static C apply(C a, C b) { return a && b; }
};

struct OrOp {
  template <typename T> static constexpr bool accepts = std::is_same_v<T, bool>;
  template <typename C> static C apply(C a, C b) { return a || b; }
};

struct XorOp {
  template <typename T> static constexpr bool accepts = std::is_same_v<T, bool>;
  template <typename C> static C apply(C a, C b) { return a != b; }
};

struct BitAndOp {
  template <typename T> static constexpr bool accepts = isIntT<T>;
  template <typename C> static C apply(C a, C b) { return (C)(a & b); }
};

struct BitOrOp {
  template <typename T> static constexpr bool accepts = isIntT<T>;
  template <typename C> static C apply(C a, C b) { return (C)(a | b); }
};

struct BitXorOp {
  template <typename T> static constexpr bool accepts = isIntT<T>;
  template <typename C> static C apply(C a, C b) { return (C)(a ^ b); }
};

/// BitShift on unsigned types; shifting by >= the bit width gives 0.
template <bool Left> struct ShiftOp {
  template <typename T>
  static constexpr bool accepts = isIntT<T> &&std::is_unsigned_v<T>;
  template <typename C> static C apply(C a, C b) {
    if (b >= (C)(sizeof(C) * 8)) return 0;
    if constexpr (Left)
      return (C)((uint64_t)a << b);
    else
      return (C)(a >> b);
  }
};

/// Same-type binary op on two tensors (result has their type).
template <typename Op>
Expected<Tensor> applySameType(const KernelContext &ctx, const Tensor &a,
                               const Tensor &b) {
  EDGEC_TRY(checkComputable(ctx, a));
  if (a.dtype() != b.dtype())
    return ctx.error(std::string("input types differ (") +
                     std::string(dataTypeName(a.dtype())) + " vs " +
                     std::string(dataTypeName(b.dtype())) + ")");
  return dispatchType(a.dtype(), [&](auto tag) -> Expected<Tensor> {
    using T = decltype(tag);
    if constexpr (Op::template accepts<T>) {
      using C = ComputeT<T>;
      return broadcastApply<T, T, T>(
          ctx, a, b, [](C x, C y) { return Op::template apply<C>(x, y); });
    } else {
      return typeError(ctx, a.dtype());
    }
  });
}

template <typename Op> Status runSameType(KernelContext &ctx) {
  if (!ctx.hasInput(0) || !ctx.hasInput(1))
    return ctx.error("expects two inputs");
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0],
                         applySameType<Op>(ctx, ctx.input(0), ctx.input(1)));
  return Status::ok();
}

Status runMod(KernelContext &ctx) {
  if (ctx.attrInt("fmod", 0) != 0) return runSameType<FModOp>(ctx);
  return runSameType<ModOp>(ctx);
}

Status runBitShift(KernelContext &ctx) {
  std::string dir = ctx.attrString("direction", "");
  if (dir == "LEFT") return runSameType<ShiftOp<true>>(ctx);
  if (dir == "RIGHT") return runSameType<ShiftOp<false>>(ctx);
  return ctx.error("direction must be LEFT or RIGHT, got '" + dir + "'");
}

// --- Comparisons: bool result. ---

enum class Cmp { Eq, Gt, Lt, Ge, Le };

template <Cmp K> Status runCompare(KernelContext &ctx) {
  if (!ctx.hasInput(0) || !ctx.hasInput(1))
    return ctx.error("expects two inputs");
  const Tensor &a = ctx.input(0), &b = ctx.input(1);
  EDGEC_TRY(checkComputable(ctx, a));
  if (a.dtype() != b.dtype()) return ctx.error("input types differ");
  Expected<Tensor> r =
      dispatchType(a.dtype(), [&](auto tag) -> Expected<Tensor> {
        using T = decltype(tag);
        using C = ComputeT<T>;
        return broadcastApply<T, T, bool>(ctx, a, b, [](C x, C y) {
          if constexpr (K == Cmp::Eq)
            return x == y;
          else if constexpr (K == Cmp::Gt)
            return x > y;
          else if constexpr (K == Cmp::Lt)
            return x < y;
          else if constexpr (K == Cmp::Ge)
            return x >= y;
          else
            return x <= y;
        });
      });
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], std::move(r));
  return Status::ok();
}

// --- Pow: base and exponent may have different types; result has the
// base's type. Integer ** integer is exact (wrapping) repeated squaring, as
// numpy does; anything else goes through double pow. ---

template <typename T> T intPow(T base, int64_t e) {
  if (e < 0) {
    // Only |base| == 1 has an integer result; others truncate to 0.
    if (base == 1) return 1;
    if constexpr (std::is_signed_v<T>) {
      if (base == -1) return (e % 2) ? T(-1) : T(1);
    }
    return 0;
  }
  T r = 1;
  while (e > 0) {
    if (e & 1) r = wrapMul(r, base);
    base = wrapMul(base, base);
    e >>= 1;
  }
  return r;
}

Status runPow(KernelContext &ctx) {
  if (!ctx.hasInput(0) || !ctx.hasInput(1))
    return ctx.error("expects two inputs");
  const Tensor &a = ctx.input(0), &b = ctx.input(1);
  EDGEC_TRY(checkComputable(ctx, a));
  EDGEC_TRY(checkComputable(ctx, b));
  if (a.dtype() == DataType::Bool || b.dtype() == DataType::Bool)
    return ctx.error("pow does not accept bool inputs");
  bool intExp = isIntegerType(b.dtype());
  Expected<Tensor> r =
      dispatchType(a.dtype(), [&](auto tag) -> Expected<Tensor> {
        using T = decltype(tag);
        if constexpr (std::is_same_v<T, bool>) {
          return typeError(ctx, a.dtype());
        } else if constexpr (isIntT<T>) {
          if (intExp) {
            Tensor e = b.castTo(DataType::Int64);
            return broadcastApply<T, int64_t, T>(
                ctx, a, e, [](T x, int64_t y) { return intPow<T>(x, y); });
          }
          Tensor e = b.castTo(DataType::Float64);
          return broadcastApply<T, double, T>(ctx, a, e, [](T x, double y) {
            return fromDouble<T>(std::pow((double)x, y));
          });
        } else {
          using C = ComputeT<T>;
          Tensor e = b.castTo(DataType::Float64);
          return broadcastApply<T, double, T>(ctx, a, e, [](C x, double y) {
            return (C)std::pow((double)x, y);
          });
        }
      });
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], std::move(r));
  return Status::ok();
}

// --- Variadic Max/Min/Sum/Mean: left fold of the binary op (broadcasting
// is associative, so the fold yields the multidirectional broadcast). ---

template <typename Op> Expected<Tensor> foldInputs(KernelContext &ctx) {
  std::vector<const Tensor *> ins;
  for (size_t i = 0; i < ctx.numInputs(); ++i)
    if (ctx.hasInput(i)) ins.push_back(&ctx.input(i));
  if (ins.empty()) return ctx.error("expects at least one input");
  EDGEC_TRY(checkComputable(ctx, *ins[0]));
  if (ins[0]->dtype() == DataType::Bool) return typeError(ctx, DataType::Bool);
  Tensor acc = ins[0]->clone();
  for (size_t i = 1; i < ins.size(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(acc, applySameType<Op>(ctx, acc, *ins[i]));
  }
  return acc;
}

template <typename Op> Status runVariadic(KernelContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], foldInputs<Op>(ctx));
  return Status::ok();
}

Status runMean(KernelContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(Tensor sum, foldInputs<AddOp>(ctx));
  int64_t count = 0;
  for (size_t i = 0; i < ctx.numInputs(); ++i)
    count += ctx.hasInput(i) ? 1 : 0;
  EDGEC_TRY(dispatchType(sum.dtype(), [&](auto tag) -> Status {
    using T = decltype(tag);
    if constexpr (isFloatLike<T>) {
      using C = ComputeT<T>;
      T *p = sum.data<T>();
      for (int64_t i = 0; i < sum.numElements(); ++i)
        p[i] = T((C)p[i] / (C)count);
      return Status::ok();
    } else {
      return typeError(ctx, sum.dtype());
    }
  }));
  ctx.outputs[0] = sum;
  return Status::ok();
}

// --- Where: 3-way broadcast; elements are copied as raw bytes, so every
// element type (storage-only ones included) works. ---

template <typename U>
Tensor whereCopy(const Tensor &c, const Tensor &x, const Tensor &y,
                 Tensor out) {
  const bool *pc = c.data<bool>();
  const U *px = static_cast<const U *>(x.raw());
  const U *py = static_cast<const U *>(y.raw());
  U *po = static_cast<U *>(out.raw());
  int64_t n = out.numElements();
  if (c.numElements() == n && x.numElements() == n && y.numElements() == n) {
    for (int64_t i = 0; i < n; ++i)
      po[i] = pc[i] ? px[i] : py[i];
    return out;
  }
  forEachBroadcast<3>(out.shape(), {&c.shape(), &x.shape(), &y.shape()},
                      [&](int64_t o, const std::array<int64_t, 3> &ix) {
                        po[o] = pc[ix[0]] ? px[ix[1]] : py[ix[2]];
                      });
  return out;
}

Status runWhere(KernelContext &ctx) {
  for (size_t i = 0; i < 3; ++i)
    if (!ctx.hasInput(i)) return ctx.error("expects three inputs");
  const Tensor &c = ctx.input(0), &x = ctx.input(1), &y = ctx.input(2);
  if (c.dtype() != DataType::Bool) return ctx.error("condition must be bool");
  if (x.dtype() != y.dtype()) return ctx.error("X and Y types differ");
  if (!x.isValid()) return ctx.error("input has no element type");
  EDGEC_ASSIGN_OR_RETURN(TensorShape s1,
                         broadcastShapes(ctx, c.shape(), x.shape()));
  EDGEC_ASSIGN_OR_RETURN(TensorShape s, broadcastShapes(ctx, s1, y.shape()));
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(x.dtype(), std::move(s)));
  switch (dataTypeSize(x.dtype())) {
  case 1: ctx.outputs[0] = whereCopy<uint8_t>(c, x, y, out); break;
  case 2: ctx.outputs[0] = whereCopy<uint16_t>(c, x, y, out); break;
  case 4: ctx.outputs[0] = whereCopy<uint32_t>(c, x, y, out); break;
  case 8: ctx.outputs[0] = whereCopy<uint64_t>(c, x, y, out); break;
  default: return ctx.unsupported("element type not supported by Where");
  }
  return Status::ok();
}

} // namespace

void registerBinaryKernels(KernelRegistry &r) {
  r.add("Add", runSameType<AddOp>);
  r.add("Sub", runSameType<SubOp>);
  r.add("Mul", runSameType<MulOp>);
  r.add("Div", runSameType<DivOp>);
  r.add("Mod", runMod);
  r.add("Pow", runPow);
  r.add("And", runSameType<AndOp>);
  r.add("Or", runSameType<OrOp>);
  r.add("Xor", runSameType<XorOp>);
  r.add("BitwiseAnd", runSameType<BitAndOp>);
  r.add("BitwiseOr", runSameType<BitOrOp>);
  r.add("BitwiseXor", runSameType<BitXorOp>);
  r.add("BitShift", runBitShift);
  r.add("Equal", runCompare<Cmp::Eq>);
  r.add("Greater", runCompare<Cmp::Gt>);
  r.add("Less", runCompare<Cmp::Lt>);
  r.add("GreaterOrEqual", runCompare<Cmp::Ge>);
  r.add("LessOrEqual", runCompare<Cmp::Le>);
  r.add("Max", runVariadic<MaxOp>);
  r.add("Min", runVariadic<MinOp>);
  r.add("Sum", runVariadic<AddOp>);
  r.add("Mean", runMean);
  r.add("Where", runWhere);
}

} // namespace edgec
