// Reports of a cycle estimate in Vela's formats (NPU-EDGETPU.md A.9): the
// console network summary (Vela's labels and alignment, headed as an
// estimate), the summary CSV and the per-layer CSV (Vela's column names;
// the experiment column says "edgec_estimate"), and JSON. Columns the
// stream cannot tell (original weight sizes, passes before fusing, SRAM
// usage per layer) are left empty.
#pragma once

#include "npu/estimate/CycleEstimate.h"
#include "support/Json.h"

#include <array>
#include <string>

namespace edgec::npu {

struct EstimateContext {
  std::string network;        ///< "kws_ref_model"
  std::string accelerator;    ///< Vela's name: "Ethos_U55_128"
  std::string systemConfig;   ///< "Ethos_U55_High_End_Embedded"
  std::string memoryMode;     ///< "Shared_Sram"
  int axiBytes = 8;
  double arenaCacheKiB = 0;
  std::array<double, kMemories> memoryUsedBytes{}; ///< 0: not known / unused
  std::array<bool, kMemories> memoryPresent{};     ///< memories the system uses
};

/// Design peak bandwidth of memory m in GB/s.
double peakBandwidthGBs(const MemorySystem &mem, Memory m, int axiBytes);

std::string estimateSummaryText(const NetworkEstimate &n, const MemorySystem &mem, const EstimateContext &c);
/// Header line and one row, each ending in '\n'.
std::string estimateSummaryCsv(const NetworkEstimate &n, const MemorySystem &mem, const EstimateContext &c);
/// Header line and one row per block operation.
std::string estimatePerLayerCsv(const NetworkEstimate &n);
Json estimateJson(const NetworkEstimate &n, const MemorySystem &mem, const EstimateContext &c);

/// Vela's column names, the one definition (the tests compare them with Vela's files).
const std::vector<std::string> &summaryCsvColumns();
const std::vector<std::string> &perLayerCsvColumns();

} // namespace edgec::npu
