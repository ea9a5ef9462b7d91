// A readable listing of a command stream, in the layout of Vela's
// --verbose-register-command-stream (offset, payload, parameter, code,
// command name), each operation followed by its decoded descriptor.
#pragma once

#include "npu/Operation.h"

#include <string>

namespace edgec::npu {

/// One line per command; after each NPU_OP_* the operation's descriptor
/// (feature maps, kernel, weights/scales, output stage, block config).
std::string commandListing(const std::vector<Command> &cmds, const std::vector<Operation> &ops);

/// The descriptor of one operation, indented lines.
std::string describeOperation(const Operation &op);

} // namespace edgec::npu
