// Resize (opsets 10..19+) and Upsample (opsets 7, 9).
//
// Semantics follow the ONNX specification and its reference implementation:
// every resized axis is handled independently (the interpolation is
// separable), so the kernel builds, per axis, a table mapping each output
// index to a few (input index, weight) pairs and applies the tables one axis
// at a time in double precision.
//
// Details that matter for conformance (all taken from the ONNX reference):
//  - With `scales`, output_size = floor(input_size * scale) and the
//    coordinate transforms use the fractional "length_resized"
//    (input_size * scale), e.g. in align_corners and tf_crop_and_resize.
//  - With `sizes`, scale = size / input_size; keep_aspect_ratio_policy
//    not_larger / not_smaller use one common scale for all axes and
//    output_size = round_half_up(scale * input_size).
//  - A source coordinate x is split into x0 = floor(x) and a ratio in (0, 1]
//    (an integral x uses x0 = x - 1, ratio 1). Interpolation taps are the
//    positions x0 + iStart .. x0 + iStart + n - 1, replicated at the edges
//    (exclude_outside instead drops the taps outside and renormalises).
//  - Antialias (linear/cubic, opset 18) stretches the filter by 1 / scale
//    when downsampling.
//  - Opset 10 Resize and Upsample use the asymmetric transform; their
//    nearest mode rounds down when upsampling and up when downsampling.
#include "interp/KernelUtil.h"
#include "shape/ops/Resize.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace edgec {
namespace {

enum class Mode { Nearest, Linear, Cubic };

struct ResizeParams {
  Mode mode = Mode::Nearest;
  std::string ctm = "half_pixel"; ///< coordinate_transformation_mode
  std::string nearestMode = "round_prefer_floor";
  bool legacyNearest = false; ///< Upsample / Resize-10 nearest rounding
  double cubicA = -0.75;
  bool excludeOutside = false;
  double extrapolation = 0;
  bool antialias = false;
};

/// Per-axis interpolation table.
struct AxisMap {
  std::vector<int64_t> begin; ///< taps of output o: [begin[o], begin[o+1])
  std::vector<int64_t> idx;
  std::vector<double> w;
  std::vector<char> extrapolate; ///< tf_crop_and_resize outside the roi
  bool identity = true;
};

double cubicKernel(double x, double a) {
  x = std::fabs(x);
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

/// Maps output coordinate x to the input coordinate; returns false when the
/// point lies outside the crop (tf_crop_and_resize only).
bool sourceCoordinate(const ResizeParams &p, double x, double scale,
                      int64_t inLen, int64_t outLen, double roiStart,
                      double roiEnd, double &xOri) {
  double outWidth = scale * (double)inLen; // fractional length_resized
  const std::string &m = p.ctm;
  if (m == "align_corners") {
    xOri = outWidth == 1 ? 0.0 : x * double(inLen - 1) / (outWidth - 1);
  } else if (m == "asymmetric") {
    xOri = x / scale;
  } else if (m == "tf_crop_and_resize") {
    if (outWidth == 1)
      xOri = (roiEnd - roiStart) * double(inLen - 1) / 2;
    else
      xOri = x * (roiEnd - roiStart) * double(inLen - 1) / (outWidth - 1);
    xOri += roiStart * double(inLen - 1);
    if (!(xOri >= 0 && xOri <= double(inLen - 1))) return false;
  } else if (m == "pytorch_half_pixel") {
    xOri = outWidth == 1 ? -0.5 : (x + 0.5) / scale - 0.5;
  } else if (m == "half_pixel_symmetric") {
    double adjustment = (double)outLen / outWidth;
    double center = (double)inLen / 2;
    double offset = center * (1 - adjustment);
    xOri = offset + (x + 0.5) / scale - 0.5;
  } else if (m == "tf_half_pixel_for_nn") {
    xOri = (x + 0.5) / scale;
  } else { // half_pixel (validated by the caller)
    xOri = (x + 0.5) / scale - 0.5;
  }
  return true;
}

Expected<AxisMap> buildAxisMap(const NodeContext &ctx, const ResizeParams &p,
                               int64_t inLen, int64_t outLen, double scale,
                               double roiStart, double roiEnd) {
  AxisMap m;
  m.begin.reserve(outLen + 1);
  m.begin.push_back(0);
  m.extrapolate.assign(outLen, 0);
  if (inLen != outLen) m.identity = false;
  std::vector<double> coeffs;
  for (int64_t o = 0; o < outLen; ++o) {
    double xOri = 0;
    if (!sourceCoordinate(p, (double)o, scale, inLen, outLen, roiStart,
                          roiEnd, xOri)) {
      m.extrapolate[o] = 1;
      m.identity = false;
      m.begin.push_back((int64_t)m.idx.size());
      continue;
    }
    if (!std::isfinite(xOri) || std::fabs(xOri) > 1e15)
      return ctx.error("resize source coordinate is not finite");
    double fl = std::floor(xOri);
    double ratio = xOri - fl;
    int64_t x0 = (int64_t)fl;
    if (p.mode == Mode::Nearest) {
      int64_t i = x0;
      if (p.legacyNearest) {
        i = scale < 1 ? (int64_t)std::ceil(xOri) : x0;
      } else if (ratio != 0) {
        const std::string &nm = p.nearestMode;
        bool up = nm == "round_prefer_ceil" ? ratio >= 0.5
                  : nm == "floor"           ? false
                  : nm == "ceil"            ? true
                                            : ratio > 0.5;
        i = up ? x0 + 1 : x0;
      }
      i = std::clamp<int64_t>(i, 0, inLen - 1);
      if (i != o) m.identity = false;
      m.idx.push_back(i);
      m.w.push_back(1.0);
      m.begin.push_back((int64_t)m.idx.size());
      continue;
    }
    // Linear / cubic: ratio in (0, 1].
    if (ratio == 0) {
      ratio = 1;
      x0 -= 1;
    }
    int64_t iStart = 0;
    coeffs.clear();
    double s = std::min(scale, 1.0);
    if (p.mode == Mode::Linear && !p.antialias) {
      coeffs = {1 - ratio, ratio};
    } else if (p.mode == Mode::Cubic && !p.antialias) {
      iStart = -1;
      for (int k = -1; k <= 2; ++k)
        coeffs.push_back(cubicKernel(k - ratio, p.cubicA));
    } else {
      double support = p.mode == Mode::Linear ? 1.0 : 2.0;
      double st = std::floor(-support / s) + 1;
      if (!(st > -double(int64_t(1) << 20)))
        return ctx.error("antialias filter is too wide");
      iStart = (int64_t)st;
      int64_t n = 2 - 2 * iStart;
      double sum = 0;
      for (int64_t k = 0; k < n; ++k) {
        double arg = s * double(iStart + k - ratio);
        double c = p.mode == Mode::Linear
                       ? std::clamp(1 - std::fabs(arg), 0.0, 1.0)
                       : cubicKernel(arg, p.cubicA);
        coeffs.push_back(c);
        sum += c;
      }
      if (sum != 0)
        for (double &c : coeffs) c /= sum;
    }
    int64_t n = (int64_t)coeffs.size();
    // The reference pads by ceil(n/2) edge values and takes the n nearest
    // padded positions, so a window reaching beyond the padding is shifted
    // back inside (coefficients keep their order).
    int64_t pad = (n + 1) / 2;
    int64_t lo = x0 + iStart;
    lo = std::max(lo, -pad);
    lo = std::min(lo, inLen + pad - n);
    if (p.excludeOutside) {
      double sum = 0;
      for (int64_t k = 0; k < n; ++k) {
        int64_t pos = lo + k;
        if (pos < 0 || pos >= inLen) coeffs[k] = 0;
        sum += coeffs[k];
      }
      if (sum != 0)
        for (double &c : coeffs) c /= sum;
    }
    for (int64_t k = 0; k < n; ++k) {
      if (coeffs[k] == 0) continue;
      m.idx.push_back(std::clamp<int64_t>(lo + k, 0, inLen - 1));
      m.w.push_back(coeffs[k]);
    }
    int64_t b = m.begin.back();
    if ((int64_t)m.idx.size() != b + 1 || m.idx[b] != o || m.w[b] != 1.0)
      m.identity = false;
    m.begin.push_back((int64_t)m.idx.size());
  }
  return m;
}

/// Applies one axis table: data of shape (outer, inLen, inner) becomes
/// (outer, outLen, inner).
std::vector<double> applyAxis(const std::vector<double> &in, int64_t outer,
                              int64_t inLen, int64_t inner, const AxisMap &m,
                              double extrapolation) {
  int64_t outLen = (int64_t)m.extrapolate.size();
  std::vector<double> out((size_t)(outer * outLen * inner), 0.0);
  for (int64_t b = 0; b < outer; ++b) {
    const double *src = in.data() + b * inLen * inner;
    double *dst = out.data() + b * outLen * inner;
    for (int64_t o = 0; o < outLen; ++o) {
      double *d = dst + o * inner;
      if (m.extrapolate[o]) {
        std::fill(d, d + inner, extrapolation);
        continue;
      }
      for (int64_t t = m.begin[o]; t < m.begin[o + 1]; ++t) {
        const double *s = src + m.idx[t] * inner;
        double w = m.w[t];
        for (int64_t j = 0; j < inner; ++j) d[j] += w * s[j];
      }
    }
  }
  return out;
}

/// Stores v into element i of t: integers are rounded and saturated (no UB
/// on out-of-range values), floats converted directly.
template <typename T> void storeValue(T *dst, int64_t i, double v) {
  if constexpr (std::is_integral_v<T>) {
    if (std::isnan(v)) v = 0;
    v = std::nearbyint(v);
    double lo = (double)std::numeric_limits<T>::lowest();
    double hi = (double)std::numeric_limits<T>::max();
    if (v <= lo) dst[i] = std::numeric_limits<T>::lowest();
    else if (v >= hi) dst[i] = std::numeric_limits<T>::max();
    else dst[i] = (T)v;
  } else if constexpr (std::is_same_v<T, double>) {
    dst[i] = v;
  } else {
    dst[i] = T((float)v);
  }
}

/// Core resize given per-axis output sizes and scales (full rank).
Status resizeTensor(KernelContext &ctx, const ResizeParams &p,
                    const Tensor &x, const std::vector<int64_t> &outShape,
                    const std::vector<double> &scales,
                    const std::vector<double> &roi) {
  size_t r = x.rank();
  if (x.dtype() == DataType::Bool || isStorageOnlyType(x.dtype()))
    return ctx.unsupported("resize of " +
                           std::string(dataTypeName(x.dtype())) + " tensors");
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(x.dtype(), outShape));
  if (out.numElements() == 0) {
    ctx.outputs[0] = out;
    return Status::ok();
  }
  for (size_t a = 0; a < r; ++a)
    if (x.dim(a) == 0)
      return ctx.error("cannot resize an empty axis to a non-empty one");

  // Downsampled axes first keeps the intermediate buffers small.
  std::vector<size_t> order(r);
  for (size_t a = 0; a < r; ++a) order[a] = a;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return double(outShape[a]) / double(x.dim(a)) <
           double(outShape[b]) / double(x.dim(b));
  });

  std::vector<double> cur = x.toDoubleVector();
  TensorShape curShape = x.shape();
  for (size_t a : order) {
    double roiStart = roi.empty() ? 0.0 : roi[a];
    double roiEnd = roi.empty() ? 1.0 : roi[r + a];
    EDGEC_ASSIGN_OR_RETURN(AxisMap m,
                           buildAxisMap(ctx, p, x.dim(a), outShape[a],
                                        scales[a], roiStart, roiEnd));
    if (m.identity) continue;
    int64_t outer = 1, inner = 1;
    for (size_t i = 0; i < a; ++i) outer *= curShape[i];
    for (size_t i = a + 1; i < r; ++i) inner *= curShape[i];
    cur = applyAxis(cur, outer, curShape[a], inner, m, p.extrapolation);
    curShape[a] = outShape[a];
  }
  dispatchType(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T *d = out.data<T>();
    for (int64_t i = 0; i < out.numElements(); ++i) storeValue(d, i, cur[i]);
  });
  ctx.outputs[0] = out;
  return Status::ok();
}

