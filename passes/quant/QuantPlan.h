// What insert-qdq needs to quantize a float model: the calibrated range of
// every float value and the scheme to use. Filled by the quantizer
// (lib/quant/Quantizer.h) from calibration; passed through PassOptions.
#pragma once

#include "ir/DataType.h"

#include <map>
#include <set>
#include <string>

namespace edgec {

struct QuantPlan {
  /// Activation element type: Int8 (asymmetric, TFLite int8 scheme) or
  /// Int16 (symmetric, zero point 0; the 16x8 scheme with int8 weights).
  DataType activationType = DataType::Int8;
  /// Weights of Conv / Gemm / MatMul per output channel (else per tensor).
  bool perChannel = true;
  struct Range {
    double lo = 0, hi = 0;
  };
  /// Clipping range per float value name (main graph).
  std::map<std::string, Range> ranges;
  /// Nodes that stay in float: by node name or by op type.
  std::set<std::string> keepFloat;
};

} // namespace edgec
