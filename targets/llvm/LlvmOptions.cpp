// The triples of the LLVM target (see LlvmOptions.h).
#include "targets/llvm/LlvmOptions.h"

namespace edgec::llvmtarget {

const std::vector<TripleInfo> &tripleTable() {
  static const std::vector<TripleInfo> t = {
      {"x86_64-linux-gnu", "host", "x86-64", "-march=", "", true, "cc", "", "", ""},
      {"aarch64-linux-gnu", "host", "generic", "-mcpu=", "", true,
       "aarch64-linux-gnu-gcc", "-static", "qemu-aarch64", ""},
      {"thumbv7em-none-eabihf", "cortex-m4", "cortex-m4", "-mcpu=",
       "-isystem /usr/lib/arm-none-eabi/include", false, "arm-none-eabi-gcc", "", "qemu-system-arm", "cortex-m4"},
  };
  return t;
}

const TripleInfo *findTriple(const std::string &triple) {
  for (const TripleInfo &t : tripleTable())
    if (triple == t.triple) return &t;
  return nullptr;
}

} // namespace edgec::llvmtarget
