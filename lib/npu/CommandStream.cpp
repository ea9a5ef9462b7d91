#include "npu/CommandStream.h"

#include <cstdio>

namespace edgec::npu {

namespace {
Error bad(size_t offset, const std::string &msg) {
  char at[32];
  std::snprintf(at, sizeof at, "0x%06zx", offset);
  return Error(ErrorCode::InvalidModel, "Ethos-U command stream at " + std::string(at) + ": " + msg);
}
} // namespace

Expected<std::vector<Command>> decodeCommandStream(const std::vector<uint32_t> &words) {
  std::vector<Command> out;
  bool stopped = false;
  for (size_t i = 0; i < words.size();) {
    const uint32_t w = words[i];
    Command c;
    c.offset = 4 * i;
    c.opcode = uint16_t(w & kOpcodeMask);
    c.param = uint16_t(w >> 16);
    const uint32_t mode = (w >> kPayloadShift) & 3;
    if (stopped) return bad(c.offset, "command after NPU_OP_STOP");
    if (mode == 0) {
      if ((w >> 10) & 0xF) return bad(c.offset, "must-be-zero bits 13:10 set in a cmd0 word");
      c.info = findCommand(false, c.opcode);
      if (!c.info) return bad(c.offset, "unknown cmd0 opcode " + std::to_string(c.opcode));
      ++i;
    } else if (mode == 1) {
      if ((w >> 10) & 0xF) return bad(c.offset, "must-be-zero bits 13:10 set in a cmd1 word");
      if (i + 1 >= words.size()) return bad(c.offset, "cmd1 without its payload word");
      c.cmd1 = true;
      c.data = words[i + 1];
      c.info = findCommand(true, c.opcode);
      if (!c.info) return bad(c.offset, "unknown cmd1 opcode " + std::to_string(c.opcode));
      i += 2;
    } else {
      return bad(c.offset, "reserved payload mode " + std::to_string(mode));
    }
    if (!c.cmd1 && c.opcode == op0::Stop) stopped = true;
    out.push_back(c);
  }
  if (!stopped) return bad(4 * words.size(), "no NPU_OP_STOP at the end of the stream");
  return out;
}

} // namespace edgec::npu
