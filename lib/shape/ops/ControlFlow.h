// Shape rules of the ControlFlow family that its kernels
// (interp/kernels/ControlFlow.cpp) share with its inference.
#pragma once

#include "shape/InferUtil.h"

#include <string>
#include <vector>

namespace edgec {

/// The graph-valued attribute `name` (If branches, Loop and Scan bodies).
Expected<const Graph *> graphAttr(const NodeContext &ctx,
                                  const std::string &name);

/// Scan for opset 9+ (no batch axis) and opset 8 (batch axis 0, optional
/// sequence_lens input first). Opset 8 is run batch by batch through the
/// same core.
struct ScanConfig {
  size_t numState = 0, numScanIn = 0, numScanOut = 0;
  std::vector<int64_t> inAxes, inDirs, outAxes, outDirs;
};

/// The validated Scan attributes for `body` and `numDataInputs` inputs.
Expected<ScanConfig> scanConfig(const NodeContext &ctx, const Graph &body,
                                size_t numDataInputs);

} // namespace edgec
