#include "npu/AcceleratorConfig.h"

#include <algorithm>
#include <cctype>

namespace edgec::npu {

int AcceleratorConfig::log2Macs() const {
  int l = 0;
  while ((1 << (l + 1)) <= macsPerCycle)
    ++l;
  return l;
}

const std::vector<AcceleratorConfig> &acceleratorConfigs() {
  // name, Vela name, product, MACs/cycle, cores, micro-block {h, w, d},
  // SHRAM banks, elementwise units, AXI bytes, outstanding DMAs. Vela writes
  // its micro-blocks as Block(w, h, d): the U55-128's (2, 1, 8) is 2 wide, 1 high.
  static const std::vector<AcceleratorConfig> configs = {
      {"ethos-u55-32", "Ethos_U55_32", Product::EthosU55, 32, 1, {1, 1, 4}, 16, 1, 8, 1},
      {"ethos-u55-64", "Ethos_U55_64", Product::EthosU55, 64, 1, {1, 1, 8}, 16, 2, 8, 1},
      {"ethos-u55-128", "Ethos_U55_128", Product::EthosU55, 128, 1, {1, 2, 8}, 24, 4, 8, 1},
      {"ethos-u55-256", "Ethos_U55_256", Product::EthosU55, 256, 1, {2, 2, 8}, 48, 8, 8, 1},
      {"ethos-u65-256", "Ethos_U65_256", Product::EthosU65, 256, 1, {2, 2, 8}, 48, 8, 16, 2},
      {"ethos-u65-512", "Ethos_U65_512", Product::EthosU65, 256, 2, {2, 2, 8}, 48, 8, 16, 2},
  };
  return configs;
}

static bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

Expected<const AcceleratorConfig *> findAcceleratorConfig(std::string_view name) {
  std::string known;
  for (const AcceleratorConfig &c : acceleratorConfigs()) {
    if (equalsIgnoreCase(name, c.name) || equalsIgnoreCase(name, c.velaName))
      return &c;
    known += known.empty() ? "" : ", ";
    known += c.name;
  }
  return makeError(ErrorCode::Usage,
                   "unknown NPU configuration '" + std::string(name) + "' (known: " + known + ")");
}

const AcceleratorConfig *findAcceleratorConfig(Product product, int macsPerCycle, int cores) {
  for (const AcceleratorConfig &c : acceleratorConfigs())
    if (c.product == product && c.macsPerCycle == macsPerCycle && c.cores == cores)
      return &c;
  return nullptr;
}

} // namespace edgec::npu
