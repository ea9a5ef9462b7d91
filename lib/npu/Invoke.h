// One invocation of an Ethos-U payload, as TFLite Micro's `ethos-u` kernel
// and the core driver perform it: the payload checked, the IFMs copied into
// the arena (region 1) at the offsets Vela planned, the stream run by the
// functional model on the flash (region 0), the arena and the fast scratch
// (region 2), the OFMs read back from their offsets.
#pragma once

#include "npu/FunctionalModel.h"
#include "npu/Payload.h"

#include <functional>
#include <vector>

namespace edgec::npu {

struct ByteSpan {
  const uint8_t *data = nullptr;
  size_t size = 0;
};

struct InvokeRequest {
  ByteSpan payload, flash;
  int64_t scratchSize = 0, scratchFastSize = 0;
  std::vector<ByteSpan> ifms;
  std::vector<int64_t> ifmOffsets;
  std::vector<size_t> ofmBytes;
  std::vector<int64_t> ofmOffsets;
  /// The hardware the driver would find; null: the payload's own.
  const AcceleratorConfig *hardware = nullptr;
  /// Work limit of one operation (FunctionalModel::maxOperationWork).
  int64_t maxOperationWork = kMaxOperationWork;
  /// Called after each operation with the model (its regions hold the OFM).
  std::function<void(const Operation &, const FunctionalModel &)> afterOperation;
};

struct InvokeResult {
  std::vector<std::vector<uint8_t>> ofms;
  std::vector<OpCounters> counters;
  const AcceleratorConfig *hardware = nullptr;
};

Expected<InvokeResult> invokePayload(const InvokeRequest &req);

} // namespace edgec::npu
