// Preparing a model for the Edge TPU: the TFLite export preparation
// (fold-qdq, NHWC, shape inference), then integer inputs and outputs (the
// QuantizeLinear after a float input and the DequantizeLinear before a float
// output are removed, so the file is int8 end to end; with io=uint8 a
// requantizing Identity, written as QUANTIZE, converts at each edge), and
// the values whose shape came from a dynamic input dimension.
#pragma once

#include "ir/Graph.h"
#include "support/Error.h"

#include <set>
#include <string>
#include <vector>

namespace edgec::edgetpu {

struct PreparedModel {
  /// Values whose shape depends on a dynamic input dimension other than a
  /// leading batch (those are written as 1).
  std::set<std::string> dynamicValues;
  std::vector<std::string> notes;
};

/// Prepares m in place; `io` is DataType::Int8 or DataType::UInt8.
Expected<PreparedModel> prepareForEdgeTpu(Model &m, DataType io);

} // namespace edgec::edgetpu
