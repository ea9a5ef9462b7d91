// Normalization kernels: BatchNormalization, InstanceNormalization,
// LayerNormalization, GroupNormalization, RMSNormalization, LRN,
// LpNormalization and MeanVarianceNormalization.
//
// All of them compute in double (covering every `stash_type`) and store the
// result in the input's floating-point type. Variances are population
// variances (divide by the element count).
#include "interp/KernelUtil.h"

#include <cmath>

namespace edgec {
namespace {

Status checkFloat(const NodeContext &ctx, const Tensor &t) {
  if (!isFloatType(t.dtype()))
    return ctx.unsupported("element type must be floating point, got " +
                           describe(t));
  return Status::ok();
}

/// A tensor of `dtype` and `shape` holding `v` (converted).
Tensor fromDoubles(DataType dtype, const TensorShape &shape,
                   const std::vector<double> &v) {
  Tensor out(dtype, shape);
  dispatchType(dtype, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
      T *d = out.data<T>();
      for (size_t i = 0; i < v.size(); ++i)
        d[i] = T(float(v[i]));
    } else if constexpr (std::is_floating_point_v<T>) {
      T *d = out.data<T>();
      for (size_t i = 0; i < v.size(); ++i)
        d[i] = T(v[i]);
    } else {
      for (size_t i = 0; i < v.size(); ++i)
        out.setDouble((int64_t)i, v[i]);
    }
  });
  return out;
}

int64_t product(const TensorShape &s, size_t from, size_t to) {
  int64_t p = 1;
  for (size_t i = from; i < to; ++i)
    p *= s[i];
  return p;
}

/// Values of a parameter tensor (scale, bias...) broadcast to `shape`
/// (unidirectionally: the parameter must broadcast to exactly `shape`).
Expected<std::vector<double>> broadcastParam(const NodeContext &ctx,
                                             const Tensor &p,
                                             const TensorShape &shape,
                                             const char *what) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape b, broadcastShapes(ctx, shape, p.shape()));
  if (b != shape)
    return ctx.error(std::string(what) + " shape " + shapeToString(p.shape()) +
                         " does not broadcast to " + shapeToString(shape),
                     ErrorCode::InvalidInput);
  std::vector<double> src = p.toDoubleVector();
  BroadcastIndexer bi(p.shape(), shape);
  int64_t n = product(shape, 0, shape.size());
  std::vector<double> out((size_t)n);
  for (int64_t i = 0; i < n; ++i)
    out[(size_t)i] = src[(size_t)bi.map(i)];
  return out;
}

/// A per-channel parameter: must hold exactly `c` elements.
Expected<std::vector<double>> channelParam(const NodeContext &ctx,
                                           const Tensor &p, int64_t c,
                                           const char *what) {
  if (p.numElements() != c)
    return ctx.error(std::string(what) + " must have " + std::to_string(c) +
                         " elements, got " + describe(p),
                     ErrorCode::InvalidInput);
  return p.toDoubleVector();
}

/// Mean and population variance of n contiguous values.
std::pair<double, double> meanVar(const double *x, int64_t n) {
  double mean = 0;
  for (int64_t i = 0; i < n; ++i)
    mean += x[i];
  mean = n ? mean / double(n) : 0.0;
  double var = 0;
  for (int64_t i = 0; i < n; ++i)
    var += (x[i] - mean) * (x[i] - mean);
  var = n ? var / double(n) : 0.0;
  return {mean, var};
}

Status requireRank(const NodeContext &ctx, const Tensor &x, size_t minRank) {
  if (x.rank() < minRank)
    return ctx.error("input must have rank >= " + std::to_string(minRank) +
                         ", got " + describe(x),
                     ErrorCode::InvalidInput);
  return Status::ok();
}

// ---------------------------------------------------------------------------
// BatchNormalization. X: [N, C, D...]; scale/B/mean/var: [C] (or, for the
// pre-opset-9 spatial=0 form, [C, D...]: one value per channel and position).
// Inference: y = (x - mean) / sqrt(var + eps) * scale + B.
// training_mode=1 (opset 14+) normalizes with the batch statistics and also
// returns running_mean = mean * momentum + batch_mean * (1 - momentum) (same
// for var, using the population batch variance). Before opset 14 a node with
// more than one output is in training mode; its optional outputs 3 and 4
// (saved_mean, saved_var) are the batch mean and variance.

