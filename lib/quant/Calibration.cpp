#include "quant/Calibration.h"

#include "interp/Interpreter.h"

#include <algorithm>
#include <cmath>

namespace edgec {

namespace {
/// log2 of the largest range (2^1023): magnitudes beyond it land in the
/// edge bins.
constexpr int kMaxRangeLog2 = 1023;
} // namespace

void RangeHistogram::grow(double absMax) {
  // Invariant: range_ = 2^(ilogb(largest magnitude) + 1), so the histogram
  // is the same whatever order the values came in.
  const int want = std::min(std::ilogb(absMax) + 1, kMaxRangeLog2);
  if (range_ == 0) {
    range_ = std::ldexp(1.0, want);
    bins_[(size_t)kBins / 2] += pendingZeros_;
    pendingZeros_ = 0;
    return;
  }
  while (std::ilogb(range_) < want) {
    std::vector<int64_t> nb(kBins, 0);
    // Old bin i covers [-R + 2Ri/B, ...); in the doubled range it falls into
    // new bin B/4 + i/2.
    for (int i = 0; i < kBins; ++i) nb[(size_t)(kBins / 4 + i / 2)] += bins_[(size_t)i];
    bins_ = std::move(nb);
    range_ *= 2;
  }
}

int RangeHistogram::binOf(double v) const {
  // v * B / 2R is a power-of-two scaling (exact), and floor of it doubles
  // consistently: floor(floor(x) / 2) = floor(x / 2).
  const int shift = std::ilogb((double)kBins) - 1 - std::ilogb(range_);
  const double x = std::floor(std::ldexp(v, shift));
  return (int)std::clamp(x + kBins / 2, 0.0, (double)kBins - 1);
}

void RangeHistogram::addValue(double v) {
  if (!std::isfinite(v)) {
    ++nonFinite_;
    return;
  }
  if (v == 0) v = 0; // -0 -> +0: min/max must not depend on the order
  if (count_ == 0) min_ = max_ = v;
  min_ = std::min(min_, v);
  max_ = std::max(max_, v);
  ++count_;
  const double a = std::fabs(v);
  if (a == 0 && range_ == 0) {
    ++pendingZeros_;
    return;
  }
  if (range_ == 0 || a >= range_) grow(a);
  ++bins_[(size_t)binOf(v)];
}

void RangeHistogram::merge(const RangeHistogram &o) {
  nonFinite_ += o.nonFinite_;
  if (o.count_ == 0) return;
  if (count_ == 0) {
    min_ = o.min_;
    max_ = o.max_;
  } else {
    min_ = std::min(min_, o.min_);
    max_ = std::max(max_, o.max_);
  }
  count_ += o.count_;
  if (o.range_ == 0) { // only zeros there
    if (range_ == 0) pendingZeros_ += o.pendingZeros_;
    else bins_[(size_t)kBins / 2] += o.pendingZeros_;
    return;
  }
  RangeHistogram other = o;
  const double r = std::max(range_, o.range_);
  grow(r / 2); // both to range r: 2^(ilogb(r/2)+1) = r
  other.grow(r / 2);
  for (int i = 0; i < kBins; ++i) bins_[(size_t)i] += other.bins_[(size_t)i];
}

Expected<RangeHistogram> RangeHistogram::fromParts(double range, std::vector<int64_t> bins,
                                                   double min, double max, int64_t count,
                                                   int64_t nonFinite, int64_t pendingZeros,
                                                   const std::string &what) {
  auto bad = [&](const std::string &why) {
    return Error(ErrorCode::InvalidInput, what + ": " + why);
  };
  if (bins.size() != (size_t)kBins)
    return bad("a histogram needs " + std::to_string(kBins) + " bins");
  int64_t sum = 0;
  for (int64_t b : bins) {
    if (b < 0) return bad("negative bin count");
    if (b > INT64_MAX - sum) return bad("bin counts overflow");
    sum += b;
  }
  if (count < 0 || nonFinite < 0 || pendingZeros < 0) return bad("negative count");
  if (!(std::isfinite(range) && range >= 0)) return bad("bad range");
  int exponent = 0;
  if (range > 0 && (std::frexp(range, &exponent) != 0.5 || std::ilogb(range) > kMaxRangeLog2))
    return bad("the range must be a power of two");
  if (range == 0 ? (sum != 0 || pendingZeros != count)
                 : (pendingZeros != 0 || sum != count))
    return bad("bin counts do not add up to the value count");
  const bool fits = range == 0 ? min == 0 && max == 0
                               : std::isfinite(min) && std::isfinite(max) && min <= max &&
                                     std::fabs(min) < 2 * range && std::fabs(max) < 2 * range;
  if (count > 0 && !fits) return bad("min/max do not fit the range");
  RangeHistogram h;
  h.range_ = range;
  h.bins_ = std::move(bins);
  h.min_ = count ? min : 0;
  h.max_ = count ? max : 0;
  h.count_ = count;
  h.nonFinite_ = nonFinite;
  h.pendingZeros_ = pendingZeros;
  return h;
}

void RangeHistogram::add(const Tensor &t) {
  if (!isFloatType(t.dtype())) return;
  for (int64_t i = 0; i < t.numElements(); ++i) addValue(t.getDouble(i));
}

double RangeHistogram::quantile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  double target = q * (double)count_;
  double acc = 0;
  for (int i = 0; i < kBins; ++i) {
    double c = (double)bins_[(size_t)i];
    if (acc + c >= target && c > 0) {
      double frac = (target - acc) / c;
      double v = binLow(i) + frac * (2 * range_ / kBins);
      return std::clamp(v, min_, max_);
    }
    acc += c;
  }
  return max_;
}

