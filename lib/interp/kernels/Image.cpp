// Image ops: GridSample (opsets 16, 20, 22), AffineGrid (20), RoiAlign (10,
// 16) and NonMaxSuppression (10, 11).
#include "interp/KernelUtil.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace edgec {
namespace {

// ---------------------------------------------------------------- GridSample
//
// Follows the ONNX reference (itself modelled on PyTorch): grid coordinates
// (innermost = last spatial axis) are denormalised per align_corners, rounded
// to the nearest integer for nearest (ties to even), then a
// coordinate outside the border range is clamped (border) or reflected
// (reflection). Interpolation taps outside the image read 0 (zeros), the
// clamped pixel (border) or the reflected pixel (reflection).

double gsReflect(double x, double lo, double hi) {
  double rng = hi - lo;
  if (rng <= 0) return lo;
  if (x < lo) {
    double dx = lo - x;
    double n = std::floor(dx / rng);
    double r = dx - n * rng;
    return std::fmod(n, 2.0) == 0 ? lo + r : hi - r;
  }
  if (x > hi) {
    double dx = x - hi;
    double n = std::floor(dx / rng);
    double r = dx - n * rng;
    return std::fmod(n, 2.0) == 0 ? hi - r : lo + r;
  }
  return x;
}

double cubicCoeff(double x) {
  const double a = -0.75;
  x = std::fabs(x);
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

enum class GsMode { Nearest, Linear, Cubic };

enum class GsPad { Zeros, Border, Reflection };

struct Tap {
  int64_t idx; ///< -1: reads zero
  double w;
};

Status runGridSample(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  const Tensor &grid = ctx.input(1);
  if (!isFloatType(x.dtype()) || !isFloatType(grid.dtype()))
    return ctx.error("X and grid must be floating point");
  if (x.rank() < 3) return ctx.error("X must have rank >= 3");
  size_t r = x.rank() - 2;
  if (r > 6) // 4^r interpolation taps per output point
    return ctx.unsupported("GridSample with more than 6 spatial dims");
  if (grid.rank() != r + 2 || grid.dim(0) != x.dim(0) ||
      grid.dim(r + 1) != (int64_t)r)
    return ctx.error("grid shape " + shapeToString(grid.shape()) +
                     " does not match X " + shapeToString(x.shape()));
  std::string ms = ctx.attrString("mode", ctx.opset() >= 20 ? "linear"
                                                            : "bilinear");
  GsMode mode;
  if (ms == "nearest") mode = GsMode::Nearest;
  else if (ms == "linear" || ms == "bilinear") mode = GsMode::Linear;
  else if (ms == "cubic" || ms == "bicubic") mode = GsMode::Cubic;
  else return ctx.error("unknown mode '" + ms + "'");
  std::string ps = ctx.attrString("padding_mode", "zeros");
  GsPad pad;
  if (ps == "zeros") pad = GsPad::Zeros;
  else if (ps == "border") pad = GsPad::Border;
  else if (ps == "reflection") pad = GsPad::Reflection;
  else return ctx.error("unknown padding_mode '" + ps + "'");
  bool align = ctx.attrInt("align_corners", 0) != 0;

  int64_t N = x.dim(0), C = x.dim(1);
  TensorShape outShape{N, C};
  int64_t outSpatial = 1;
  for (size_t i = 0; i < r; ++i) {
    outShape.push_back(grid.dim(1 + i));
    outSpatial *= grid.dim(1 + i);
  }
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(x.dtype(), outShape));
  std::vector<int64_t> dims(x.shape().begin() + 2, x.shape().end());
  int64_t inSpatial = 1;
  for (int64_t d : dims) inSpatial *= d;
  std::vector<int64_t> strides = stridesOf(dims);
  std::vector<double> xv = x.toDoubleVector();
  std::vector<double> gv = grid.toDoubleVector();
  std::vector<double> res((size_t)out.numElements());

  std::vector<std::vector<Tap>> taps(r);
  std::vector<double> combW;
  std::vector<int64_t> combOff;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t o = 0; o < outSpatial; ++o) {
      const double *g = gv.data() + (n * outSpatial + o) * (int64_t)r;
      bool anyTap = true;
      for (size_t a = 0; a < r; ++a) {
        double len = (double)dims[a];
        double nv = g[r - 1 - a]; // grid is (x, y, z): innermost first
        double v = align ? (nv + 1) / 2.0 * (len - 1)
                         : ((nv + 1) * len - 1) / 2.0;
        if (mode == GsMode::Nearest) v = std::nearbyint(v);
        double lo = align ? 0.0 : -0.5, hi = align ? len - 1 : len - 0.5;
        if (v < lo || v > hi) {
          if (pad == GsPad::Border) v = std::clamp(v, 0.0, len - 1);
          else if (pad == GsPad::Reflection) v = gsReflect(v, lo, hi);
        }
        if (!std::isfinite(v) || std::fabs(v) > 1e15) v = -1e15;
        auto fetch = [&](double i) -> int64_t {
          int64_t d = dims[a];
          if (pad == GsPad::Zeros)
            return i >= 0 && i < (double)d ? (int64_t)i : -1;
          if (pad == GsPad::Border)
            return (int64_t)std::clamp(i, 0.0, (double)(d - 1));
          double rf = gsReflect(i, lo, hi);
          return std::clamp<int64_t>((int64_t)rf, 0, d - 1);
        };
        std::vector<Tap> &t = taps[a];
        t.clear();
        if (mode == GsMode::Nearest) {
          t.push_back({fetch(std::trunc(v)), 1.0});
        } else {
          double f = std::floor(v);
          double frac = v - f;
          if (mode == GsMode::Linear) {
            t.push_back({fetch(f), 1 - frac});
            t.push_back({fetch(f + 1), frac});
          } else {
            for (int k = -1; k <= 2; ++k)
              t.push_back({fetch(f + k), cubicCoeff(frac - k)});
          }
        }
        if (t.empty()) anyTap = false;
      }
      if (!anyTap) continue;
      // Tensor product of the per-axis taps, flattened once per point.
      combW.clear();
      combOff.clear();
      int64_t combos = 1;
      for (size_t a = 0; a < r; ++a) combos *= (int64_t)taps[a].size();
      for (int64_t k = 0; k < combos; ++k) {
        int64_t rem = k, off = 0;
        double w = 1;
        bool zero = false;
        for (size_t a = r; a-- > 0;) {
          const Tap &tp = taps[a][rem % (int64_t)taps[a].size()];
          rem /= (int64_t)taps[a].size();
          if (tp.idx < 0) zero = true;
          w *= tp.w;
          off += tp.idx * strides[a];
        }
        if (zero) continue;
        combW.push_back(w);
        combOff.push_back(off);
      }
      for (int64_t c = 0; c < C; ++c) {
        const double *src = xv.data() + (n * C + c) * inSpatial;
        double acc = 0;
        for (size_t k = 0; k < combW.size(); ++k)
          acc += combW[k] * src[combOff[k]];
        res[(n * C + c) * outSpatial + o] = acc;
      }
    }
  for (int64_t i = 0; i < out.numElements(); ++i) out.setDouble(i, res[i]);
  ctx.outputs[0] = out;
  return Status::ok();
}

