// The Arm Ethos-U accelerator configurations edgec knows, as data: the one
// definition of each configuration's geometry that the payload checks, the
// functional model, the cycle estimator and the NPU compiler all read.
// Facts: ../shared/NPU-EDGETPU.md A.1 (Vela's ArchitectureFeatures and
// Accelerator enum, restated).
#pragma once

#include "support/Error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace edgec::npu {

enum class Product : uint8_t { EthosU55 = 0, EthosU65 = 1 };

/// OFM micro-block: the smallest unit of OFM the MAC array produces per
/// step; MACs per cycle = height * width * depth * 8 (an 8-wide dot product).
struct MicroBlock {
  int height = 1, width = 1, depth = 1;
};

struct AcceleratorConfig {
  std::string_view name;     ///< "ethos-u55-128" (the --npu-config spelling)
  std::string_view velaName; ///< "Ethos_U55_128" (Vela's --accelerator-config spelling)
  Product product = Product::EthosU55;
  int macsPerCycle = 0;      ///< per core
  int cores = 1;             ///< U65-512: two 256-MAC cores
  MicroBlock ofmMicroBlock;
  int shramBanks = 0;        ///< internal buffer, 1 KiB banks, per core
  int elementwiseUnits = 0;  ///< elementwise lanes per cycle
  int axiBytes = 0;          ///< AXI data width in bytes (U55 64-bit, U65 128-bit)
  int outstandingDma = 1;

  int shramBytes() const { return shramBanks * 1024; }
  /// log2(macsPerCycle): the field the driver payload's configuration word carries.
  int log2Macs() const;
};

/// Largest OFM block the hardware traverses (W x H x D) and the largest
/// sub-kernel (bigger kernels are split).
inline constexpr int kOfmBlockMaxWidth = 64, kOfmBlockMaxHeight = 32, kOfmBlockMaxDepth = 128;
inline constexpr int kSubKernelMax = 8;
/// Activation lookup table at the top of the internal buffer.
inline constexpr int kShramLutBytes = 2048;

/// Every configuration, U55 first, in MAC order.
const std::vector<AcceleratorConfig> &acceleratorConfigs();
/// By --npu-config name ("ethos-u55-128") or Vela's name ("Ethos_U55_128"),
/// case-insensitively; the error lists the known names.
Expected<const AcceleratorConfig *> findAcceleratorConfig(std::string_view name);
/// The configuration a payload's product / MAC count / core count describe,
/// or null.
const AcceleratorConfig *findAcceleratorConfig(Product product, int macsPerCycle, int cores = 1);

} // namespace edgec::npu
