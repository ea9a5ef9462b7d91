// Softmax family: Softmax, LogSoftmax, Hardmax, and the losses built on them,
// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss.
//
// Before opset 13, Softmax/LogSoftmax/Hardmax coerce the input to 2-D at
// `axis` (default 1): the op runs over the flattened dims [axis, rank). From
// opset 13 it runs over the single dim `axis` (default -1). Both are handled
// as an [outer, n, inner] view. Softmax subtracts the max for stability and
// computes in double.
#include "interp/KernelUtil.h"
#include "shape/ops/Softmax.h"

#include <cmath>
#include <limits>

namespace edgec {
namespace {

enum class SoftKind { Softmax, LogSoftmax, Hardmax };

/// [outer, n, inner] view of a softmax-like op's input.
struct AxisView {
  int64_t outer = 1, n = 1, inner = 1;
};

Expected<AxisView> softmaxView(const NodeContext &ctx,
                               const TensorShape &shape) {
  int64_t r = (int64_t)shape.size();
  bool legacy = ctx.opset() < 13;
  int64_t axisAttr = ctx.attrInt("axis", legacy ? 1 : -1);
  AxisView v;
  if (r == 0) {
    // A scalar is a single element (softmax of it is 1).
    if (axisAttr != 0 && axisAttr != -1 && !(legacy && axisAttr == 1))
      return ctx.error("axis " + std::to_string(axisAttr) +
                       " is out of range for rank 0");
    return v;
  }
  int64_t axis;
  if (legacy) {
    // axis == rank is allowed by the 2-D coercion (n = 1).
    if (axisAttr < -r || axisAttr > r)
      return ctx.error("axis " + std::to_string(axisAttr) +
                       " is out of range for rank " + std::to_string(r));
    axis = axisAttr < 0 ? axisAttr + r : axisAttr;
  } else {
    EDGEC_ASSIGN_OR_RETURN(axis, normalizeAxis(ctx, axisAttr, r));
  }
  v.outer = 1;
  for (int64_t i = 0; i < axis; ++i)
    v.outer *= shape[(size_t)i];
  v.n = 1;
  v.inner = 1;
  for (int64_t i = axis; i < r; ++i) {
    if (legacy || i == axis)
      v.n *= shape[(size_t)i];
    else
      v.inner *= shape[(size_t)i];
  }
  return v;
}

/// Applies the op to one row of n strided values (double in/out).
void softRow(SoftKind kind, std::vector<double> &row) {
  size_t n = row.size();
  if (n == 0) return;
  double mx = -std::numeric_limits<double>::infinity();
  size_t argmx = 0;
  for (size_t j = 0; j < n; ++j) {
    if (row[j] > mx || (std::isnan(row[j]) && !std::isnan(mx))) {
      mx = row[j];
      argmx = j;
    }
  }
  if (kind == SoftKind::Hardmax) {
    for (size_t j = 0; j < n; ++j)
      row[j] = j == argmx ? 1.0 : 0.0;
    return;
  }
  // An all -inf row gives NaN (exp(-inf - -inf)), like the reference.
  double sum = 0;
  for (size_t j = 0; j < n; ++j)
    sum += std::exp(row[j] - mx);
  if (kind == SoftKind::Softmax) {
    for (size_t j = 0; j < n; ++j)
      row[j] = std::exp(row[j] - mx) / sum;
  } else {
    double lse = std::log(sum);
    for (size_t j = 0; j < n; ++j)
      row[j] = row[j] - mx - lse;
  }
}

/// Runs the op over `x` viewed as v; result has x's shape and dtype.
template <typename T>
void softTyped(SoftKind kind, const Tensor &x, const AxisView &v, Tensor &out) {
  const T *xd = x.data<T>();
  T *od = out.data<T>();
  std::vector<double> row((size_t)v.n);
  for (int64_t o = 0; o < v.outer; ++o) {
    for (int64_t k = 0; k < v.inner; ++k) {
      int64_t base = o * v.n * v.inner + k;
      for (int64_t j = 0; j < v.n; ++j)
        row[(size_t)j] = double(xd[base + j * v.inner]);
      softRow(kind, row);
      for (int64_t j = 0; j < v.n; ++j)
        od[base + j * v.inner] = T(float(row[(size_t)j]));
    }
  }
}

template <>
void softTyped<double>(SoftKind kind, const Tensor &x, const AxisView &v,
                       Tensor &out) {
  const double *xd = x.data<double>();
  double *od = out.data<double>();
  std::vector<double> row((size_t)v.n);
  for (int64_t o = 0; o < v.outer; ++o) {
    for (int64_t k = 0; k < v.inner; ++k) {
      int64_t base = o * v.n * v.inner + k;
      for (int64_t j = 0; j < v.n; ++j)
        row[(size_t)j] = xd[base + j * v.inner];
      softRow(kind, row);
      for (int64_t j = 0; j < v.n; ++j)
        od[base + j * v.inner] = row[(size_t)j];
    }
  }
}

/// Dispatches over the floating-point types only.
template <typename F>
Status dispatchFloat(const NodeContext &ctx, DataType t, F &&f) {
  switch (t) {
  case DataType::Float32: f(float{}); return Status::ok();
  case DataType::Float64: f(double{}); return Status::ok();
  case DataType::Float16: f(Half{}); return Status::ok();
  case DataType::BFloat16: f(BFloat16{}); return Status::ok();
  default: return ctx.unsupported("element type must be floating point");
  }
}

Expected<Tensor> softmaxLike(const NodeContext &ctx, SoftKind kind,
                             const Tensor &x) {
  EDGEC_ASSIGN_OR_RETURN(AxisView v, softmaxView(ctx, x.shape()));
  Tensor out(x.dtype(), x.shape());
  EDGEC_TRY(dispatchFloat(ctx, x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    softTyped<T>(kind, x, v, out);
  }));
  return out;
}

// ---------------------------------------------------------------------------
// NegativeLogLikelihoodLoss / SoftmaxCrossEntropyLoss.
//
// input/scores: [N, C, d1..dk]; target/labels: [N, d1..dk] (int32/int64);
// optional weight: [C]. Per element, loss = -input[n, t, d] * weight[t], or 0
// (with weight 0) where t == ignore_index. `reduction`: "none" keeps the
// [N, d1..dk] losses, "sum" sums them, "mean" divides the sum by the sum of
// the applied weights (the count of non-ignored elements without weights).
// SoftmaxCrossEntropyLoss applies LogSoftmax over dim 1 first and can also
// return those log-probabilities.

template <typename T>
Expected<Tensor> nllTyped(const NodeContext &ctx, const Tensor &logp,
                          const Tensor &target, const Tensor *weight,
                          const std::string &reduction,
                          std::optional<int64_t> ignore) {
  int64_t n = logp.dim(0), c = logp.dim(1);
  int64_t inner = 1;
  for (size_t i = 2; i < logp.rank(); ++i)
    inner *= logp.dim(i);
  const T *ld = logp.data<T>();
  std::vector<int64_t> t = target.toInt64Vector();
  std::vector<double> loss((size_t)(n * inner));
  double wsum = 0;
  for (int64_t b = 0; b < n; ++b) {
    for (int64_t k = 0; k < inner; ++k) {
      size_t li = (size_t)(b * inner + k);
      int64_t cls = t[li];
      if (ignore && cls == *ignore) {
        loss[li] = 0;
        continue;
      }
      if (cls < 0 || cls >= c)
        return ctx.error("target " + std::to_string(cls) +
                             " is out of range for " + std::to_string(c) +
                             " classes",
                         ErrorCode::InvalidInput);
      double w = weight ? weight->getDouble(cls) : 1.0;
      loss[li] = -double(ld[(b * c + cls) * inner + k]) * w;
      wsum += w;
    }
  }
  if (reduction == "none") {
    TensorShape s = target.shape();
    Tensor out(logp.dtype(), s);
    T *od = out.data<T>();
    for (size_t i = 0; i < loss.size(); ++i)
      od[i] = T(loss[i]);
    return out;
  }
  double sum = 0;
  for (double l : loss)
    sum += l;
  if (reduction == "mean")
    sum = sum / wsum; // all ignored: 0/0 = NaN, like the reference
  Tensor out(logp.dtype(), {});
  out.data<T>()[0] = T(sum);
  return out;
}

Status checkLossShapes(const NodeContext &ctx, const Tensor &x,
                       const Tensor &target, const Tensor *weight) {
  if (x.rank() < 2)
    return ctx.error("input must have rank >= 2", ErrorCode::InvalidInput);
  if (target.rank() != x.rank() - 1 || target.dim(0) != x.dim(0))
    return ctx.error("target shape " + shapeToString(target.shape()) +
                         " does not match input " + shapeToString(x.shape()),
                     ErrorCode::InvalidInput);
  for (size_t i = 2; i < x.rank(); ++i)
    if (target.dim(i - 1) != x.dim(i))
      return ctx.error("target shape " + shapeToString(target.shape()) +
                           " does not match input " + shapeToString(x.shape()),
                       ErrorCode::InvalidInput);
  if (target.dtype() != DataType::Int32 && target.dtype() != DataType::Int64)
    return ctx.error("target must be int32 or int64");
  if (weight && (weight->rank() != 1 || weight->dim(0) != x.dim(1)))
    return ctx.error("weight must have shape [C]", ErrorCode::InvalidInput);
  return Status::ok();
}

Status runLoss(KernelContext &ctx, bool withSoftmax) {
  const Tensor &x = ctx.input(0);
  const Tensor &target = ctx.input(1);
  const Tensor *weight = ctx.hasInput(2) ? &ctx.input(2) : nullptr;
  EDGEC_TRY(checkLossShapes(ctx, x, target, weight));
  EDGEC_ASSIGN_OR_RETURN(std::string red, lossReduction(ctx));
  std::optional<int64_t> ignore;
  if (ctx.hasAttr("ignore_index")) ignore = ctx.attrInt("ignore_index", 0);
  Tensor logp = x;
  if (withSoftmax) {
    AxisView v;
    v.outer = x.dim(0);
    v.n = x.dim(1);
    for (size_t i = 2; i < x.rank(); ++i)
      v.inner *= x.dim(i);
    logp = Tensor(x.dtype(), x.shape());
    EDGEC_TRY(dispatchFloat(ctx, x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      softTyped<T>(SoftKind::LogSoftmax, x, v, logp);
    }));
  }
  Status st = Status::ok();
  EDGEC_TRY(dispatchFloat(ctx, x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    auto r = nllTyped<T>(ctx, logp, target, weight, red, ignore);
    if (r)
      ctx.outputs[0] = r.take();
    else
      st = r.error();
  }));
  EDGEC_TRY(st);
  if (withSoftmax && ctx.numOutputs() > 1) ctx.outputs[1] = logp;
  return Status::ok();
}

} // namespace

void registerSoftmaxKernels(KernelRegistry &r) {
  const std::pair<const char *, SoftKind> ops[] = {
      {"Softmax", SoftKind::Softmax},
      {"LogSoftmax", SoftKind::LogSoftmax},
      {"Hardmax", SoftKind::Hardmax},
  };
  for (const auto &[name, kind] : ops) {
    SoftKind k = kind;
    addOp(r, name, 1, [k](KernelContext &ctx) -> Status {
      EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], softmaxLike(ctx, k, ctx.input(0)));
      return Status::ok();
    });
  }
  addOp(r, "NegativeLogLikelihoodLoss", 2,
        [](KernelContext &ctx) { return runLoss(ctx, false); });
  addOp(r, "SoftmaxCrossEntropyLoss", 2,
        [](KernelContext &ctx) { return runLoss(ctx, true); });
}

} // namespace edgec