// ---------------------------------------------------------------- AffineGrid

Status runAffineGrid(KernelContext &ctx) {
  const Tensor &theta = ctx.input(0);
  std::vector<int64_t> size = ctx.input(1).toInt64Vector();
  bool align = ctx.attrInt("align_corners", 0) != 0;
  if (!isFloatType(theta.dtype())) return ctx.error("theta must be float");
  if (size.size() != 4 && size.size() != 5)
    return ctx.error("size must have 4 or 5 elements");
  size_t r = size.size() - 2; // spatial rank
  int64_t N = size[0];
  if (theta.rank() != 3 || theta.dim(0) != N || theta.dim(1) != (int64_t)r ||
      theta.dim(2) != (int64_t)r + 1)
    return ctx.error("theta shape " + shapeToString(theta.shape()) +
                     " does not match size");
  // Spatial dims in (D,) H, W order; base coordinates are (x, y, z) with x
  // along W.
  std::vector<int64_t> sp(size.begin() + 2, size.end());
  TensorShape outShape{N};
  for (int64_t d : sp) {
    if (d < 0) return ctx.error("size must not be negative");
    outShape.push_back(d);
  }
  outShape.push_back((int64_t)r);
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(theta.dtype(), outShape));
  auto coord = [&](int64_t i, int64_t len) {
    if (align) return len <= 1 ? -1.0 : -1.0 + 2.0 * (double)i / double(len - 1);
    return (2.0 * (double)i + 1) / (double)len - 1;
  };
  std::vector<double> th = theta.toDoubleVector();
  int64_t pts = 1;
  for (int64_t d : sp) pts *= d;
  std::vector<int64_t> st = stridesOf(sp);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t p = 0; p < pts; ++p) {
      // base = (x, y[, z], 1): x from the last spatial axis.
      std::vector<double> base(r + 1, 1.0);
      for (size_t a = 0; a < r; ++a) {
        int64_t i = (p / st[a]) % sp[a];
        base[r - 1 - a] = coord(i, sp[a]);
      }
      for (size_t k = 0; k < r; ++k) {
        double acc = 0;
        for (size_t j = 0; j <= r; ++j)
          acc += th[(n * (int64_t)r + (int64_t)k) * ((int64_t)r + 1) +
                    (int64_t)j] *
                 base[j];
        out.setDouble((n * pts + p) * (int64_t)r + (int64_t)k, acc);
      }
    }
  ctx.outputs[0] = out;
  return Status::ok();
}

