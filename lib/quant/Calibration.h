// Calibration for post-training quantization: one pass of the reference
// interpreter over the calibration samples collects, per float tensor, its
// min/max and a histogram; every range method (minmax, percentile, entropy,
// mse) is then evaluated from those histograms without running again.
#pragma once

#include "ir/Graph.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace edgec {

/// Histogram of a tensor's values over a symmetric range [-R, R]. R is
/// canonical: the smallest power of two above every magnitude seen (0 while
/// only zeros arrived), and bin i holds the values v with
/// floor(v * B / 2R) = i - B/2, computed exactly. The histogram of a set of
/// values therefore does not depend on their order, and merging the
/// histograms of disjoint sets gives exactly the histogram of their union
/// (sharded calibration). Growing doubles R and merges bin pairs. Also
/// tracks exact min and max (-0 counts as 0).
class RangeHistogram {
public:
  static constexpr int kBins = 2048;
  /// Adds every finite element of a float tensor (NaN/inf are counted apart).
  void add(const Tensor &t);
  void addValue(double v);
  /// Adds the values another histogram counted (exact; see above).
  void merge(const RangeHistogram &o);
  double min() const { return min_; }
  double max() const { return max_; }
  int64_t count() const { return count_; }
  int64_t nonFinite() const { return nonFinite_; }
  /// Half-width of the histogram range (0 before any non-zero value).
  double range() const { return range_; }
  /// Zeros counted while the range was still 0 (they move to the middle
  /// bin when the first non-zero value arrives).
  int64_t pendingZeros() const { return pendingZeros_; }
  const std::vector<int64_t> &bins() const { return bins_; }
  /// Lower edge of bin i.
  double binLow(int i) const { return -range_ + 2 * range_ * i / kBins; }
  /// The value below which a fraction q of the samples lie (linear within a
  /// bin, clamped to [min, max]).
  double quantile(double q) const;
  /// Rebuilds a histogram from its parts (a statistics file), checking
  /// that they are consistent; errors name `what`.
  static Expected<RangeHistogram> fromParts(double range, std::vector<int64_t> bins,
                                            double min, double max, int64_t count,
                                            int64_t nonFinite, int64_t pendingZeros,
                                            const std::string &what);

private:
  void grow(double absMax);
  int binOf(double v) const;
  std::vector<int64_t> bins_ = std::vector<int64_t>(kBins, 0);
  double range_ = 0;
  double min_ = 0, max_ = 0;
  int64_t count_ = 0, nonFinite_ = 0, pendingZeros_ = 0;
};

enum class CalibMethod { MinMax, Percentile, Entropy, Mse };
Expected<CalibMethod> parseCalibMethod(const std::string &name);
const char *calibMethodName(CalibMethod m);

struct QuantRange {
  double lo = 0, hi = 0;
};

/// The clipping range a method picks for a tensor quantized to `levels`
/// levels (256 for int8, 65536 for int16). The range always contains 0 (so
/// zero is exactly representable). percentile is in percent (e.g. 99.99)
/// and applies to both tails.
QuantRange chooseRange(const RangeHistogram &h, CalibMethod m, int levels,
                       double percentile = 99.99);

/// One calibration sample: a tensor per model input, and where it came from.
struct CalibSample {
  std::map<std::string, Tensor> inputs;
  std::string source;
};

/// Reads calibration data for `m` from `dir`:
///  - one sub-folder per sample, holding a file per input named after the
///    input (`NAME.npy` / `NAME.pb`) or `input_K.pb` / `input_K.npy` in
///    input order (the ONNX test-data layout); or
///  - a flat folder of `.npy`/`.pb` files, one sample each, for a
///    single-input model.
/// Samples are sorted by path. Every tensor is checked against the input's
/// declared type; errors name the file and the input.
Expected<std::vector<CalibSample>> loadCalibrationData(const Model &m,
                                                       const std::string &dir);
/// `n` samples of uniform noise in [-1, 1) with a fixed seed (smoke tests
/// only: ranges from noise are not meant for deployment).
Expected<std::vector<CalibSample>> randomCalibrationData(const Model &m, int n,
                                                         uint32_t seed = 1);

struct CalibrationResult {
  /// Per float value (graph inputs and node outputs of the main graph), by
  /// value name (deterministic order).
  std::map<std::string, RangeHistogram> tensors;
  int samples = 0;
};

/// Called after each sample: (done, total).
using CalibProgress = std::function<void(int, int)>;

/// Runs the interpreter over the samples and collects the histograms.
Expected<CalibrationResult> calibrate(const Model &m,
                                      const std::vector<CalibSample> &samples,
                                      const CalibProgress &progress = {});

} // namespace edgec
