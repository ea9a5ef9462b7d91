// Encoding of Ethos-U operation descriptors (Operation.h) into a register
// command stream: for each operation, every register the decoder reads for
// its kind is set from the descriptor's fields (the inverse of
// buildOperation), then the NPU_OP_* command; a shadow of the register file
// drops writes that would not change a register already written. DMA_WAIT
// is inserted before a block operation that follows a DMA, KERNEL_WAIT
// before a DMA that follows a block operation (conservative: wait for all),
// and the stream ends with NPU_OP_STOP. decodeCommandStream and
// buildOperations on the result give the same descriptors back (index and
// stream offset aside).
#pragma once

#include "npu/Operation.h"
#include "support/Error.h"

#include <array>
#include <cstdint>
#include <vector>

namespace edgec::npu {

/// Writes commands with the redundant register writes removed.
class CommandWriter {
public:
  void set0(uint16_t opcode, uint16_t param);
  void set1(uint16_t opcode, uint32_t data, uint16_t param = 0);
  void setAddress(uint16_t opcode, uint64_t address) {
    set1(opcode, uint32_t(address), uint16_t((address >> 32) & 0xFF));
  }
  /// An operation command (never dropped).
  void op(uint16_t opcode, uint16_t param = 0);
  const std::vector<uint32_t> &words() const { return words_; }
  /// Writes dropped because the register already held the value.
  size_t dropped() const { return dropped_; }

private:
  std::vector<uint32_t> words_;
  std::array<int32_t, 1024> cmd0_{};      ///< -1: never written
  std::array<uint64_t, 1024> cmd1_{};     ///< param << 32 | data
  std::array<bool, 1024> cmd1Written_{};
  bool init_ = false;
  size_t dropped_ = 0;
};

/// Appends the commands of `op` (registers, then the operation command).
/// Errors (Unsupported, naming the operation and field): a value the
/// register cannot hold (an extent over 65536, a stride over 8, a dilation
/// other than 1 or 2, a zero point outside 16 bits, an address over 40 bits).
Status encodeOperation(const Operation &op, CommandWriter &w);

/// The whole stream: every operation in order, the waits, NPU_OP_STOP.
Expected<std::vector<uint32_t>> encodeOperations(const std::vector<Operation> &ops);

} // namespace edgec::npu