// ---------------------------------------------------------------- RoiAlign
//
// Average (or max) of bilinear samples on a regular grid inside each bin.
// Opset 10 behaves as coordinate_transformation_mode "output_half_pixel"
// (no half-pixel shift, rois at least 1x1). Max mode takes, per sample, the
// largest of the four weighted corner values (as onnxruntime and the ONNX
// tests do).

Status runRoiAlign(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  const Tensor &rois = ctx.input(1);
  std::vector<int64_t> bidx = ctx.input(2).toInt64Vector();
  if (x.rank() != 4) return ctx.error("X must have rank 4");
  if (!isFloatType(x.dtype())) return ctx.error("X must be floating point");
  if (rois.rank() != 2 || rois.dim(1) != 4)
    return ctx.error("rois must have shape [num_rois, 4]");
  int64_t R = rois.dim(0);
  if ((int64_t)bidx.size() != R)
    return ctx.error("batch_indices must have one entry per roi");
  int64_t N = x.dim(0), C = x.dim(1), H = x.dim(2), W = x.dim(3);
  int64_t oh = ctx.attrInt("output_height", 1);
  int64_t ow = ctx.attrInt("output_width", 1);
  int64_t ratio = ctx.attrInt("sampling_ratio", 0);
  double scale = ctx.attrFloat("spatial_scale", 1.0f);
  std::string mode = ctx.attrString("mode", "avg");
  if (mode != "avg" && mode != "max")
    return ctx.error("unknown mode '" + mode + "'");
  bool maxMode = mode == "max";
  std::string ctm = ctx.opset() >= 16
                        ? ctx.attrString("coordinate_transformation_mode",
                                         "half_pixel")
                        : "output_half_pixel";
  if (ctm != "half_pixel" && ctm != "output_half_pixel")
    return ctx.error("unknown coordinate_transformation_mode '" + ctm + "'");
  bool halfPixel = ctm == "half_pixel";
  if (oh <= 0 || ow <= 0 || ratio < 0)
    return ctx.error("output sizes must be positive, sampling_ratio >= 0");
  EDGEC_ASSIGN_OR_RETURN(Tensor out,
                         Tensor::create(x.dtype(), {R, C, oh, ow}));
  std::vector<double> xv = x.toDoubleVector(), rv = rois.toDoubleVector();
  for (int64_t ri = 0; ri < R; ++ri) {
    int64_t b = bidx[ri];
    if (b < 0 || b >= N)
      return ctx.error("batch index " + std::to_string(b) + " out of range",
                       ErrorCode::InvalidInput);
    double off = halfPixel ? 0.5 : 0.0;
    double sw = rv[ri * 4 + 0] * scale - off, sh = rv[ri * 4 + 1] * scale - off;
    double ew = rv[ri * 4 + 2] * scale - off, eh = rv[ri * 4 + 3] * scale - off;
    double rw = ew - sw, rh = eh - sh;
    if (!halfPixel) {
      rw = std::max(rw, 1.0);
      rh = std::max(rh, 1.0);
    }
    double bh = rh / (double)oh, bw = rw / (double)ow;
    double gh = ratio > 0 ? (double)ratio : std::ceil(rh / (double)oh);
    double gw = ratio > 0 ? (double)ratio : std::ceil(rw / (double)ow);
    if (!(gh >= 0 && gw >= 0 && gh * gw <= double(1 << 20)))
      return ctx.error("roi sampling grid is too large");
    int64_t gH = (int64_t)gh, gW = (int64_t)gw;
    double count = std::max<double>((double)(gH * gW), 1.0);
    for (int64_t c = 0; c < C; ++c) {
      const double *img = xv.data() + (b * C + c) * H * W;
      for (int64_t ph = 0; ph < oh; ++ph)
        for (int64_t pw = 0; pw < ow; ++pw) {
          double acc = 0;
          bool first = true;
          for (int64_t iy = 0; iy < gH; ++iy) {
            double y = sh + (double)ph * bh + ((double)iy + 0.5) * bh / gh;
            for (int64_t ix = 0; ix < gW; ++ix) {
              double xx = sw + (double)pw * bw + ((double)ix + 0.5) * bw / gw;
              double val = 0;
              if (!(y < -1.0 || y > (double)H || xx < -1.0 ||
                    xx > (double)W) && H > 0 && W > 0) {
                double yy = std::max(y, 0.0), xc = std::max(xx, 0.0);
                int64_t yl = (int64_t)yy, xl = (int64_t)xc, yh, xh;
                if (yl >= H - 1) { yh = yl = H - 1; yy = (double)yl; }
                else yh = yl + 1;
                if (xl >= W - 1) { xh = xl = W - 1; xc = (double)xl; }
                else xh = xl + 1;
                double ly = yy - (double)yl, lx = xc - (double)xl;
                double hy = 1 - ly, hx = 1 - lx;
                double v1 = hy * hx * img[yl * W + xl];
                double v2 = hy * lx * img[yl * W + xh];
                double v3 = ly * hx * img[yh * W + xl];
                double v4 = ly * lx * img[yh * W + xh];
                val = maxMode ? std::max(std::max(v1, v2), std::max(v3, v4))
                              : v1 + v2 + v3 + v4;
              }
              if (maxMode) {
                acc = first ? val : std::max(acc, val);
                first = false;
              } else {
                acc += val;
              }
            }
          }
          double res = maxMode ? acc : acc / count;
          out.setDouble(((ri * C + c) * oh + ph) * ow + pw, res);
        }
    }
  }
  ctx.outputs[0] = out;
  return Status::ok();
}