Status runBatchNorm(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  EDGEC_TRY(checkFloat(ctx, x));
  EDGEC_TRY(requireRank(ctx, x, 2));
  int64_t n = x.dim(0), c = x.dim(1);
  int64_t s = product(x.shape(), 2, x.rank());
  double eps = ctx.attrFloat("epsilon", 1e-5f);
  double momentum = ctx.attrFloat("momentum", 0.9f);
  bool training = ctx.opset() >= 14 ? ctx.attrInt("training_mode", 0) != 0
                                    : ctx.numOutputs() > 1;
  // Parameters are per channel (stride 0 over positions) or per position.
  int64_t pstride[5] = {0, 0, 0, 0, 0};
  bool anyPerPosition = false;
  for (size_t i = 1; i < 5; ++i) {
    int64_t pn = ctx.input(i).numElements();
    if (pn == c * s && pn != c)
      pstride[i] = 1, anyPerPosition = true;
    else if (pn != c)
      return ctx.error(
          "parameter " + std::to_string(i) + " " + describe(ctx.input(i)) +
              " does not match the channel count " + std::to_string(c),
          ErrorCode::InvalidInput);
  }
  std::vector<double> xs = x.toDoubleVector();
  std::vector<double> scale = ctx.input(1).toDoubleVector();
  std::vector<double> bias = ctx.input(2).toDoubleVector();
  std::vector<double> mean = ctx.input(3).toDoubleVector();
  std::vector<double> var = ctx.input(4).toDoubleVector();
  std::vector<double> useMean = mean, useVar = var;
  if (training) {
    if (anyPerPosition)
      return ctx.unsupported("training mode with per-position parameters");
    for (int64_t ch = 0; ch < c; ++ch) {
      double sum = 0, cnt = double(n * s);
      for (int64_t b = 0; b < n; ++b)
        for (int64_t k = 0; k < s; ++k)
          sum += xs[(size_t)((b * c + ch) * s + k)];
      double m = cnt ? sum / cnt : 0.0, v = 0;
      for (int64_t b = 0; b < n; ++b)
        for (int64_t k = 0; k < s; ++k) {
          double d = xs[(size_t)((b * c + ch) * s + k)] - m;
          v += d * d;
        }
      useMean[(size_t)ch] = m;
      useVar[(size_t)ch] = cnt ? v / cnt : 0.0;
    }
  }
  std::vector<double> y(xs.size());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t k = 0; k < s; ++k) {
        size_t p[5];
        for (size_t j = 1; j < 5; ++j)
          p[j] = (size_t)(ch * (pstride[j] ? s : 1) + k * pstride[j]);
        size_t i = (size_t)((b * c + ch) * s + k);
        y[i] = (xs[i] - useMean[p[3]]) / std::sqrt(useVar[p[4]] + eps) *
                   scale[p[1]] +
               bias[p[2]];
      }
  ctx.outputs[0] = fromDoubles(x.dtype(), x.shape(), y);
  if (training) {
    std::vector<double> rm(mean.size()), rv(var.size());
    for (size_t i = 0; i < rm.size(); ++i) {
      rm[i] = mean[i] * momentum + useMean[i] * (1 - momentum);
      rv[i] = var[i] * momentum + useVar[i] * (1 - momentum);
    }
    if (ctx.numOutputs() > 1)
      ctx.outputs[1] =
          fromDoubles(ctx.input(3).dtype(), ctx.input(3).shape(), rm);
    if (ctx.numOutputs() > 2)
      ctx.outputs[2] =
          fromDoubles(ctx.input(4).dtype(), ctx.input(4).shape(), rv);
    if (ctx.numOutputs() > 3)
      ctx.outputs[3] =
          fromDoubles(ctx.input(3).dtype(), ctx.input(3).shape(), useMean);
    if (ctx.numOutputs() > 4)
      ctx.outputs[4] =
          fromDoubles(ctx.input(4).dtype(), ctx.input(4).shape(), useVar);
  }
  return Status::ok();
}

// ---------------------------------------------------------------------------
// InstanceNormalization: per (n, c), normalize over the spatial dims, then
// y = xhat * scale[c] + B[c].

