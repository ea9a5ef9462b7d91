// NPU code generation for a model whose operators are all on the NPU: the
// lowering (NpuLowering.h), the command stream (npu/CommandStreamEncoder.h),
// the driver payload (npu/PayloadWriter.h) and the Vela-form TFLite file
// (NpuTfliteFile.h).
#pragma once

#include "ir/Graph.h"
#include "npu/AcceleratorConfig.h"

#include <string>

namespace edgec::ethosu {

struct CompiledNpuModel {
  std::string tflite;
  size_t operations = 0, streamWords = 0, flashBytes = 0;
  int64_t arenaBytes = 0;
  size_t cpuSoftmax = 0; ///< trailing SOFTMAX operators left to the CPU
};

/// A SOFTMAX (last axis, int8) producing a graph output from a value that
/// nothing else reads: the first slice has no NPU SOFTMAX, so it stays a
/// TFLite builtin after the `ethos-u` operator, run by the CPU.
bool isCpuTailSoftmax(const Graph &g, const Node &n);

/// Compiles the prepared model `m`. Errors (Unsupported): an operator or a
/// form the lowering does not take, named.
Expected<CompiledNpuModel> compileNpuModel(const Model &m, const npu::AcceleratorConfig &c,
                                           const std::string &name);

} // namespace edgec::ethosu