// -------------------------------------------------------- NonMaxSuppression
//
// Per (batch, class): boxes scoring above score_threshold (when given) are
// visited by descending score (ties: lower index first) and kept unless
// their IoU with an already kept box exceeds iou_threshold. Boxes with zero
// area never suppress. max_output_boxes_per_class 0 (the default) selects
// nothing.

struct Box {
  double y1, x1, y2, x2;
};

Box readBox(const double *b, bool center) {
  if (center) {
    double xc = b[0], yc = b[1], w = b[2], h = b[3];
    return {yc - h / 2, xc - w / 2, yc + h / 2, xc + w / 2};
  }
  return {std::min(b[0], b[2]), std::min(b[1], b[3]), std::max(b[0], b[2]),
          std::max(b[1], b[3])};
}

bool suppresses(const Box &a, const Box &b, double thr) {
  double areaA = (a.y2 - a.y1) * (a.x2 - a.x1);
  double areaB = (b.y2 - b.y1) * (b.x2 - b.x1);
  if (areaA <= 0 || areaB <= 0) return false;
  double iy1 = std::max(a.y1, b.y1), ix1 = std::max(a.x1, b.x1);
  double iy2 = std::min(a.y2, b.y2), ix2 = std::min(a.x2, b.x2);
  if (iy2 <= iy1 || ix2 <= ix1) return false;
  double inter = (iy2 - iy1) * (ix2 - ix1);
  double iou = inter / (areaA + areaB - inter);
  return iou > thr;
}

