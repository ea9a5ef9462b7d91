// Vela-style cycle estimate of a decoded Ethos-U command stream: per
// operation the NPU (compute) cycles, the access cycles of each memory and
// their maximum, the MACs and the MAC utilisation; per network the sums,
// the bytes moved per memory, the inference time and rate. It reads only
// the operation descriptors (block config, kernel, strides, feature maps,
// weight/scale lengths, DMA parameters), the accelerator configuration and
// the memory system, so it also estimates streams edgec did not compile.
// The method restates Vela 3.10's npu_performance.py (NPU-EDGETPU.md A.8):
//   * block operations: per OFM block, DPU cycles from micro-blocks and
//     kernel steps and output cycles per element; a command-overhead floor;
//     a two-stage pipeline, max(DPU, output) x blocks + min(DPU, output);
//   * elementwise: output cycles per element (with the same floor);
//   * access cycles: bytes scaled by burst efficiency over bytes/cycle;
//   * DMA (weights, lookup tables): runs beside the operations; an operation
//     that reads a DMA's destination before it is done stalls, and the stall
//     counts as NPU cycles (Vela's weight double-buffering slack);
//   * operation total = max(NPU, SRAM, DRAM, on-chip flash, off-chip flash).
// It is an estimate (Vela calls its own EXPERIMENTAL): test/npu calibrates
// it against Vela's figures on four models (docs/targets.md).
#pragma once

#include "npu/AcceleratorConfig.h"
#include "npu/Operation.h"
#include "npu/estimate/MemorySystem.h"

#include <array>
#include <string>
#include <vector>

namespace edgec::npu {

/// Bytes moved on one memory, split as Vela's summary splits them.
struct MemoryTraffic {
  double featureMapRead = 0, featureMapWrite = 0, weightRead = 0, weightWrite = 0;
  double total() const { return featureMapRead + featureMapWrite + weightRead + weightWrite; }
};

struct OpEstimate {
  size_t index = 0;  ///< the operation's position in the stream
  std::string name;  ///< operationName()
  double npuCycles = 0;
  std::array<double, kMemories> accessCycles{};
  double totalCycles = 0; ///< max(npu, access...)
  int64_t macs = 0;
  double utilisation = 0; ///< macs / (total x MACs per cycle), 0..1
  std::array<MemoryTraffic, kMemories> traffic{};
};

struct NetworkEstimate {
  std::vector<OpEstimate> ops; ///< block operations only (DMA time folds into them)
  double npuCycles = 0, totalCycles = 0;
  std::array<double, kMemories> accessCycles{};
  std::array<MemoryTraffic, kMemories> traffic{};
  int64_t macs = 0;
  size_t dmaCount = 0;
  double coreClockHz = 0;
  double inferenceSeconds() const { return totalCycles / coreClockHz; }
  double inferencesPerSecond() const { return totalCycles > 0 ? coreClockHz / totalCycles : 0; }
};

/// The NPU cycles of one block operation (no memory traffic, no stalls).
double estimateComputeCycles(const Operation &op, const AcceleratorConfig &acc, const MemorySystem &mem);
/// The MACs of one operation (conv, depthwise, pooling; 0 for elementwise
/// and DMA, as Vela counts them).
int64_t operationMacs(const Operation &op);
/// Bytes each memory moves for one block operation, before and after the
/// burst-efficiency scaling.
struct OpTraffic {
  std::array<MemoryTraffic, kMemories> bytes{};
  std::array<double, kMemories> scaledBytes{};
};
OpTraffic estimateTraffic(const Operation &op, const AcceleratorConfig &acc, const MemorySystem &mem);

/// The whole stream, in order.
NetworkEstimate estimateNetwork(const std::vector<Operation> &ops, const AcceleratorConfig &acc,
                                const MemorySystem &mem);

} // namespace edgec::npu
