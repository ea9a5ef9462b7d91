// Output deviation of a pruned (or otherwise transformed) model against the
// original, on the reference interpreter: per output the max abs error, the
// mean cosine similarity, the SNR in dB and, for classifier-like outputs
// ([N, K], K >= 2), the top-1 agreement and (with labels) the accuracy of
// both models.
#pragma once

#include "ir/Graph.h"
#include "quant/Calibration.h"
#include "support/Json.h"

#include <optional>
#include <string>
#include <vector>

namespace edgec {

struct OutputDeviation {
  std::string name;
  int64_t samples = 0;
  double maxAbsError = 0;
  double meanCosine = 1;
  /// 10*log10(sum ref^2 / sum err^2); +inf when the outputs are identical.
  double snrDb = 0;
  bool classifier = false;
  /// Classifier-like outputs: fraction of rows whose argmax agrees.
  double top1Agreement = 1;
  int64_t rows = 0;
  /// With labels (first classifier output only): top-1 accuracies.
  std::optional<double> referenceAccuracy, prunedAccuracy;
};

struct DeviationReport {
  int64_t samples = 0;
  std::vector<OutputDeviation> outputs;
};

/// Runs both models on every sample (inputs by name) and compares output i
/// of `test` with output i of `ref`. `labels` (optional) has one class per
/// row of the first classifier-like output, over the samples in order.
Expected<DeviationReport> compareModels(const Model &ref, const Model &test,
                                        const std::vector<CalibSample> &samples,
                                        const std::vector<int64_t> *labels = nullptr);

/// Reads labels for `samples`: a .npy integer array (one per sample, in
/// order), or a text file with one label per line (in sample order) or
/// "NAME LABEL" lines where NAME is a sample's file or folder name, with or
/// without extension. Blank lines and lines starting with '#' are skipped.
Expected<std::vector<int64_t>> loadLabels(const std::string &path,
                                          const std::vector<CalibSample> &samples);

Json deviationJson(const DeviationReport &r);

} // namespace edgec
