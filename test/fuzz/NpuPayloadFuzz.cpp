// Fuzzes the Ethos-U payload parser, command-stream decoder, register-state
// machine, listing, cycle estimate (npu/estimate) and functional model
// (npu/Invoke.h) on arbitrary bytes:
// any input either runs or is a clean error. Input: a 2-byte little-endian
// flash length L (at most 4096), L bytes of flash (region 0), then the
// driver payload; the arena (region 1) is 4 KiB with a 64-byte IFM at 0 and
// a 64-byte OFM at 64. Seeds: test/fuzz/seeds/cop1-*.bin (hand-written
// streams, NpuPayloadFuzz seeds in scripts/fuzz.sh).
#include "FuzzSupport.h"

#include "npu/Invoke.h"
#include "npu/Listing.h"
#include "npu/estimate/CycleEstimate.h"

#include <vector>

using namespace edgec;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!fuzz::acceptInput(size) || size < 2) return -1;
  size_t flashBytes = size_t(data[0] | data[1] << 8);
  if (flashBytes > 4096 || flashBytes > size - 2) return -1;
  const uint8_t *flash = data + 2, *payload = data + 2 + flashBytes;
  const size_t payloadBytes = size - 2 - flashBytes;
  auto p = npu::parsePayload(payload, payloadBytes);
  if (p.isOk()) {
    auto cmds = npu::decodeCommandStream(p->stream);
    if (cmds.isOk()) {
      auto ops = npu::buildOperations(*cmds);
      if (ops.isOk()) {
        (void)npu::commandListing(*cmds, *ops);
        for (const npu::AcceleratorConfig &acc : npu::acceleratorConfigs())
          (void)npu::estimateNetwork(*ops, acc, npu::MemorySystem{});
      }
    }
  }
  std::vector<uint8_t> ifm(64, 0x5a);
  npu::InvokeRequest req;
  req.payload = {payload, payloadBytes};
  req.flash = {flash, flashBytes};
  req.scratchSize = 4096;
  req.scratchFastSize = 256;
  req.ifms = {{ifm.data(), ifm.size()}};
  req.ifmOffsets = {0};
  req.ofmBytes = {64};
  req.ofmOffsets = {64};
  // 2^22 multiply-accumulates an operation (the real limit is 2^30): an
  // input stays well inside libFuzzer's per-input timeout under ASan at -O1.
  req.maxOperationWork = int64_t(1) << 22;
  (void)npu::invokePayload(req);
  return 0;
}
