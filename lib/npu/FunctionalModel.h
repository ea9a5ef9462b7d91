// The bit-exact functional model of an Ethos-U55/U65: executes a decoded
// command stream on memory regions (region index -> bytes, as the driver's
// base addresses give them) and the internal buffer, one operation at a
// time in stream order: DMA (to memory or the internal buffer's lookup
// tables), CONV (fully connected included), DEPTHWISE, POOL (MAX, AVERAGE,
// REDUCE_SUM) and ELEMENTWISE, with the integer output stage
// (OutputStage.h). It counts MACs and bytes per region for each operation.
#pragma once

#include "npu/AcceleratorConfig.h"
#include "npu/CommandStream.h"
#include "npu/FeatureMapAccess.h"
#include "npu/Operation.h"

#include <array>
#include <functional>
#include <string>
#include <vector>

namespace edgec::npu {

inline constexpr int kMaxRegions = 8;

struct OpCounters {
  size_t index = 0;
  std::string name;
  int64_t macs = 0;
  std::array<int64_t, kMaxRegions> bytesRead{}, bytesWritten{};
  int64_t internalBytes = 0; ///< written to the internal buffer (lookup tables)
  // Cycles: npu/estimate/CycleEstimate.h (from the descriptors, not the run).
};

class FunctionalModel {
public:
  FunctionalModel(const AcceleratorConfig &config, std::array<Region, kMaxRegions> regions);

  /// Called after each operation (the intermediate-tensor checks read the
  /// OFM through it).
  std::function<void(const Operation &)> afterOperation;
  /// Most multiply-accumulates (or pooling window positions) one operation
  /// may take before it is refused as a corrupted shape.
  int64_t maxOperationWork = kMaxOperationWork;

  /// Runs the stream to NPU_OP_STOP. Errors: an access outside a region, an
  /// operation the model does not cover (named), a malformed weight or scale
  /// stream.
  Status run(const std::vector<Command> &cmds);

  const std::vector<OpCounters> &counters() const { return counters_; }
  const std::array<Region, kMaxRegions> &regions() const { return regions_; }

private:
  const AcceleratorConfig &config_;
  std::array<Region, kMaxRegions> regions_;
  std::vector<uint8_t> shram_;
  std::vector<OpCounters> counters_;
};

// One executor per kind of operation (Exec*.cpp), used by FunctionalModel.
struct ExecContext {
  const AcceleratorConfig &config;
  std::array<Region, kMaxRegions> &regions;
  std::vector<uint8_t> &shram;
  OpCounters &counters;
  int64_t maxOperationWork = kMaxOperationWork;
  Expected<Region> region(int index, const std::string &what) const;
};
Status execDma(const Operation &op, ExecContext &ctx);
Status execConvolution(const Operation &op, ExecContext &ctx); ///< CONV and DEPTHWISE
Status execPooling(const Operation &op, ExecContext &ctx);
Status execElementwise(const Operation &op, ExecContext &ctx);

} // namespace edgec::npu