Status runInstanceNorm(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  EDGEC_TRY(checkFloat(ctx, x));
  EDGEC_TRY(requireRank(ctx, x, 2));
  int64_t n = x.dim(0), c = x.dim(1);
  int64_t s = product(x.shape(), 2, x.rank());
  double eps = ctx.attrFloat("epsilon", 1e-5f);
  EDGEC_ASSIGN_OR_RETURN(std::vector<double> scale,
                         channelParam(ctx, ctx.input(1), c, "scale"));
  EDGEC_ASSIGN_OR_RETURN(std::vector<double> bias,
                         channelParam(ctx, ctx.input(2), c, "bias"));
  std::vector<double> xs = x.toDoubleVector(), y(xs.size());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch) {
      size_t base = (size_t)((b * c + ch) * s);
      auto [m, v] = meanVar(&xs[base], s);
      double inv = 1.0 / std::sqrt(v + eps);
      for (int64_t k = 0; k < s; ++k)
        y[base + (size_t)k] =
            (xs[base + (size_t)k] - m) * inv * scale[(size_t)ch] +
            bias[(size_t)ch];
    }
  ctx.outputs[0] = fromDoubles(x.dtype(), x.shape(), y);
  return Status::ok();
}

// ---------------------------------------------------------------------------
// LayerNormalization / RMSNormalization: normalize over dims [axis, rank).
// Layer: y = (x - mean) / sqrt(var + eps) * Scale + B, with optional outputs
// Mean and InvStdDev of shape X.shape[:axis] + [1] * (rank - axis).
// RMS: y = x / sqrt(mean(x^2) + eps) * scale.
// Scale and B broadcast (unidirectionally) to X.

Status runLayerOrRmsNorm(KernelContext &ctx, bool rms) {
  const Tensor &x = ctx.input(0);
  EDGEC_TRY(checkFloat(ctx, x));
  int64_t r = (int64_t)x.rank();
  if (r == 0)
    return ctx.error("input must have rank >= 1", ErrorCode::InvalidInput);
  EDGEC_ASSIGN_OR_RETURN(int64_t axis,
                         normalizeAxis(ctx, ctx.attrInt("axis", -1), r));
  double eps = ctx.attrFloat("epsilon", 1e-5f);
  int64_t outer = product(x.shape(), 0, (size_t)axis);
  int64_t inner = product(x.shape(), (size_t)axis, (size_t)r);
  EDGEC_ASSIGN_OR_RETURN(std::vector<double> scale,
                         broadcastParam(ctx, ctx.input(1), x.shape(), "scale"));
  std::vector<double> bias;
  if (!rms && ctx.hasInput(2)) {
    EDGEC_ASSIGN_OR_RETURN(
        bias, broadcastParam(ctx, ctx.input(2), x.shape(), "bias"));
  }
  std::vector<double> xs = x.toDoubleVector(), y(xs.size());
  std::vector<double> means((size_t)outer), invs((size_t)outer);
  for (int64_t o = 0; o < outer; ++o) {
    size_t base = (size_t)(o * inner);
    double m = 0, inv;
    if (rms) {
      double sq = 0;
      for (int64_t k = 0; k < inner; ++k)
        sq += xs[base + (size_t)k] * xs[base + (size_t)k];
      inv = 1.0 / std::sqrt((inner ? sq / double(inner) : 0.0) + eps);
    } else {
      auto [mm, v] = meanVar(&xs[base], inner);
      m = mm;
      inv = 1.0 / std::sqrt(v + eps);
    }
    means[(size_t)o] = m;
    invs[(size_t)o] = inv;
    for (int64_t k = 0; k < inner; ++k) {
      size_t i = base + (size_t)k;
      y[i] = (xs[i] - m) * inv * scale[i] + (bias.empty() ? 0.0 : bias[i]);
    }
  }
  ctx.outputs[0] = fromDoubles(x.dtype(), x.shape(), y);
  if (!rms) {
    TensorShape statShape = x.shape();
    for (int64_t i = axis; i < r; ++i)
      statShape[(size_t)i] = 1;
    // Mean/InvStdDev use the stash type (float by default).
    DataType st =
        ctx.attrInt("stash_type", 1) == 1 ? DataType::Float32 : x.dtype();
    if (ctx.numOutputs() > 1)
      ctx.outputs[1] = fromDoubles(st, statShape, means);
    if (ctx.numOutputs() > 2) ctx.outputs[2] = fromDoubles(st, statShape, invs);
  }
  return Status::ok();
}

