// Running an LLVM target package (see LlvmExecutor.h).
#include "targets/llvm/LlvmExecutor.h"

#include "support/Process.h"
#include "targets/common/CHarness.h"

namespace edgec::llvmtarget {

std::string LlvmExecutor::name() const {
  if (*triple_.boardCpu) return std::string("qemu ") + triple_.boardCpu + " (" + triple_.triple + ")";
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
  return target::runCPackage(plain, *triple_.boardCpu ? triple_.boardCpu : "host");
}

} // namespace edgec::llvmtarget
