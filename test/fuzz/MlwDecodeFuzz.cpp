// Fuzzes the Ethos-U weight-stream decoder (decodeWeightStream), which the
// functional model runs on the bytes WEIGHT_BASE/WEIGHT_LENGTH address in
// an `ethos-u` payload: any input either decodes or is a clean error; what
// decodes is in the 9-bit range and survives encode -> decode unchanged.
// Seeds: test/fuzz/seeds/mlw-*.bin (encoder output; scripts/fuzz.sh).
#include "FuzzSupport.h"

#include "npu/weights/MlwDecoder.h"
#include "npu/weights/MlwEncoder.h"

#include <cstdlib>

using namespace edgec;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!fuzz::acceptInput(size)) return -1;
  Expected<std::vector<int16_t>> v = npu::decodeWeightStream(data, size);
  if (!v.isOk()) return 0;
  for (int16_t x : *v)
    if (x < -255 || x > 255) std::abort();
  if (v->size() > (size_t(1) << 16)) return 0; // keep the re-encode quick
  std::vector<uint8_t> again = npu::encodeWeightStream(*v);
  Expected<std::vector<int16_t>> back = npu::decodeWeightStream(again.data(), again.size());
  if (!back.isOk() || *back != *v) std::abort();
  return 0;
}
