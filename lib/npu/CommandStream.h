// Decoding of an Ethos-U register command stream: 32-bit words to commands
// (cmd0: one word, a 16-bit parameter; cmd1: two words, a parameter and a
// 32-bit payload), every opcode checked against the table in Registers.h.
#pragma once

#include "npu/Registers.h"
#include "support/Error.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace edgec::npu {

struct Command {
  size_t offset = 0; ///< byte offset in the stream
  uint16_t opcode = 0;
  bool cmd1 = false;
  uint16_t param = 0;
  uint32_t data = 0; ///< cmd1 payload
  const CommandInfo *info = nullptr;
};

/// Decodes the whole stream. Errors (InvalidModel, naming the byte offset):
/// an unknown opcode, non-zero must-be-zero bits, a reserved payload mode, a
/// cmd1 cut off by the end, a stream without NPU_OP_STOP, and commands after
/// it.
Expected<std::vector<Command>> decodeCommandStream(const std::vector<uint32_t> &words);

} // namespace edgec::npu
