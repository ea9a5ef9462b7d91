// How much a quantized (integer) model departs from its float reference:
// per layer (each quantized node's output against the same node's output
// in the float model) and per graph output, over a set of samples, with
// top-1 agreement and, given labels, accuracy for classifier outputs.
#pragma once

#include "quant/Calibration.h"
#include "support/Json.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace edgec {

/// Signal-to-noise ratio and similarity accumulated over samples.
struct ErrorStats {
  double signal = 0, noise = 0; ///< sums of f^2 and (f - q)^2
  double cosineSum = 0;         ///< per-sample cosine similarities
  double maxAbs = 0;
  int64_t samples = 0, elements = 0;
  void add(const Tensor &reference, const Tensor &test);
  /// 10 log10(signal / noise); +inf when exact (reported as 999).
  double snrDb() const;
  double cosine() const { return samples ? cosineSum / (double)samples : 0; }
};

struct LayerAccuracy {
  std::string node, op, value;
  DataType type = DataType::Int8;
  float scale = 0;
  int64_t zeroPoint = 0;
  ErrorStats error;
  /// SNR lost at this layer: the worst input SNR minus the output SNR.
  double snrDropDb = 0;
};

struct OutputAccuracy {
  std::string name;
  ErrorStats error;
  /// Classifier-like outputs ([N, C], C > 1): top-1 agreement.
  std::optional<double> top1Agreement;
};

struct AccuracyReport {
  int samples = 0;
  std::vector<LayerAccuracy> layers;
  std::vector<OutputAccuracy> outputs;
  /// With labels: accuracy of output 0's top-1 for both models.
  std::optional<double> floatAccuracy, quantAccuracy;
  int labelled = 0;
};

/// Sample name (file or folder name without extension) -> class index;
/// lines "NAME LABEL", '#' comments.
Expected<std::map<std::string, int64_t>> loadLabels(const std::string &path);
/// The label key of a sample (its source file or folder, no extension).
std::string sampleKey(const CalibSample &s);

Expected<AccuracyReport>
compareModels(const Model &floatModel, const Model &quantModel,
              const std::vector<CalibSample> &samples,
              const std::map<std::string, int64_t> *labels = nullptr);

/// Plain-text tables (layers unless `layers` is false, outputs, the
/// `worst` layers losing most).
std::string formatReport(const AccuracyReport &r, int worst = 5, bool layers = true);
Json reportJson(const AccuracyReport &r);

} // namespace edgec