Expected<CalibMethod> parseCalibMethod(const std::string &n) {
  if (n == "minmax") return CalibMethod::MinMax;
  if (n == "percentile") return CalibMethod::Percentile;
  if (n == "entropy") return CalibMethod::Entropy;
  if (n == "mse") return CalibMethod::Mse;
  return Error(ErrorCode::Usage, "unknown calibration method '" + n +
                                     "' (minmax, percentile, entropy, mse)");
}

const char *calibMethodName(CalibMethod m) {
  switch (m) {
  case CalibMethod::MinMax: return "minmax";
  case CalibMethod::Percentile: return "percentile";
  case CalibMethod::Entropy: return "entropy";
  case CalibMethod::Mse: return "mse";
  }
  return "?";
}

namespace {

QuantRange withZero(double lo, double hi) {
  QuantRange r{std::min(lo, 0.0), std::max(hi, 0.0)};
  if (r.hi - r.lo <= 0) r.hi = r.lo + 1e-8; // constant-zero tensor
  return r;
}

/// Expected squared error of quantizing the histogram's values to `levels`
/// steps over [lo, hi]: clipping error outside, uniform rounding error
/// (step^2 / 12) inside.
double quantMse(const RangeHistogram &h, double lo, double hi, int levels) {
  double step = (hi - lo) / (levels - 1);
  double w = 2 * h.range() / RangeHistogram::kBins;
  double err = 0;
  for (int i = 0; i < RangeHistogram::kBins; ++i) {
    int64_t c = h.bins()[(size_t)i];
    if (!c) continue;
    double x = h.binLow(i) + w / 2;
    if (x < lo) err += (double)c * (lo - x) * (lo - x);
    else if (x > hi) err += (double)c * (x - hi) * (x - hi);
    else err += (double)c * step * step / 12;
  }
  return err;
}

/// Entropy calibration (KL divergence between the clipped reference
/// distribution and its quantized version), on the histogram of |x|:
/// returns the threshold T minimizing KL(P || Q).
double klThreshold(const RangeHistogram &h, int levels) {
  const int B = RangeHistogram::kBins;
  // Fold into |x| bins: bin k of the half-histogram covers [k w, (k+1) w).
  int half = B / 2;
  std::vector<double> a((size_t)half, 0.0);
  for (int i = 0; i < B; ++i) {
    int k = i >= half ? i - half : half - 1 - i;
    a[(size_t)k] += (double)h.bins()[(size_t)i];
  }
  // Quantized levels on the side that matters: half of them for a
  // tensor with both signs (the zero point sits in the middle), all of
  // them for a one-sided one (asymmetric int8 spends every level there).
  const bool oneSided = h.min() >= 0 || h.max() <= 0;
  int q = std::max(2, oneSided ? levels : levels / 2);
  int last = half;
  while (last > 0 && a[(size_t)last - 1] == 0) --last;
  if (last <= q) return (double)last / half * h.range();
  double best = INFINITY;
  int bestI = last;
  for (int i = q; i <= last; ++i) {
    std::vector<double> p(a.begin(), a.begin() + i);
    double outliers = 0;
    for (int k = i; k < half; ++k) outliers += a[(size_t)k];
    p[(size_t)i - 1] += outliers;
    // Quantize the first i bins (without the outliers) into q groups and
    // expand each group's mass evenly over its non-empty bins.
    std::vector<double> qd((size_t)i, 0.0);
    for (int g = 0; g < q; ++g) {
      int s0 = (int)((int64_t)g * i / q), e0 = (int)((int64_t)(g + 1) * i / q);
      double mass = 0;
      int nz = 0;
      for (int k = s0; k < e0; ++k) {
        mass += a[(size_t)k];
        nz += a[(size_t)k] > 0;
      }
      for (int k = s0; k < e0; ++k)
        if (a[(size_t)k] > 0) qd[(size_t)k] = mass / nz;
    }
    double ps = 0, qs = 0;
    for (int k = 0; k < i; ++k) ps += p[(size_t)k], qs += qd[(size_t)k];
    if (ps <= 0 || qs <= 0) continue;
    double kl = 0;
    for (int k = 0; k < i; ++k) {
      double pk = p[(size_t)k] / ps, qk = qd[(size_t)k] / qs;
      if (pk > 0) kl += pk * std::log(pk / (qk > 0 ? qk : 1e-12));
    }
    if (kl < best) {
      best = kl;
      bestI = i;
    }
  }
  return (double)bestI / half * h.range();
}

} // namespace

