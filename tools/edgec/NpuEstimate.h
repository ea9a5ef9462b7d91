// edgec inspect --npu-estimate: the Vela-style cycle estimate of each
// Ethos-U payload in a model (lib/npu/estimate), on the accelerator the
// payload names (or --npu-config) in a Vela system configuration and memory
// mode, as Vela's summary lines, CSV files and JSON.
#pragma once

#include "ir/Graph.h"
#include "npu/Payload.h"
#include "npu/estimate/EstimateReport.h"
#include "support/Json.h"

#include <ostream>
#include <string>

namespace edgec::tool {

struct NpuEstimateOptions {
  std::string network;      ///< report name (the model file's stem)
  std::string npuConfig;    ///< "" = the payload's own configuration
  std::string systemConfig; ///< "" = Vela's default for the product
  std::string memoryMode;   ///< "" = Vela's default for the product
  std::string csvDir;       ///< "" = no CSV files
};

struct PayloadEstimate {
  npu::NetworkEstimate estimate;
  npu::MemorySystem memory;
  npu::EstimateContext context;
};

/// The estimate of node `n`'s payload (an edgec.npu.EthosU node with a
/// constant payload). Errors: the payload or stream malformed, an unknown
/// accelerator, a bad system configuration or memory mode.
Expected<PayloadEstimate> estimatePayload(const Node &n, const npu::Payload &p, const NpuEstimateOptions &o,
                                          const std::string &network);

/// Every payload of `g`: the summary to `os` (when not null), the JSON to
/// `json` (an array, when not null), the CSV files to o.csvDir.
Status reportNpuEstimates(std::ostream *os, Json *json, const Graph &g, const NpuEstimateOptions &o);

} // namespace edgec::tool
