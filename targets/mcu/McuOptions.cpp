#include "targets/mcu/McuOptions.h"

namespace edgec::mcu {

const std::vector<CpuInfo> &cpuTable() {
  static const std::vector<CpuInfo> t = {
      {"cortex-m0", false, false, false, "microbit"},
      {"cortex-m3", false, false, false, "mps2-an385"},
      {"cortex-m4", true, false, true, "mps2-an386"},
      {"cortex-m7", true, false, true, "mps2-an500"},
      {"cortex-m33", true, false, true, "mps2-an505"},
      {"cortex-m55", true, true, true, "mps3-an547"},
      {"host", false, false, true, ""},
  };
  return t;
}

const CpuInfo *findCpu(const std::string &name) {
  for (const CpuInfo &c : cpuTable())
    if (name == c.name || "cortex-" + name == c.name) return &c;
  return nullptr;
}

} // namespace edgec::mcu