QuantRange chooseRange(const RangeHistogram &h, CalibMethod m, int levels,
                       double percentile) {
  if (h.count() == 0) return withZero(0, 0);
  switch (m) {
  case CalibMethod::MinMax: return withZero(h.min(), h.max());
  case CalibMethod::Percentile: {
    double tail = std::clamp((100.0 - percentile) / 100.0, 0.0, 0.5);
    return withZero(h.quantile(tail), h.quantile(1.0 - tail));
  }
  case CalibMethod::Entropy: {
    double t = klThreshold(h, levels);
    return withZero(std::max(h.min(), -t), std::min(h.max(), t));
  }
  case CalibMethod::Mse: {
    QuantRange best = withZero(h.min(), h.max());
    double bestErr = quantMse(h, best.lo, best.hi, levels);
    for (int k = 1; k < 100; ++k) {
      double s = 1.0 - 0.0095 * k; // 1.0 .. 0.06
      QuantRange r = withZero(h.min() * s, h.max() * s);
      double e = quantMse(h, r.lo, r.hi, levels);
      if (e < bestErr) {
        bestErr = e;
        best = r;
      }
    }
    return best;
  }
  }
  return withZero(h.min(), h.max());
}

Expected<CalibrationResult> calibrate(const Model &m,
                                      const std::vector<CalibSample> &samples,
                                      const CalibProgress &progress) {
  if (samples.empty())
    return Error(ErrorCode::InvalidInput, "calibration needs at least one sample");
  CalibrationResult r;
  InterpreterOptions io;
  io.observer = [&](const Value &v, const Tensor &t) {
    if (isFloatType(t.dtype())) r.tensors[v.name].add(t);
  };
  Interpreter interp(m, io);
  int done = 0;
  for (const CalibSample &s : samples) {
    for (const Value *v : m.graph->inputs) {
      auto it = s.inputs.find(v->name);
      if (it != s.inputs.end() && isFloatType(it->second.dtype()))
        r.tensors[v->name].add(it->second);
    }
    auto out = interp.run(s.inputs);
    if (!out.isOk()) return out.error().withContext("calibration sample " + s.source + ": ");
    ++done;
    if (progress) progress(done, (int)samples.size());
  }
  r.samples = done;
  return r;
}

} // namespace edgec
