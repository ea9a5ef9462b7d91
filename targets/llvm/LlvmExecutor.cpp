// Running an LLVM target package (see LlvmExecutor.h).
#include "targets/llvm/LlvmExecutor.h"

#include "support/Process.h"
#include "targets/common/CHarness.h"

namespace edgec::llvmtarget {

std::string LlvmExecutor::name() const {
  return *triple_.runner ? std::string(triple_.runner) + " (" + triple_.triple + ")" : "host";
}

Expected<target::ExecResult> LlvmExecutor::run(const target::ExecRequest &r) const {
  for (const char *tool : {triple_.linker, triple_.runner})
    if (*tool && findOnPath(tool).empty())
      return Error(ErrorCode::Unsupported, std::string("running ") + triple_.triple +
                                               " objects needs " + tool + " (not found)");
  // No per-layer probes in an object: totals only.
  target::ExecRequest plain = r;
  plain.profile = false;
  return target::runCPackage(plain, "host");
}

} // namespace edgec::llvmtarget
