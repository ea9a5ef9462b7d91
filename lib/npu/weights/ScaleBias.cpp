#include "npu/weights/ScaleBias.h"

#include <string>

namespace edgec::npu {

Status encodeScaleBias(const ScaleBiasEntry &e, uint8_t out[kScaleBiasEntryBytes]) {
  constexpr int64_t kBiasLimit = int64_t(1) << 39;
  if (e.bias < -kBiasLimit || e.bias >= kBiasLimit)
    return makeError(ErrorCode::Unsupported,
                     "bias " + std::to_string(e.bias) + " does not fit 40 signed bits");
  if (e.shift > 63)
    return makeError(ErrorCode::Unsupported,
                     "scale shift " + std::to_string(int(e.shift)) + " exceeds 63");
  uint64_t bias = uint64_t(e.bias);
  for (int i = 0; i < 5; ++i)
    out[i] = uint8_t(bias >> (8 * i));
  for (int i = 0; i < 4; ++i)
    out[5 + i] = uint8_t(e.multiplier >> (8 * i));
  out[9] = uint8_t(e.shift & 0x3F);
  return Status();
}

ScaleBiasEntry decodeScaleBias(const uint8_t in[kScaleBiasEntryBytes]) {
  uint64_t bias = 0;
  for (int i = 0; i < 5; ++i)
    bias |= uint64_t(in[i]) << (8 * i);
  if (bias & (uint64_t(1) << 39)) // sign-extend 40 bits
    bias |= ~((uint64_t(1) << 40) - 1);
  ScaleBiasEntry e;
  e.bias = int64_t(bias);
  for (int i = 0; i < 4; ++i)
    e.multiplier |= uint32_t(in[5 + i]) << (8 * i);
  e.shift = uint8_t(in[9] & 0x3F);
  return e;
}

Expected<std::vector<uint8_t>> encodeScaleBiasStream(const std::vector<ScaleBiasEntry> &entries) {
  std::vector<uint8_t> out((entries.size() * kScaleBiasEntryBytes + 15) / 16 * 16, 0);
  for (size_t i = 0; i < entries.size(); ++i) {
    Status s = encodeScaleBias(entries[i], &out[i * kScaleBiasEntryBytes]);
    if (!s.isOk())
      return s.error().withContext("output channel " + std::to_string(i) + ": ");
  }
  return out;
}

Expected<std::vector<ScaleBiasEntry>> decodeScaleBiasStream(const uint8_t *data, size_t size,
                                                            size_t count) {
  if (count > size / kScaleBiasEntryBytes || (count > 0 && !data))
    return makeError(ErrorCode::InvalidModel,
                     "scale stream of " + std::to_string(size) + " bytes is too short for " +
                         std::to_string(count) + " output channels");
  std::vector<ScaleBiasEntry> out(count);
  for (size_t i = 0; i < count; ++i)
    out[i] = decodeScaleBias(data + i * kScaleBiasEntryBytes);
  return out;
}

} // namespace edgec::npu