Expected<Mode> parseMode(const NodeContext &ctx, const std::string &s) {
  if (s == "nearest") return Mode::Nearest;
  if (s == "linear" || s == "bilinear" || s == "trilinear")
    return Mode::Linear;
  if (s == "cubic" || s == "bicubic") return Mode::Cubic;
  return ctx.error("unknown mode '" + s + "'");
}

Expected<ResizeParams> resizeParams(const NodeContext &ctx) {
  ResizeParams p;
  EDGEC_ASSIGN_OR_RETURN(p.mode,
                         parseMode(ctx, ctx.attrString("mode", "nearest")));
  if (ctx.opset() < 11) {
    p.ctm = "asymmetric";
    p.legacyNearest = true;
    if (p.mode == Mode::Cubic)
      return ctx.error("cubic mode requires opset 11");
    return p;
  }
  p.ctm = ctx.attrString("coordinate_transformation_mode", "half_pixel");
  static const char *kCtms[] = {"half_pixel",         "half_pixel_symmetric",
                                "pytorch_half_pixel", "align_corners",
                                "asymmetric",         "tf_crop_and_resize",
                                "tf_half_pixel_for_nn"};
  if (std::find_if(std::begin(kCtms), std::end(kCtms), [&](const char *c) {
        return p.ctm == c;
      }) == std::end(kCtms))
    return ctx.error("unknown coordinate_transformation_mode '" + p.ctm + "'");
  p.nearestMode = ctx.attrString("nearest_mode", "round_prefer_floor");
  if (p.nearestMode != "round_prefer_floor" &&
      p.nearestMode != "round_prefer_ceil" && p.nearestMode != "floor" &&
      p.nearestMode != "ceil")
    return ctx.error("unknown nearest_mode '" + p.nearestMode + "'");
  p.cubicA = ctx.attrFloat("cubic_coeff_a", -0.75f);
  p.excludeOutside = ctx.attrInt("exclude_outside", 0) != 0;
  p.extrapolation = ctx.attrFloat("extrapolation_value", 0.0f);
  p.antialias = ctx.attrInt("antialias", 0) != 0 && p.mode != Mode::Nearest;
  return p;
}

