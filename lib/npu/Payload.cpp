#include "npu/Payload.h"

#include <cstring>

namespace edgec::npu {

namespace {

uint32_t wordAt(const uint8_t *p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

Error bad(size_t offset, const std::string &msg) {
  return Error(ErrorCode::InvalidModel,
               "Ethos-U payload: " + msg + " (byte " + std::to_string(offset) + ")");
}

PayloadConfig decodeConfig(uint32_t action, uint32_t cfg, uint32_t id) {
  PayloadConfig c;
  c.word = cfg;
  c.idWord = id;
  const uint32_t param = action >> 16;
  c.release = int(param & 0xF);
  c.patch = int((param >> 4) & 0xF);
  // CONFIG: macs_per_cc 3:0, cmd_stream_version 7:4, shram_size 15:8,
  // product 31:28.
  c.macsLog2 = int(cfg & 0xF);
  c.streamVersion = int((cfg >> 4) & 0xF);
  c.shramKb = int((cfg >> 8) & 0xFF);
  c.product = int(cfg >> 28);
  // ID: arch_patch_rev 19:16, arch_minor_rev 27:20, arch_major_rev 31:28.
  c.archPatch = int((id >> 16) & 0xF);
  c.archMinor = int((id >> 20) & 0xFF);
  c.archMajor = int(id >> 28);
  return c;
}

} // namespace

uint32_t configWordFor(const AcceleratorConfig &c) {
  int macs = c.macsPerCycle * c.cores, l = 0;
  while ((1 << (l + 1)) <= macs)
    ++l;
  const uint32_t shramKb = uint32_t(c.shramBanks * c.cores) & 0xFF;
  return uint32_t(l) | shramKb << 8 | uint32_t(c.product == Product::EthosU65 ? 1 : 0) << 28;
}

uint32_t archIdWord() {
  return uint32_t(kArchPatch) << 16 | uint32_t(kArchMinor) << 20 | uint32_t(kArchMajor) << 28;
}

Expected<Payload> parsePayload(const uint8_t *data, size_t size) {
  if (size < 4) return bad(0, "too short for the COP1 magic (" + std::to_string(size) + " bytes)");
  if (size % 4 != 0)
    return bad(size, "size " + std::to_string(size) + " is not a multiple of 4");
  if (wordAt(data) != kPayloadMagic) return bad(0, "magic is not \"COP1\"");
  Payload p;
  const size_t words = size / 4;
  bool haveStream = false;
  for (size_t w = 1; w < words;) {
    const uint32_t a = wordAt(data + 4 * w);
    const uint8_t code = uint8_t(a & 0xFF);
    switch (code) {
    case action::OptimizerConfig: {
      if (w + 3 > words) return bad(4 * w, "OPTIMIZER_CONFIG truncated");
      if (p.hasConfig) return bad(4 * w, "second OPTIMIZER_CONFIG");
      p.config = decodeConfig(a, wordAt(data + 4 * (w + 1)), wordAt(data + 4 * (w + 2)));
      p.hasConfig = true;
      w += 3;
      break;
    }
    case action::CommandStream: {
      if (haveStream) return bad(4 * w, "second COMMAND_STREAM (Vela writes one)");
      // 24-bit length in words: the reserved byte holds bits 23:16.
      const size_t len = size_t((a >> 8) & 0xFF) << 16 | size_t(a >> 16);
      const size_t start = w + 1;
      if (len > words - start)
        return bad(4 * w, "COMMAND_STREAM of " + std::to_string(len) + " words overruns the " +
                              std::to_string(size) + "-byte payload");
      if ((4 * start) % 16 != 0)
        return bad(4 * start, "command stream is not 16-byte aligned");
      if (len == 0) return bad(4 * w, "empty COMMAND_STREAM");
      p.streamOffset = 4 * start;
      p.stream.resize(len);
      for (size_t i = 0; i < len; ++i)
        p.stream[i] = wordAt(data + 4 * (start + i));
      haveStream = true;
      w = start + len;
      break;
    }
    case action::Nop:
      ++p.nops;
      ++w;
      break;
    default:
      return bad(4 * w, "unsupported driver action " + std::to_string(code));
    }
  }
  if (!p.hasConfig) return bad(4, "no OPTIMIZER_CONFIG action");
  if (!haveStream) return bad(size, "no COMMAND_STREAM action");
  return p;
}

Status checkPayloadConfig(const Payload &p, const AcceleratorConfig &hw) {
  const PayloadConfig &c = p.config;
  const uint32_t want = configWordFor(hw);
  const int wantProduct = int(want >> 28), wantMacs = int(want & 0xF);
  std::string why;
  if (c.product != wantProduct)
    why += " product " + std::to_string(c.product) + " vs " + std::to_string(wantProduct) + ";";
  if (c.macsLog2 != wantMacs)
    why += " log2 MACs " + std::to_string(c.macsLog2) + " vs " + std::to_string(wantMacs) + ";";
  if (c.streamVersion != 0)
    why += " stream version " + std::to_string(c.streamVersion) + " vs 0;";
  if (c.archMajor != kArchMajor || c.archMinor > kArchMinor)
    why += " architecture " + std::to_string(c.archMajor) + "." + std::to_string(c.archMinor) +
           "." + std::to_string(c.archPatch) + " vs " + std::to_string(kArchMajor) + "." +
           std::to_string(kArchMinor) + "." + std::to_string(kArchPatch) + ";";
  if (why.empty()) return Status::ok();
  why.pop_back();
  return Error(ErrorCode::InvalidModel, "Ethos-U payload configuration does not match " +
                                            std::string(hw.name) + " (payload vs hardware:" +
                                            why + ")");
}

const AcceleratorConfig *payloadAccelerator(const Payload &p) {
  for (const AcceleratorConfig &c : acceleratorConfigs()) {
    const uint32_t w = configWordFor(c);
    if (int(w >> 28) == p.config.product && int(w & 0xF) == p.config.macsLog2) return &c;
  }
  return nullptr;
}

std::string describeConfig(const PayloadConfig &c) {
  std::string s = c.product == 0 ? "Ethos-U55" : c.product == 1 ? "Ethos-U65" : "product " +
                                                                                   std::to_string(c.product);
  s += ", " + std::to_string(1L << (c.macsLog2 & 31)) + " MACs/cycle, " + std::to_string(c.shramKb) +
       " KiB internal buffer, stream v" + std::to_string(c.streamVersion) + ", arch " +
       std::to_string(c.archMajor) + "." + std::to_string(c.archMinor) + "." +
       std::to_string(c.archPatch) + ", compiler release " + std::to_string(c.release) + "." +
       std::to_string(c.patch);
  return s;
}

} // namespace edgec::npu
