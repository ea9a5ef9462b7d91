// NPU code generation with CPU fallback, in the form Vela writes: the
// nodes placed on the NPU are lowered (NpuLowering.h); each run of
// consecutive NPU nodes becomes one `ethos-u` operator (its own command
// stream, npu/CommandStreamEncoder.h, in its own driver payload,
// npu/PayloadWriter.h, and its own flash); every other node stays an
// ordinary TFLite builtin between them, run by the CPU (TFLite Micro, or
// edgec's interpreter). One arena plan covers every `ethos-u` operator's
// feature maps (their offsets are the file's OfflineMemoryAllocation). The
// file is written by the TFLite writer (tflite/TfliteWriter.h), which
// writes edgec.npu.EthosU nodes as Vela's CUSTOM `ethos-u` operators.
#pragma once

#include "ir/Graph.h"
#include "npu/AcceleratorConfig.h"
#include "npu/estimate/MemorySystem.h"
#include "tflite/TfliteProfile.h"

#include <set>
#include <string>
#include <vector>

namespace edgec::ethosu {

/// A node placed on the NPU that code generation left to the CPU.
struct NpuCpuNode {
  const Node *node = nullptr;
  std::string reason;
};

struct CompiledNpuModel {
  std::string tflite;
  size_t operations = 0, streamWords = 0, flashBytes = 0;
  int64_t arenaBytes = 0;
  size_t ethosuOperators = 0; ///< `ethos-u` custom operators (NPU segments)
  size_t cpuOperators = 0;    ///< nodes written as TFLite builtins
  std::vector<NpuCpuNode> loweringFallbacks;
};

/// Compiles the prepared model `m` whose nodes in `onNpu` were placed on
/// the NPU; the others (and any NPU node the lowering does not take, or a
/// run of memory-only NPU nodes without an NPU operation) are written as
/// TFLite builtins. Errors: no node runs on the NPU (Unsupported), a CPU
/// node the TFLite writer cannot write (Unsupported, named).
/// Convolutions search their block configuration and weight order with
/// the cycle estimator on memory system `mem` (NpuLowering.h).
Expected<CompiledNpuModel> compileNpuModel(const Model &m, const std::set<const Node *> &onNpu,
                                           const npu::AcceleratorConfig &c,
                                           const npu::MemorySystem &mem,
                                           const TfliteProfile &profile, const std::string &name);

} // namespace edgec::ethosu