// ---------------------------------------------------------------------------
// GroupNormalization: channels split into num_groups groups; normalize over
// each (n, group) block. Opset 18 has per-group scale/bias ([num_groups]);
// opset 21 changed them to per-channel ([C]).

Status runGroupNorm(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  EDGEC_TRY(checkFloat(ctx, x));
  EDGEC_TRY(requireRank(ctx, x, 2));
  int64_t n = x.dim(0), c = x.dim(1);
  int64_t s = product(x.shape(), 2, x.rank());
  if (!ctx.hasAttr("num_groups"))
    return ctx.error("missing attribute num_groups");
  int64_t g = ctx.attrInt("num_groups", 1);
  if (g <= 0 || c % g != 0)
    return ctx.error("num_groups " + std::to_string(g) +
                         " does not divide the channel count " +
                         std::to_string(c),
                     ErrorCode::InvalidInput);
  double eps = ctx.attrFloat("epsilon", 1e-5f);
  bool perGroup = ctx.opset() < 21;
  int64_t pn = perGroup ? g : c;
  EDGEC_ASSIGN_OR_RETURN(std::vector<double> scale,
                         channelParam(ctx, ctx.input(1), pn, "scale"));
  EDGEC_ASSIGN_OR_RETURN(std::vector<double> bias,
                         channelParam(ctx, ctx.input(2), pn, "bias"));
  int64_t cpg = c / g, block = cpg * s;
  std::vector<double> xs = x.toDoubleVector(), y(xs.size());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t gi = 0; gi < g; ++gi) {
      size_t base = (size_t)((b * g + gi) * block);
      auto [m, v] = meanVar(&xs[base], block);
      double inv = 1.0 / std::sqrt(v + eps);
      for (int64_t k = 0; k < block; ++k) {
        size_t p = (size_t)(perGroup ? gi : gi * cpg + k / s);
        size_t i = base + (size_t)k;
        y[i] = (xs[i] - m) * inv * scale[p] + bias[p];
      }
    }
  ctx.outputs[0] = fromDoubles(x.dtype(), x.shape(), y);
  return Status::ok();
}

// ---------------------------------------------------------------------------
// LRN over channels: y = x / (bias + alpha / size * sum(x^2 over the window
// [c - floor((size-1)/2), c + ceil((size-1)/2)] clipped to [0, C)))^beta.

Status runLrn(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  EDGEC_TRY(checkFloat(ctx, x));
  EDGEC_TRY(requireRank(ctx, x, 2));
  int64_t size = ctx.attrInt("size", 0);
  if (size <= 0) return ctx.error("size must be positive");
  double alpha = ctx.attrFloat("alpha", 1e-4f);
  double beta = ctx.attrFloat("beta", 0.75f);
  double bias = ctx.attrFloat("bias", 1.0f);
  int64_t n = x.dim(0), c = x.dim(1);
  int64_t s = product(x.shape(), 2, x.rank());
  int64_t lo = (size - 1) / 2, hi = size - 1 - lo;
  std::vector<double> xs = x.toDoubleVector(), y(xs.size());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch) {
      int64_t from = std::max<int64_t>(0, ch - lo);
      int64_t to = std::min<int64_t>(c - 1, ch + hi);
      for (int64_t k = 0; k < s; ++k) {
        double sq = 0;
        for (int64_t j = from; j <= to; ++j) {
          double v = xs[(size_t)((b * c + j) * s + k)];
          sq += v * v;
        }
        size_t i = (size_t)((b * c + ch) * s + k);
        y[i] = xs[i] / std::pow(bias + alpha / double(size) * sq, beta);
      }
    }
  ctx.outputs[0] = fromDoubles(x.dtype(), x.shape(), y);
  return Status::ok();
}

// ---------------------------------------------------------------------------
// LpNormalization: y = x / ||x||_p along `axis` (p is 1 or 2). A zero norm
// (all-zero x) gives 0, like the reference.

