// Calibration statistics that merge exactly (sharded calibration,
// docs/quantization.md "Sharded calibration"): `edgec quantize --stats-out`
// writes one file per shard of the calibration set, `--stats` merges them,
// and the quantized model is byte-identical to one run over all samples.
#pragma once

#include "quant/Calibration.h"
#include "support/Json.h"

#include <map>
#include <string>
#include <vector>

namespace edgec {

/// The shape the calibration samples gave a model input (all of them, or
/// `agree` is false). The quantizer fixes dynamic input dims from it.
struct SampleShape {
  TensorShape shape;
  bool agree = true;
};
using SampleShapes = std::map<std::string, SampleShape>;

SampleShapes sampleShapesOf(const std::vector<CalibSample> &samples);
/// Adds the shapes seen by other samples (order does not matter).
void mergeSampleShapes(SampleShapes &into, const SampleShapes &from);

/// What one calibration run saw, in a form that merges exactly.
struct CalibrationStats {
  /// Identifies the model file (FNV-1a 64 of its bytes, hex): statistics
  /// of different models never merge.
  std::string modelDigest;
  /// The --input-shape overrides, canonical text ("a=1,3;b=2").
  std::string inputShapes;
  SampleShapes sampleShapes;
  /// The first sample: the quantizer checks that the integer graph runs on
  /// it (with merged statistics: the first sample of the first file).
  CalibSample probe;
  CalibrationResult result;
};

std::string modelDigest(const std::string &modelBytes);
std::string inputShapesText(const std::map<std::string, TensorShape> &shapes);

/// Schema `edgec.calibration-stats.v1`: histograms with non-zero bins only,
/// doubles as C99 hex floats (exact), the probe sample as .npy bytes in hex.
Json calibrationStatsToJson(const CalibrationStats &s);
/// Reads it back; every inconsistency is an InvalidInput error naming `what`
/// and the element.
Expected<CalibrationStats> calibrationStatsFromJson(const Json &j, const std::string &what);

/// Merges shards in the order given (probe of the first); an error names
/// the file when the shards come from different models or input shapes.
Expected<CalibrationStats> mergeCalibrationStats(const std::vector<CalibrationStats> &shards,
                                                 const std::vector<std::string> &names);

} // namespace edgec
