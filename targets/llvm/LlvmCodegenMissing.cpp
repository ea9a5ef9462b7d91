// Builds without LLVM 14 (llvm-14-dev): the llvm target reports it.
#include "targets/llvm/LlvmCodegen.h"

namespace edgec::llvmtarget {

namespace {
Error missing() {
  return Error(ErrorCode::Unsupported,
               "this edgec was built without LLVM 14 (install llvm-14-dev and rebuild)");
}
} // namespace

Status checkCpu(const TripleInfo &, const std::string &, const std::string &) { return missing(); }
Expected<CodegenResult> compileObject(const CodegenRequest &) { return missing(); }

} // namespace edgec::llvmtarget
