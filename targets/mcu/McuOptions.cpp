#include "targets/mcu/McuOptions.h"

namespace edgec::mcu {

const std::vector<CpuInfo> &cpuTable() {
  static const std::vector<CpuInfo> t = {
      // QEMU machines and their memory (docs/platform.md); Cortex-M0 code
      // runs on the AN385 (ARMv6-M is a subset of ARMv7-M).
      {"cortex-m0", false, false, false, "mps2-an385", 4 << 20, 4 << 20},
      {"cortex-m3", false, false, false, "mps2-an385", 4 << 20, 4 << 20},
      {"cortex-m4", true, false, true, "mps2-an386", 4 << 20, 4 << 20},
      {"cortex-m7", true, false, true, "mps2-an500", 4 << 20, 4 << 20},
      {"cortex-m33", true, false, true, "mps2-an505", 4 << 20, 4 << 20},
      {"cortex-m55", true, true, true, "mps3-an547", 2 << 20, 4 << 20},
      {"host", false, false, true, "", 0, 0},
  };
  return t;
}

const CpuInfo *findCpu(const std::string &name) {
  for (const CpuInfo &c : cpuTable())
    if (name == c.name || "cortex-" + name == c.name) return &c;
  return nullptr;
}

} // namespace edgec::mcu
