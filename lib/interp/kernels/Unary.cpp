// Unary element-wise kernels: Abs Neg Sign Reciprocal Sqrt Exp Log Erf,
// Ceil Floor Round, trigonometric and hyperbolic functions, IsNaN IsInf,
// Not and BitwiseNot.
//
// 16-bit floats are computed through float. Integer Abs/Neg wrap for the
// most negative value (two's complement) instead of invoking UB.
#include "interp/kernels/ElementwiseUtil.h"

#include <cmath>

namespace edgec {
namespace {

using namespace elementwise;
 // NOLINT: kernel-local helpers

template <typename T>
constexpr bool isIntT = std::is_integral_v<T> && !std::is_same_v<T, bool>;

/// Applies Op::apply to every element; the result has the input's type
/// unless Op::resultBool, in which case it is bool.
template <typename Op> Status runUnary(KernelContext &ctx) {
  if (!ctx.hasInput(0)) return ctx.error("expects one input");
  const Tensor &x = ctx.input(0);
  if (!x.isValid() || isStorageOnlyType(x.dtype()))
    return ctx.unsupported(std::string("element type ") +
                           std::string(dataTypeName(x.dtype())) +
                           " is not supported by this op");
  Status st = dispatchType(x.dtype(), [&](auto tag) -> Status {
    using T = decltype(tag);
    if constexpr (Op::template accepts<T>) {
      using C = ComputeT<T>;
      using R = std::conditional_t<Op::resultBool, bool, T>;
      Tensor out(dataTypeOf<R>(), x.shape());
      const T *px = x.data<T>();
      R *po = out.data<R>();
      int64_t n = x.numElements();
      for (int64_t i = 0; i < n; ++i)
        po[i] = R(Op::apply(ctx, (C)px[i]));
      ctx.outputs[0] = out;
      return Status::ok();
    } else {
      return ctx.error(std::string("element type ") +
                       std::string(dataTypeName(x.dtype())) +
                       " is not supported by this op");
    }
  });
  return st;
}

// Float-only math functions, computed in float (or double for f64).
#define EDGEC_FLOAT_UNARY(Name, expr)                                          \
  struct Name {                                                                \
    static constexpr bool resultBool = false;                                  \
    template <typename T> static constexpr bool accepts = isFloatLike<T>;      \
    template <typename C> static C apply(const KernelContext &, C x) {         \
      return expr;                                                             \
    }                                                                          \
  };

EDGEC_FLOAT_UNARY(ReciprocalOp, C(1) / x)
EDGEC_FLOAT_UNARY(SqrtOp, std::sqrt(x))
EDGEC_FLOAT_UNARY(ExpOp, std::exp(x))
EDGEC_FLOAT_UNARY(LogOp, std::log(x))
EDGEC_FLOAT_UNARY(CeilOp, std::ceil(x))
EDGEC_FLOAT_UNARY(FloorOp, std::floor(x))
// Round: halves go to the nearest even integer (default rounding mode).
EDGEC_FLOAT_UNARY(RoundOp, std::nearbyint(x))
EDGEC_FLOAT_UNARY(ErfOp, std::erf(x))
EDGEC_FLOAT_UNARY(SinOp, std::sin(x))
EDGEC_FLOAT_UNARY(CosOp, std::cos(x))
EDGEC_FLOAT_UNARY(TanOp, std::tan(x))
EDGEC_FLOAT_UNARY(AsinOp, std::asin(x))
EDGEC_FLOAT_UNARY(AcosOp, std::acos(x))
EDGEC_FLOAT_UNARY(AtanOp, std::atan(x))
EDGEC_FLOAT_UNARY(SinhOp, std::sinh(x))
EDGEC_FLOAT_UNARY(CoshOp, std::cosh(x))
EDGEC_FLOAT_UNARY(AsinhOp, std::asinh(x))
EDGEC_FLOAT_UNARY(AcoshOp, std::acosh(x))
EDGEC_FLOAT_UNARY(AtanhOp, std::atanh(x))

#undef EDGEC_FLOAT_UNARY

struct AbsOp {
  static constexpr bool resultBool = false;
  template <typename T>
  static constexpr bool accepts = !std::is_same_v<T, bool>;
  template <typename C> static C apply(const KernelContext &, C x) {
    if constexpr (std::is_floating_point_v<C>)
      return std::fabs(x);
    else if constexpr (std::is_signed_v<C>)
      return x < 0 ? wrapSub<C>(0, x) : x;
    else
      return x;
  }
};

struct NegOp {
  static constexpr bool resultBool = false;
  template <typename T>
  static constexpr bool accepts = !std::is_same_v<T, bool>;
  template <typename C> static C apply(const KernelContext &, C x) {
    if constexpr (std::is_floating_point_v<C>)
      return -x;
    else
      return wrapSub<C>(0, x);
  }
};

/// Sign: -1, 0 or 1 (NaN stays NaN).
struct SignOp {
  static constexpr bool resultBool = false;
  template <typename T>
  static constexpr bool accepts = !std::is_same_v<T, bool>;
  template <typename C> static C apply(const KernelContext &, C x) {
    if constexpr (std::is_floating_point_v<C>) {
      if (std::isnan(x)) return x;
    }
    if constexpr (std::is_signed_v<C>) {
      if (x < 0) return C(-1);
    }
    return x > 0 ? C(1) : C(0);
  }
};

struct IsNaNOp {
  static constexpr bool resultBool = true;
  template <typename T> static constexpr bool accepts = isFloatLike<T>;
  template <typename C> static bool apply(const KernelContext &, C x) {
    return std::isnan(x);
  }
};

/// IsInf honours detect_positive / detect_negative (both default 1).
struct IsInfOp {
  static constexpr bool resultBool = true;
  template <typename T> static constexpr bool accepts = isFloatLike<T>;
  template <typename C> static bool apply(const KernelContext &ctx, C x) {
    if (!std::isinf(x)) return false;
    // Attribute lookups are cheap relative to the rarity of infinities.
    if (x > 0) return ctx.attrInt("detect_positive", 1) != 0;
    return ctx.attrInt("detect_negative", 1) != 0;
  }
};

struct NotOp {
  static constexpr bool resultBool = false;
  template <typename T> static constexpr bool accepts = std::is_same_v<T, bool>;
  template <typename C> static C apply(const KernelContext &, C x) {
    return !x;
  }
};

struct BitwiseNotOp {
  static constexpr bool resultBool = false;
  template <typename T> static constexpr bool accepts = isIntT<T>;
  template <typename C> static C apply(const KernelContext &, C x) {
    return (C)~x;
  }
};

template <typename Op> void add(KernelRegistry &r, const char *name) {
  r.add(name, runUnary<Op>);
}

} // namespace

void registerUnaryKernels(KernelRegistry &r) {
  add<AbsOp>(r, "Abs");
  add<NegOp>(r, "Neg");
  add<SignOp>(r, "Sign");
  add<ReciprocalOp>(r, "Reciprocal");
  add<SqrtOp>(r, "Sqrt");
  add<ExpOp>(r, "Exp");
  add<LogOp>(r, "Log");
  add<CeilOp>(r, "Ceil");
  add<FloorOp>(r, "Floor");
  add<RoundOp>(r, "Round");
  add<ErfOp>(r, "Erf");
  add<SinOp>(r, "Sin");
  add<CosOp>(r, "Cos");
  add<TanOp>(r, "Tan");
  add<AsinOp>(r, "Asin");
  add<AcosOp>(r, "Acos");
  add<AtanOp>(r, "Atan");
  add<SinhOp>(r, "Sinh");
  add<CoshOp>(r, "Cosh");
  add<AsinhOp>(r, "Asinh");
  add<AcoshOp>(r, "Acosh");
  add<AtanhOp>(r, "Atanh");
  add<IsNaNOp>(r, "IsNaN");
  add<IsInfOp>(r, "IsInf");
  add<NotOp>(r, "Not");
  add<BitwiseNotOp>(r, "BitwiseNot");
}

} // namespace edgec
