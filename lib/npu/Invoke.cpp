#include "npu/Invoke.h"

#include "npu/EthosUNode.h"

#include <algorithm>
#include <cstring>

namespace edgec::npu {

Expected<InvokeResult> invokePayload(const InvokeRequest &req) {
  EDGEC_ASSIGN_OR_RETURN(Payload payload, parsePayload(req.payload.data, req.payload.size));
  const AcceleratorConfig *hw = req.hardware ? req.hardware : payloadAccelerator(payload);
  if (!hw)
    return Error(ErrorCode::Unsupported,
                 "the Ethos-U payload names no known accelerator (" + describeConfig(payload.config) + ")");
  EDGEC_TRY(checkPayloadConfig(payload, *hw));
  EDGEC_ASSIGN_OR_RETURN(std::vector<Command> cmds, decodeCommandStream(payload.stream));
  if (req.ifms.size() != req.ifmOffsets.size() || req.ofmBytes.size() != req.ofmOffsets.size())
    return Error(ErrorCode::InvalidModel, "Ethos-U: arena offsets do not match the inputs/outputs");
  constexpr int64_t kLimit = int64_t(1) << 31;
  int64_t arena = std::clamp<int64_t>(req.scratchSize, 0, kLimit);
  auto fits = [&](int64_t off, int64_t bytes) -> Status {
    if (off < 0 || off > kLimit || bytes > kLimit)
      return Error(ErrorCode::InvalidModel, "Ethos-U: arena offset " + std::to_string(off) + " is out of range");
    arena = std::max(arena, off + bytes);
    return Status::ok();
  };
  for (size_t i = 0; i < req.ifms.size(); ++i) EDGEC_TRY(fits(req.ifmOffsets[i], int64_t(req.ifms[i].size)));
  for (size_t i = 0; i < req.ofmBytes.size(); ++i) EDGEC_TRY(fits(req.ofmOffsets[i], int64_t(req.ofmBytes[i])));
  std::vector<uint8_t> scratch(size_t((arena + 15) / 16 * 16), 0);
  const int64_t fastSize = std::clamp<int64_t>(req.scratchFastSize, 0, kLimit);
  std::vector<uint8_t> fast(size_t((fastSize + 15) / 16 * 16), 0);
  std::vector<uint8_t> flash(req.flash.data, req.flash.data + req.flash.size);
  for (size_t i = 0; i < req.ifms.size(); ++i)
    if (req.ifms[i].size) std::memcpy(scratch.data() + req.ifmOffsets[i], req.ifms[i].data, req.ifms[i].size);

  std::array<Region, kMaxRegions> regions{};
  regions[kFlashRegion] = {flash.data(), flash.size()};
  regions[kScratchRegion] = {scratch.data(), scratch.size()};
  regions[kScratchFastRegion] = {fast.data(), fast.size()};
  FunctionalModel model(*hw, regions);
  model.maxOperationWork = req.maxOperationWork;
  if (req.afterOperation)
    model.afterOperation = [&](const Operation &op) { req.afterOperation(op, model); };
  EDGEC_TRY(model.run(cmds));
  InvokeResult r;
  r.hardware = hw;
  r.counters = model.counters();
  for (size_t i = 0; i < req.ofmBytes.size(); ++i)
    r.ofms.emplace_back(scratch.begin() + req.ofmOffsets[i],
                        scratch.begin() + req.ofmOffsets[i] + int64_t(req.ofmBytes[i]));
  return r;
}

} // namespace edgec::npu
