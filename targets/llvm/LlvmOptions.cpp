// The triples of the LLVM target (see LlvmOptions.h).
#include "targets/llvm/LlvmOptions.h"

namespace edgec::llvmtarget {

const std::vector<TripleInfo> &tripleTable() {
  static const std::vector<TripleInfo> t = {
      {"x86_64-linux-gnu", "x86-64", "host", "x86-64", "-march=", "", true, "cc", "", "", 3},
      {"aarch64-linux-gnu", "aarch64", "host", "generic", "-mcpu=", "", true,
       "aarch64-linux-gnu-gcc", "-static", "qemu-aarch64", 3},
      {"thumbv7em-none-eabihf", "thumb", "cortex-m4", "cortex-m4", "-mcpu=",
       "-isystem /usr/lib/arm-none-eabi/include", false, "", "", "", 2},
  };
  return t;
}

const TripleInfo *findTriple(const std::string &triple) {
  for (const TripleInfo &t : tripleTable())
    if (triple == t.triple) return &t;
  return nullptr;
}

} // namespace edgec::llvmtarget