Status runLpNorm(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  EDGEC_TRY(checkFloat(ctx, x));
  int64_t r = (int64_t)x.rank();
  if (r == 0)
    return ctx.error("input must have rank >= 1", ErrorCode::InvalidInput);
  EDGEC_ASSIGN_OR_RETURN(int64_t axis,
                         normalizeAxis(ctx, ctx.attrInt("axis", -1), r));
  int64_t p = ctx.attrInt("p", 2);
  if (p != 1 && p != 2)
    return ctx.error("p must be 1 or 2, got " + std::to_string(p));
  int64_t outer = product(x.shape(), 0, (size_t)axis);
  int64_t n = x.dim((size_t)axis);
  int64_t inner = product(x.shape(), (size_t)axis + 1, (size_t)r);
  std::vector<double> xs = x.toDoubleVector(), y(xs.size());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t k = 0; k < inner; ++k) {
      size_t base = (size_t)(o * n * inner + k);
      double norm = 0;
      for (int64_t j = 0; j < n; ++j) {
        double v = xs[base + (size_t)(j * inner)];
        norm += p == 1 ? std::fabs(v) : v * v;
      }
      if (p == 2) norm = std::sqrt(norm);
      for (int64_t j = 0; j < n; ++j) {
        size_t i = base + (size_t)(j * inner);
        y[i] = norm == 0 ? 0.0 : xs[i] / norm;
      }
    }
  ctx.outputs[0] = fromDoubles(x.dtype(), x.shape(), y);
  return Status::ok();
}

// ---------------------------------------------------------------------------
// MeanVarianceNormalization over `axes` (default [0, 2, 3]), as in its ONNX
// function body: y = (x - E[x]) / (sqrt(E[x^2] - E[x]^2) + 1e-9).

Status runMvn(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  EDGEC_TRY(checkFloat(ctx, x));
  size_t r = x.rank();
  std::vector<int64_t> axes = ctx.attrInts("axes", {0, 2, 3});
  std::vector<bool> red(r, false);
  for (int64_t a : axes) {
    EDGEC_ASSIGN_OR_RETURN(int64_t na, normalizeAxis(ctx, a, (int64_t)r));
    if (red[(size_t)na])
      return ctx.error("axis " + std::to_string(a) + " is repeated");
    red[(size_t)na] = true;
  }
  // Map each element to its group (flat index over the non-reduced dims).
  const TensorShape &sh = x.shape();
  std::vector<int64_t> gstride(r, 0);
  int64_t groups = 1, count = 1;
  for (size_t i = r; i-- > 0;) {
    if (red[i]) {
      count *= sh[i];
    } else {
      gstride[i] = groups;
      groups *= sh[i];
    }
  }
  std::vector<double> xs = x.toDoubleVector(), y(xs.size());
  std::vector<int64_t> group(xs.size());
  std::vector<int64_t> idx(r, 0);
  int64_t gcur = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    group[i] = gcur;
    for (size_t d = r; d-- > 0;) {
      if (++idx[d] < sh[d]) {
        gcur += gstride[d];
        break;
      }
      gcur -= gstride[d] * (sh[d] - 1);
      idx[d] = 0;
    }
  }
  std::vector<double> sum((size_t)groups, 0.0), sq((size_t)groups, 0.0);
  for (size_t i = 0; i < xs.size(); ++i) {
    sum[(size_t)group[i]] += xs[i];
    sq[(size_t)group[i]] += xs[i] * xs[i];
  }
  for (size_t i = 0; i < xs.size(); ++i) {
    size_t gi = (size_t)group[i];
    double m = sum[gi] / double(count);
    double var = sq[gi] / double(count) - m * m;
    y[i] = (xs[i] - m) / (std::sqrt(std::max(var, 0.0)) + 1e-9);
  }
  ctx.outputs[0] = fromDoubles(x.dtype(), x.shape(), y);
  return Status::ok();
}

} // namespace

void registerNormalizationKernels(KernelRegistry &r) {
  addOp(r, "BatchNormalization", 5, runBatchNorm);
  addOp(r, "InstanceNormalization", 3, runInstanceNorm);
  addOp(r, "LayerNormalization", 2,
        [](KernelContext &ctx) { return runLayerOrRmsNorm(ctx, false); });
  addOp(r, "RMSNormalization", 2,
        [](KernelContext &ctx) { return runLayerOrRmsNorm(ctx, true); });
  addOp(r, "GroupNormalization", 3, runGroupNorm);
  addOp(r, "LRN", 1, runLrn);
  addOp(r, "LpNormalization", 1, runLpNorm);
  addOp(r, "MeanVarianceNormalization", 1, runMvn);
}

} // namespace edgec
