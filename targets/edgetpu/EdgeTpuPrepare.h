// Preparing a model for the Edge TPU: the TFLite export preparation
// (fold-qdq, NHWC, shape inference), then integer inputs and outputs (the
// QuantizeLinear after a float input and the DequantizeLinear before a float
// output are removed, so the file is int8 end to end; with io=uint8 a
// requantizing Identity, written as QUANTIZE, converts at each edge), with
// io-layout=nhwc channels-last inputs and outputs instead of the layout
// TRANSPOSEs, and the values whose shape came from a dynamic input dimension.
#pragma once

#include "ir/Graph.h"
#include "support/Error.h"
#include "targets/edgetpu/EdgeTpuOptions.h"

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

/// Prepares m in place for the options (EdgeTpuOptions.h).
Expected<PreparedModel> prepareForEdgeTpu(Model &m, const EdgeTpuOptions &o);

} // namespace edgec::edgetpu
