#include "npu/PayloadWriter.h"

#include "npu/Payload.h"

namespace edgec::npu {

Expected<std::vector<uint32_t>> payloadWords(const AcceleratorConfig &c,
                                             const std::vector<uint32_t> &stream) {
  const size_t n = stream.size();
  if (n == 0 || n > 0xFFFFFF)
    return Error(ErrorCode::Unsupported, "Ethos-U payload: a command stream of " +
                                             std::to_string(n) + " words (1..16777215)");
  std::vector<uint32_t> w = {kPayloadMagic};
  w.push_back(action::OptimizerConfig | uint32_t(kWriterRelease | kWriterPatch << 4) << 16);
  w.push_back(configWordFor(c));
  w.push_back(archIdWord());
  while ((w.size() + 1) % 4) w.push_back(action::Nop);
  w.push_back(action::CommandStream | uint32_t((n >> 16) & 0xFF) << 8 | uint32_t(n & 0xFFFF) << 16);
  w.insert(w.end(), stream.begin(), stream.end());
  return w;
}

std::vector<uint8_t> wordBytes(const std::vector<uint32_t> &words) {
  std::vector<uint8_t> b;
  b.reserve(4 * words.size());
  for (uint32_t v : words)
    for (int i = 0; i < 4; ++i) b.push_back(uint8_t(v >> (8 * i)));
  return b;
}

} // namespace edgec::npu
