// Post-training static quantization of a float ONNX model (the engine of
// `edgec quantize`, docs/quantization.md):
//
//   import -> optimize (-O2, clamps fused only) -> calibrate (one pass,
//   histograms) -> upgrade opset if needed -> insert-qdq (QDQ model, the
//   ONNX file written) -> fold-qdq (the integer graph back ends consume)
//
// Nodes the integer kernels turn out not to run on the calibration data are
// put back in float and the pipeline repeats, so the result always runs.
#pragma once

#include "ir/Graph.h"
#include "quant/Calibration.h"
#include "quant/CalibrationStats.h"

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace edgec {

struct QuantizeOptions {
  /// Percentile 99.99 by default: it ignores the rare outliers that
  /// stretch min/max ranges (measured best on the shared models; see
  /// docs/quantization.md).
  CalibMethod method = CalibMethod::Percentile;
  double percentile = 99.99;
  bool perChannel = true;
  DataType activations = DataType::Int8; ///< Int8 or Int16 (16x8)
  /// Node names or op types kept in float.
  std::set<std::string> keepFloat;
  /// Input shape overrides (dynamic dims are otherwise fixed from the
  /// calibration samples when they all agree).
  std::map<std::string, TensorShape> inputShapes;
  /// At most this many automatic fall-backs to float (unsupported cases).
  int maxFallbacks = 64;
  /// Histograms of an earlier run on the same model and samples (skips
  /// calibration; mixed-precision search).
  const CalibrationResult *calibration = nullptr;
  /// The shapes the calibration samples had (merged statistics); default:
  /// the shapes of the samples passed in.
  const SampleShapes *sampleShapes = nullptr;
};

struct QuantizeResult {
  /// The optimized float model that was calibrated (the accuracy reference).
  std::unique_ptr<Model> floatModel;
  /// The QDQ model as ONNX bytes (deterministic).
  std::string qdqBytes;
  /// The integer graph (QDQ groups folded into integer ops).
  std::unique_ptr<Model> integerModel;
  /// What the quantizer decided, one line each (shape fixes, opset upgrade,
  /// nodes kept in float and why).
  std::vector<std::string> notes;
  /// Nodes quantized / kept in float (names).
  int quantizedNodes = 0;
  std::vector<std::string> floatNodes;
  /// Nodes put back to float because their integer kernel refused.
  std::vector<std::string> fallbacks;
  CalibrationResult calibration;
};

/// What the automatic mixed-precision search aims for: every output's SNR
/// on the tuning samples at least `minSnrDb` (0: no SNR goal) and, with
/// labels, a top-1 accuracy on the tuning samples at most `maxAccuracyDrop`
/// points below float (negative: no accuracy goal).
struct PrecisionTarget {
  double minSnrDb = 0;
  double maxAccuracyDrop = -1;
  const std::map<std::string, int64_t> *labels = nullptr;
  /// SNRs (the goal and each layer's sensitivity) are measured on the
  /// first this many tuning samples.
  int trialSamples = 8;
  /// At most this many layers put back to float.
  int maxFloatLayers = 32;
};

/// One step of the search, for the report.
struct PrecisionStep {
  std::string node;   ///< the layer put back to float
  double sensitivity; ///< output SNR with only that layer quantized
  double snrAfter;    ///< worst output SNR after keeping it in float
  double accuracyDropAfter = 0; ///< points below float (accuracy goal only)
};

/// An eval set split for a mixed-precision search: the search is tuned on
/// the first samples and the result is judged on the others, so the
/// accuracy reported is not the one the search optimized.
struct TuningSplit {
  std::vector<CalibSample> tune, heldOut;
  /// Positions in the eval set (sorted, disjoint, together 0..n-1).
  std::vector<int> tuneIndices, heldOutIndices;
};
/// Samples 0..tuneCount-1 tune, tuneCount..n-1 are held out; an error
/// unless both parts are non-empty.
Expected<TuningSplit> splitForTuning(const std::vector<CalibSample> &eval, int tuneCount);
/// How many of `evalCount` samples tune by default: half of them for an
/// accuracy goal (top-1 needs many samples), otherwise 8 (the SNR trial
/// size), and never more than half.
int defaultTuneSamples(size_t evalCount, bool accuracyGoal);

/// Quantizes, then, while the worst output SNR on `tune` is below the
/// target, measures each quantized layer's sensitivity (the output SNR when
/// only that layer is quantized) and keeps the most sensitive layers in
/// float, one at a time, re-quantizing after each. Returns the final result
/// and the steps taken; `met` tells whether the target was reached on
/// `tune` (the only samples the search sees: judge the result on others).
struct MixedPrecisionResult {
  QuantizeResult result;
  std::vector<PrecisionStep> steps;
  bool met = false;
  double snrDb = 0;        ///< worst output SNR on the trial samples
  double accuracyDrop = 0; ///< points below float on `tune` (accuracy goal only)
};
Expected<MixedPrecisionResult>
quantizeToTarget(const std::string &path, const std::vector<CalibSample> &samples,
                 const std::vector<CalibSample> &tune, const QuantizeOptions &opts,
                 const PrecisionTarget &target, const CalibProgress &progress = {});

/// Quantizes the model in `path` with the calibration samples.
Expected<QuantizeResult> quantizeModel(const std::string &path,
                                       const std::vector<CalibSample> &samples,
                                       const QuantizeOptions &opts,
                                       const CalibProgress &progress = {});

/// Calibrates the model in `path` on `samples` (one shard of a calibration
/// set) and returns statistics that merge exactly with other shards';
/// quantizeModel on the merged statistics (opts.calibration and
/// opts.sampleShapes, the probe as the only sample) gives the same model as
/// on all samples at once.
Expected<CalibrationStats> collectCalibrationStats(const std::string &path,
                                                   const std::vector<CalibSample> &samples,
                                                   const QuantizeOptions &opts,
                                                   const CalibProgress &progress = {});

/// Imports `path` with `shapes` and runs the quantization-friendly -O2
/// pipeline (the float model quantizeModel calibrates).
Expected<std::unique_ptr<Model>>
loadOptimizedFloatModel(const std::string &path,
                        const std::map<std::string, TensorShape> &shapes);

/// Folds the QDQ groups of m into integer ops (fold-qdq + dead code).
Status foldToIntegerGraph(Model &m);

} // namespace edgec
