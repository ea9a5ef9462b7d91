// The TFLite file of an NPU-compiled model in the form Vela writes it
// (../shared/NPU-EDGETPU.md A.4, A.9): one subgraph holding one CUSTOM
// `ethos-u` operator whose inputs are the driver payload (uint8 constant),
// the flash (uint8 constant), the scratch (the arena, region 1) and the
// scratch_fast tensors, then the IFMs; its outputs are the OFMs. The
// OfflineMemoryAllocation metadata places the IFMs and OFMs in the arena
// (the scratch at 0). SOFTMAX operators may follow on the CPU (builtins,
// their outputs planned online). The TFLite reader (tflite/read/EthosU.cpp) imports it
// as an edgec.npu.EthosU node.
#pragma once

#include "ir/Graph.h"
#include "support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace edgec::ethosu {

struct NpuTfliteIo {
  const Value *value = nullptr; ///< name, type, shape and quantization
  int64_t offset = 0;           ///< in the arena
};

/// A SOFTMAX builtin (beta 1) after the `ethos-u` operator, run by the CPU.
struct NpuTfliteSoftmax {
  const Value *input = nullptr;  ///< one of the `ethos-u` outputs
  const Value *output = nullptr; ///< a model output
};

struct NpuTfliteModel {
  std::vector<uint8_t> payload, flash;
  int64_t arenaSize = 0;
  /// The `ethos-u` operator's IFMs and OFMs (arena offsets).
  std::vector<NpuTfliteIo> inputs, outputs;
  std::vector<NpuTfliteSoftmax> softmax;
  std::string description = "edgec";
};

/// The file's bytes (deterministic). Error: an IFM/OFM without a static
/// shape or a TFLite type.
Expected<std::string> writeNpuTflite(const NpuTfliteModel &m);

} // namespace edgec::ethosu
