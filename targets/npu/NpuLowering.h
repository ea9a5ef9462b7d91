// Lowering of the NPU-placed part of a prepared int8 model (NpuTarget's
// TFLite form: NHWC, QDQ folded, shapes inferred) to Ethos-U operation
// descriptors (npu/Operation.h), the flash region (encoded weights and
// scale/bias streams) and the arena layout (lib/plan, 16-byte aligned).
// The first slice: whole feature maps in NHWC in region 1 (the arena),
// weights and scales read in place from region 0 (the flash; no DMA), one
// NPU operation per node: CONV_2D and DEPTHWISE_CONV_2D (multiplier 1),
// FULLY_CONNECTED (Gemm / MatMul as a 1x1 convolution), MAX_POOL_2D and
// AVERAGE_POOL_2D, ADD and MUL (two same-shape feature maps), each with its
// fused ReLU/ReLU6 clamp; RESHAPE as an alias
// of its input's bytes. Anything else is
// an Unsupported error naming the node.
#pragma once

#include "ir/Graph.h"
#include "npu/AcceleratorConfig.h"
#include "npu/Operation.h"
#include "npu/estimate/MemorySystem.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace edgec::ethosu {

/// Regions as the driver binds them (npu/EthosUNode.h).
inline constexpr int kNpuFlashRegion = 0, kNpuArenaRegion = 1;
/// Feature maps and flash streams start on 16-byte boundaries.
inline constexpr int64_t kNpuAlignment = 16;

struct NpuProgram {
  std::vector<npu::Operation> ops;
  std::vector<uint8_t> flash;
  int64_t arenaSize = 0;
  std::map<const Value *, int64_t> offsets; ///< arena offset of every feature map
  /// Arena scratch of a node that needs one (a convolution with a fused
  /// LeakyRelu: its output size, live during the node).
  std::map<const Node *, int64_t> temps;
  /// Set: convolutions search their block configuration on this memory
  /// system (searchBlockConfig); unset: chooseBlockConfig's first fit.
  std::optional<npu::MemorySystem> memory;
};

/// Appends `bytes` to the flash at a 16-byte boundary; returns its offset.
int64_t appendFlash(NpuProgram &p, const std::vector<uint8_t> &bytes);

/// The NHWC feature map of `v` at its arena offset (rank 4 [1,H,W,C], rank
/// 2 [1,C] as 1x1xC). Error: another rank, a batch other than 1, a type
/// other than int8/uint8, no per-tensor quantization.
Expected<npu::FeatureMap> featureMapOf(const NpuProgram &p, const Value *v);

/// Chooses the OFM block and the internal-buffer layout of a block
/// operation (NpuBlockConfig.cpp): the largest block (height, then width,
/// halved in turn) whose double-buffered IFM and accumulator banks fit the
/// internal buffer of `c`. Error when even a 1x1 block does not fit.
Status chooseBlockConfig(npu::Operation &op, const npu::AcceleratorConfig &c);

/// Block-config search (Vela searches too): every block whose height,
/// width and depth split the OFM evenly (ceil(n/k); depth a multiple of the
/// micro-block, up to the hardware's 32x64x128) and fits the internal
/// buffer, estimated with the cycle estimator (npu/estimate) on memory
/// system `mem` with `weightBytes` of weights; the cheapest wins (ties: the
/// first, largest), else chooseBlockConfig's.
Status searchBlockConfig(npu::Operation &op, const npu::AcceleratorConfig &c,
                         const npu::MemorySystem &mem, uint32_t weightBytes);

/// The fused activation of `n` as the ACTIVATION_MIN/MAX clamp (quantized
/// output units), TFL rounding, and the block configuration.
Status finishOperation(const Node &n, const npu::AcceleratorConfig &c, npu::Operation &op);

/// One node (NpuLowerConv.cpp: Conv, Gemm, MatMul; NpuLowerPool.cpp:
/// MaxPool, AveragePool): appends its operation(s) and flash streams.
Status lowerConvolution(const Node &n, const npu::AcceleratorConfig &c, NpuProgram &p);
Status lowerFullyConnected(const Node &n, const npu::AcceleratorConfig &c, NpuProgram &p);
Status lowerPool(const Node &n, const npu::AcceleratorConfig &c, NpuProgram &p);
/// GlobalAveragePool (TFLite's MEAN) quantized unlike its input: an
/// AVERAGE over the whole input with the folded 1/count global scale.
Status lowerGlobalAveragePool(const Node &n, const npu::AcceleratorConfig &c, NpuProgram &p);
/// NpuLowerElementwise.cpp: Add and Mul of two same-shape int8 feature maps.
Status lowerElementwise(const Node &n, const npu::AcceleratorConfig &c, NpuProgram &p);

/// NpuLowerLut.cpp: an int8 elementwise activation (Sigmoid, Tanh,
/// HardSwish, HardSigmoid, LeakyRelu, Relu, Clip, Elu, Gelu, Exp, Abs, Neg)
/// as a lookup table the interpreter's kernel fills, DMAed into the
/// internal buffer, and a 1x1 pool through it.
bool isNpuLutNode(const Node &n);
Status lowerLut(const Node &n, const npu::AcceleratorConfig &c, NpuProgram &p);

/// Reshape, Flatten, Squeeze and Unsqueeze of an activation with equal
/// quantization: no operation, the output is the input's arena bytes.
bool isNpuAlias(const Node &n);

/// The arena of every activation an NPU node (one of `npuNodes`) reads or
/// writes, planned over the whole graph's schedule (graph inputs live from
/// the start, outputs to the end), so that every `ethos-u` operator of the
/// model shares it; `ops` and `flash` are left empty.
Expected<NpuProgram> planNpuArena(const Graph &g, const std::set<const Node *> &npuNodes);

/// Appends node n's operations and flash streams to p (an alias: none).
/// Error (Unsupported): a node or form the lowering does not take.
Status lowerNpuNode(const Node &n, const npu::AcceleratorConfig &c, NpuProgram &p);

} // namespace edgec::ethosu
