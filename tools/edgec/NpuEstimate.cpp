#include "NpuEstimate.h"

#include "interp/EthosU.h"
#include "npu/EthosUNode.h"
#include "support/FileIO.h"
#include "targets/npu/NpuOptions.h"

#include <algorithm>
#include <filesystem>

namespace edgec::tool {

Expected<PayloadEstimate> estimatePayload(const Node &n, const npu::Payload &p, const NpuEstimateOptions &o,
                                          const std::string &network) {
  EDGEC_ASSIGN_OR_RETURN(std::vector<npu::Command> cmds, npu::decodeCommandStream(p.stream));
  EDGEC_ASSIGN_OR_RETURN(std::vector<npu::Operation> ops, npu::buildOperations(cmds));
  std::string accName = o.npuConfig;
  if (accName.empty()) {
    const npu::AcceleratorConfig *acc = npu::payloadAccelerator(p);
    if (!acc)
      return Error(ErrorCode::Unsupported, "npu estimate: the payload of '" + n.name +
                                               "' names no known accelerator; give --npu-config");
    accName = std::string(acc->name);
  }
  EDGEC_ASSIGN_OR_RETURN(ethosu::NpuOptions opts, ethosu::resolveNpuOptions(accName, o.systemConfig, o.memoryMode));
  PayloadEstimate r;
  r.memory = ethosu::memorySystem(opts.system);
  r.estimate = npu::estimateNetwork(ops, *opts.accelerator, r.memory);
  npu::EstimateContext &c = r.context;
  c.network = network;
  c.accelerator = std::string(opts.accelerator->velaName);
  c.systemConfig = opts.system.system.name;
  c.memoryMode = opts.system.mode.name;
  c.axiBytes = opts.accelerator->axiBytes;
  c.arenaCacheKiB = double(opts.system.mode.arenaCacheSize) / 1024;
  for (ethosu::MemoryType t : {opts.system.constMemory(), opts.system.arenaMemory(), opts.system.cacheMemory()})
    c.memoryPresent[size_t(t)] = true;
  // Memory used: the flash constants and the two arenas the payload plans.
  auto req = ethosURequest(n, std::vector<const Tensor *>(n.inputs.size() > 2 ? n.inputs.size() - 2 : 0, nullptr));
  if (req) {
    c.memoryUsedBytes[size_t(opts.system.constMemory())] += double(req->flash.size);
    c.memoryUsedBytes[size_t(opts.system.arenaMemory())] += double(req->scratchSize);
    // The fast scratch on the arena's memory is the arena itself (TFLM
    // passes one buffer for both).
    double &cache = c.memoryUsedBytes[size_t(opts.system.cacheMemory())];
    if (opts.system.cacheMemory() == opts.system.arenaMemory()) cache = std::max(cache, double(req->scratchFastSize));
    else cache += double(req->scratchFastSize);
  }
  return r;
}

Status reportNpuEstimates(std::ostream *os, Json *json, const Graph &g, const NpuEstimateOptions &o) {
  int index = 0;
  for (const auto &n : g.nodes()) {
    if (n->domain != npu::kEthosUDomain || n->inputs.empty() || !n->inputs[0] || !n->inputs[0]->constant)
      continue;
    const Tensor &t = *n->inputs[0]->constant;
    EDGEC_ASSIGN_OR_RETURN(npu::Payload p, npu::parsePayload(t.data<uint8_t>(), t.byteSize()));
    const std::string network = index == 0 ? o.network : o.network + "_" + std::to_string(index);
    ++index;
    EDGEC_ASSIGN_OR_RETURN(PayloadEstimate e, estimatePayload(*n, p, o, network));
    if (os) *os << "\n" << npu::estimateSummaryText(e.estimate, e.memory, e.context);
    if (json) {
      Json j = npu::estimateJson(e.estimate, e.memory, e.context);
      j["node"] = n->name;
      json->push(j);
    }
    if (!o.csvDir.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(o.csvDir, ec);
      if (ec) return Error(ErrorCode::Io, "--npu-csv: cannot create '" + o.csvDir + "': " + ec.message());
      EDGEC_TRY(writeFileBytes(o.csvDir + "/" + network + "_summary_" + e.context.systemConfig + ".csv",
                               npu::estimateSummaryCsv(e.estimate, e.memory, e.context)));
      EDGEC_TRY(writeFileBytes(o.csvDir + "/" + network + "_per-layer.csv", npu::estimatePerLayerCsv(e.estimate)));
    }
  }
  return Status::ok();
}

} // namespace edgec::tool