Status runResize(KernelContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(ResizeParams p, resizeParams(ctx));
  const Tensor &x = ctx.input(0);
  ResizeInputs ix = resizeInputIndices(ctx);
  auto present = [&](int i) {
    return i >= 0 && ctx.hasInput(i) && ctx.input(i).numElements() > 0;
  };
  std::vector<double> scales, roi;
  std::vector<int64_t> sizes;
  if (present(ix.scales)) scales = ctx.input(ix.scales).toDoubleVector();
  if (present(ix.sizes)) sizes = ctx.input(ix.sizes).toInt64Vector();
  if (present(ix.roi) && p.ctm == "tf_crop_and_resize")
    roi = ctx.input(ix.roi).toDoubleVector();
  EDGEC_ASSIGN_OR_RETURN(ResizePlan plan,
                         planResize(ctx, x.shape(), scales, sizes, roi));
  return resizeTensor(ctx, p, x, plan.outShape, plan.scales, plan.roi);
}

Status runUpsample(KernelContext &ctx) {
  ResizeParams p;
  EDGEC_ASSIGN_OR_RETURN(p.mode,
                         parseMode(ctx, ctx.attrString("mode", "nearest")));
  if (p.mode == Mode::Cubic) return ctx.error("Upsample has no cubic mode");
  p.ctm = "asymmetric";
  p.legacyNearest = true;
  const Tensor &x = ctx.input(0);
  EDGEC_ASSIGN_OR_RETURN(
      std::vector<double> scales,
      upsampleScales(ctx, ctx.hasInput(1) ? &ctx.input(1) : nullptr));
  if (scales.size() != x.rank())
    return ctx.error("scales has " + std::to_string(scales.size()) +
                     " elements, expected " + std::to_string(x.rank()));
  std::vector<int64_t> outShape(x.rank());
  for (size_t a = 0; a < x.rank(); ++a) {
    double s = scales[a];
    if (!(s >= 1) || !std::isfinite(s))
      return ctx.error("Upsample scales must be finite and >= 1");
    double o = std::floor(double(x.dim(a)) * s);
    if (o > 1e15) return ctx.error("upsample output is too large");
    outShape[a] = (int64_t)o;
  }
  return resizeTensor(ctx, p, x, outShape, scales, {});
}

} // namespace

void registerResizeKernels(KernelRegistry &r) {
  r.add("Resize", runResize);
  r.add("Upsample", runUpsample);
}

} // namespace edgec