Status runNonMaxSuppression(KernelContext &ctx) {
  const Tensor &boxes = ctx.input(0);
  const Tensor &scores = ctx.input(1);
  if (boxes.rank() != 3 || boxes.dim(2) != 4)
    return ctx.error("boxes must have shape [batch, boxes, 4]");
  if (scores.rank() != 3 || scores.dim(0) != boxes.dim(0) ||
      scores.dim(2) != boxes.dim(1))
    return ctx.error("scores must have shape [batch, classes, boxes]");
  int64_t maxOut = 0;
  if (ctx.hasInput(2) && ctx.input(2).numElements() > 0)
    maxOut = ctx.input(2).getInt64(0);
  double iouThr = 0;
  if (ctx.hasInput(3) && ctx.input(3).numElements() > 0)
    iouThr = ctx.input(3).getDouble(0);
  bool hasScoreThr = ctx.hasInput(4) && ctx.input(4).numElements() > 0;
  double scoreThr = hasScoreThr ? ctx.input(4).getDouble(0) : 0;
  bool center = ctx.attrInt("center_point_box", 0) != 0;
  int64_t B = boxes.dim(0), K = scores.dim(1), S = boxes.dim(1);
  std::vector<double> bv = boxes.toDoubleVector(), sv = scores.toDoubleVector();
  std::vector<int64_t> sel;
  if (maxOut > 0) {
    for (int64_t b = 0; b < B; ++b)
      for (int64_t k = 0; k < K; ++k) {
        const double *sc = sv.data() + (b * K + k) * S;
        std::vector<int64_t> cand;
        for (int64_t i = 0; i < S; ++i)
          if (!hasScoreThr || sc[i] > scoreThr) cand.push_back(i);
        std::stable_sort(cand.begin(), cand.end(),
                         [&](int64_t a, int64_t c) { return sc[a] > sc[c]; });
        std::vector<Box> kept;
        int64_t n = 0;
        for (int64_t i : cand) {
          if (n >= maxOut) break;
          Box bx = readBox(bv.data() + (b * S + i) * 4, center);
          bool drop = false;
          for (const Box &kb : kept)
            if (suppresses(kb, bx, iouThr)) {
              drop = true;
              break;
            }
          if (drop) continue;
          kept.push_back(bx);
          sel.insert(sel.end(), {b, k, i});
          ++n;
        }
      }
  }
  ctx.outputs[0] =
      Tensor::fromVector<int64_t>({(int64_t)sel.size() / 3, 3}, sel);
  return Status::ok();
}

} // namespace

void registerImageKernels(KernelRegistry &r) {
  r.add("GridSample", runGridSample);
  r.add("AffineGrid", runAffineGrid);
  r.add("RoiAlign", runRoiAlign);
  r.add("NonMaxSuppression", runNonMaxSuppression);
}

} // namespace edgec
