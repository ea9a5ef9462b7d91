// Activation kernels: Relu LeakyRelu PRelu Elu Selu Celu HardSigmoid
// HardSwish Gelu Mish Softplus Softsign ThresholdedRelu Sigmoid Tanh Shrink
// Swish Clip.
//
// Float types are computed in float (double for f64; 16-bit floats through
// float). Attributes are read once per node, never per element.
#include "interp/kernels/ElementwiseUtil.h"

#include <cmath>

namespace edgec {
namespace {

using namespace elementwise;
 // NOLINT: kernel-local helpers

template <typename T>
constexpr bool isIntT = std::is_integral_v<T> && !std::is_same_v<T, bool>;

Status badType(const KernelContext &ctx, DataType t) {
  return ctx.error(std::string("element type ") + std::string(dataTypeName(t)) +
                   " is not supported by this op");
}

/// out = f(x) element-wise with out of x's type. f is a generic callable
/// receiving the compute type (float/double, or the integer type itself
/// when AllowInt).
template <bool AllowInt, typename F>
Status mapElements(KernelContext &ctx, F f) {
  if (!ctx.hasInput(0)) return ctx.error("expects an input");
  const Tensor &x = ctx.input(0);
  if (!x.isValid() || isStorageOnlyType(x.dtype()))
    return ctx.unsupported(std::string("element type ") +
                           std::string(dataTypeName(x.dtype())) +
                           " is not supported by this op");
  return dispatchType(x.dtype(), [&](auto tag) -> Status {
    using T = decltype(tag);
    if constexpr (isFloatLike<T> || (AllowInt && isIntT<T>)) {
      using C = ComputeT<T>;
      Tensor out(x.dtype(), x.shape());
      const T *px = x.data<T>();
      T *po = out.data<T>();
      int64_t n = x.numElements();
      for (int64_t i = 0; i < n; ++i)
        po[i] = T(f((C)px[i]));
      ctx.outputs[0] = out;
      return Status::ok();
    } else {
      return badType(ctx, x.dtype());
    }
  });
}

template <typename C> C sigmoid(C x) {
  // Split on the sign so exp never overflows.
  if (x >= 0) return C(1) / (C(1) + std::exp(-x));
  C e = std::exp(x);
  return e / (C(1) + e);
}

template <typename C> C softplus(C x) {
  // log(1 + exp(x)) without overflow for large x.
  if (x > 0) return x + std::log1p(std::exp(-x));
  return std::log1p(std::exp(x));
}

Status runRelu(KernelContext &ctx) {
  return mapElements<true>(ctx,
                           [](auto x) { return x > 0 ? x : decltype(x)(0); });
}

Status runLeakyRelu(KernelContext &ctx) {
  float alpha = ctx.attrFloat("alpha", 0.01f);
  return mapElements<false>(ctx, [=](auto x) {
    using C = decltype(x);
    return x < 0 ? C(alpha) * x : x;
  });
}

Status runElu(KernelContext &ctx) {
  float alpha = ctx.attrFloat("alpha", 1.0f);
  return mapElements<false>(ctx, [=](auto x) {
    using C = decltype(x);
    return x < 0 ? C(alpha) * (std::exp(x) - C(1)) : x;
  });
}

Status runSelu(KernelContext &ctx) {
  float alpha = ctx.attrFloat("alpha", 1.67326319217681884765625f);
  float gamma = ctx.attrFloat("gamma", 1.05070102214813232421875f);
  return mapElements<false>(ctx, [=](auto x) {
    using C = decltype(x);
    return x > 0 ? C(gamma) * x
                 : C(gamma) * (C(alpha) * std::exp(x) - C(alpha));
  });
}

Status runCelu(KernelContext &ctx) {
  float alpha = ctx.attrFloat("alpha", 1.0f);
  if (alpha == 0) return ctx.error("alpha must be non-zero");
  return mapElements<false>(ctx, [=](auto x) {
    using C = decltype(x);
    C a = C(alpha);
    return std::max(C(0), x) + std::min(C(0), a * (std::exp(x / a) - C(1)));
  });
}

Status runHardSigmoid(KernelContext &ctx) {
  float alpha = ctx.attrFloat("alpha", 0.2f);
  float beta = ctx.attrFloat("beta", 0.5f);
  return mapElements<false>(ctx, [=](auto x) {
    using C = decltype(x);
    return std::max(C(0), std::min(C(1), C(alpha) * x + C(beta)));
  });
}

Status runHardSwish(KernelContext &ctx) {
  return mapElements<false>(ctx, [](auto x) {
    using C = decltype(x);
    return x * std::max(C(0), std::min(C(1), x / C(6) + C(0.5)));
  });
}

/// Gelu (opset 20): exact (erf) or the tanh approximation.
Status runGelu(KernelContext &ctx) {
  std::string approx = ctx.attrString("approximate", "none");
  if (approx == "none")
    return mapElements<false>(ctx, [](auto x) {
      using C = decltype(x);
      return C(0.5) * x * (C(1) + std::erf(x / std::sqrt(C(2))));
    });
  if (approx == "tanh")
    return mapElements<false>(ctx, [](auto x) {
      using C = decltype(x);
      C k = std::sqrt(C(2) / C(M_PI));
      return C(0.5) * x * (C(1) + std::tanh(k * (x + C(0.044715) * x * x * x)));
    });
  return ctx.error("approximate must be 'none' or 'tanh', got '" + approx +
                   "'");
}

Status runMish(KernelContext &ctx) {
  return mapElements<false>(ctx,
                            [](auto x) { return x * std::tanh(softplus(x)); });
}

Status runSoftplus(KernelContext &ctx) {
  return mapElements<false>(ctx, [](auto x) { return softplus(x); });
}

Status runSoftsign(KernelContext &ctx) {
  return mapElements<false>(ctx, [](auto x) {
    using C = decltype(x);
    return x / (C(1) + std::fabs(x));
  });
}

Status runThresholdedRelu(KernelContext &ctx) {
  float alpha = ctx.attrFloat("alpha", 1.0f);
  return mapElements<false>(ctx, [=](auto x) {
    using C = decltype(x);
    return x > C(alpha) ? x : C(0);
  });
}

Status runSigmoid(KernelContext &ctx) {
  return mapElements<false>(ctx, [](auto x) { return sigmoid(x); });
}

Status runTanh(KernelContext &ctx) {
  return mapElements<false>(ctx, [](auto x) { return std::tanh(x); });
}

/// Swish (opset 24): x * sigmoid(alpha * x).
Status runSwish(KernelContext &ctx) {
  float alpha = ctx.attrFloat("alpha", 1.0f);
  return mapElements<false>(ctx, [=](auto x) {
    using C = decltype(x);
    return x * sigmoid(C(alpha) * x);
  });
}

/// Shrink accepts every numeric type; integer inputs are computed in double
/// and converted back (saturating).
Status runShrink(KernelContext &ctx) {
  double bias = ctx.attrFloat("bias", 0.0f);
  double lambd = ctx.attrFloat("lambd", 0.5f);
  return mapElements<true>(ctx, [=](auto x) {
    using C = decltype(x);
    double v = (double)x;
    double r = v < -lambd ? v + bias : (v > lambd ? v - bias : 0.0);
    if constexpr (std::is_integral_v<C>)
      return fromDouble<C>(r);
    else
      return C(r);
  });
}

/// PRelu: slope broadcasts unidirectionally to X's shape.
Status runPRelu(KernelContext &ctx) {
  if (!ctx.hasInput(0) || !ctx.hasInput(1))
    return ctx.error("expects X and slope");
  const Tensor &x = ctx.input(0), &s = ctx.input(1);
  if (x.dtype() != s.dtype()) return ctx.error("X and slope types differ");
  if (!x.isValid() || isStorageOnlyType(x.dtype()))
    return ctx.unsupported("element type not supported by PRelu");
  EDGEC_ASSIGN_OR_RETURN(TensorShape shape,
                         broadcastShapes(ctx, x.shape(), s.shape()));
  if (shape != x.shape())
    return ctx.error("slope " + shapeToString(s.shape()) +
                         " does not broadcast to X " + shapeToString(x.shape()),
                     ErrorCode::InvalidInput);
  return dispatchType(x.dtype(), [&](auto tag) -> Status {
    using T = decltype(tag);
    if constexpr (isFloatLike<T> || isIntT<T>) {
      using C = ComputeT<T>;
      Tensor out(x.dtype(), x.shape());
      const T *px = x.data<T>();
      const T *ps = s.data<T>();
      T *po = out.data<T>();
      forEachBroadcast<2>(x.shape(), {&x.shape(), &s.shape()},
                          [&](int64_t o, const std::array<int64_t, 2> &ix) {
                            C v = (C)px[ix[0]];
                            po[o] = v < 0 ? T(wrapMul(v, (C)ps[ix[1]])) : T(v);
                          });
      ctx.outputs[0] = out;
      return Status::ok();
    } else {
      return badType(ctx, x.dtype());
    }
  });
}

/// Clip: bounds are attributes `min`/`max` before opset 11 and optional
/// scalar inputs from opset 11 on. When min > max every value becomes max
/// (min is applied first, then max), as the spec states. NaN stays NaN.
Status runClip(KernelContext &ctx) {
  if (!ctx.hasInput(0)) return ctx.error("expects an input");
  const Tensor &x = ctx.input(0);
  if (!x.isValid() || isStorageOnlyType(x.dtype()))
    return ctx.unsupported("element type not supported by Clip");
  for (size_t i = 1; i < 3; ++i) {
    if (!ctx.hasInput(i)) continue;
    const Tensor &b = ctx.input(i);
    if (b.dtype() != x.dtype())
      return ctx.error("min/max type differs from the input type");
    if (b.numElements() != 1)
      return ctx.error("min/max must be scalars", ErrorCode::InvalidInput);
  }
  bool legacy = ctx.opset() < 11;
  return dispatchType(x.dtype(), [&](auto tag) -> Status {
    using T = decltype(tag);
    if constexpr (isFloatLike<T> || isIntT<T>) {
      using C = ComputeT<T>;
      C lo = std::numeric_limits<C>::lowest();
      C hi = std::numeric_limits<C>::max();
      if (legacy) {
        if (ctx.hasAttr("min")) lo = fromDouble<C>(ctx.attrFloat("min", 0));
        if (ctx.hasAttr("max")) hi = fromDouble<C>(ctx.attrFloat("max", 0));
      } else {
        if (ctx.hasInput(1)) lo = (C)ctx.input(1).data<T>()[0];
        if (ctx.hasInput(2)) hi = (C)ctx.input(2).data<T>()[0];
      }
      Tensor out(x.dtype(), x.shape());
      const T *px = x.data<T>();
      T *po = out.data<T>();
      for (int64_t i = 0; i < x.numElements(); ++i) {
        C v = (C)px[i];
        if (v < lo) v = lo;
        if (v > hi) v = hi;
        po[i] = T(v);
      }
      ctx.outputs[0] = out;
      return Status::ok();
    } else {
      return badType(ctx, x.dtype());
    }
  });
}

} // namespace

void registerActivationKernels(KernelRegistry &r) {
  r.add("Relu", runRelu);
  r.add("LeakyRelu", runLeakyRelu);
  r.add("PRelu", runPRelu);
  r.add("Elu", runElu);
  r.add("Selu", runSelu);
  r.add("Celu", runCelu);
  r.add("HardSigmoid", runHardSigmoid);
  r.add("HardSwish", runHardSwish);
  r.add("Gelu", runGelu);
  r.add("Mish", runMish);
  r.add("Softplus", runSoftplus);
  r.add("Softsign", runSoftsign);
  r.add("ThresholdedRelu", runThresholdedRelu);
  r.add("Sigmoid", runSigmoid);
  r.add("Tanh", runTanh);
  r.add("Shrink", runShrink);
  r.add("Swish", runSwish);
  r.add("Clip", runClip);
}

} // namespace edgec
