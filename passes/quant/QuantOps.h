// The quantizer's view of each op with an integer kernel: which inputs are
// activations, weights, biases or parameters that stay as they are, how the
// output parameters are chosen, and whether 16-bit activations work.
#pragma once

#include "ir/Graph.h"

#include <set>
#include <string>

namespace edgec {

/// Model metadata key listing (one per line) the nodes the user kept in
/// float: fold-qdq leaves them alone even between DQ and Q, so the choice
/// survives the QDQ file.
inline constexpr const char *kFloatNodesMetadata = "edgec.float_nodes";
/// The set stored under kFloatNodesMetadata.
std::set<std::string> floatNodes(const Model &m);

enum class QuantInput {
  Data,   ///< an activation (or a constant quantized like one, per tensor)
  Weight, ///< int8 symmetric, per output channel when asked
  Bias,   ///< int32, scale = input scale x weight scale, zero point 0
  Param,  ///< left as it is (shapes, axes, float bounds)
};

enum class QuantOutput {
  Calibrated,  ///< from the calibrated range of the output
  SameAsInput, ///< input 0's parameters (data movement, max pooling)
  Fixed,       ///< TFLite's fixed output convention (Softmax, Sigmoid, Tanh)
};

struct QuantOpInfo {
  QuantOutput output = QuantOutput::Calibrated;
  bool int16 = true; ///< the integer kernel takes 16-bit activations
  /// Inputs after the first are one-element constants (lookup-table ops).
  bool lookupTable = false;
};

/// The op's entry, or nullptr when it has no integer kernel.
const QuantOpInfo *quantOpInfo(const std::string &opType);
/// The role of input i of a node whose op has an entry.
QuantInput quantInputRole(const Node &n, size_t i);
/// Output parameters of a QuantOutput::Fixed op for `t` (Int8 or Int16).
QuantParams fixedOutputParams(const std::string &opType, DataType t);
/// True when n has no fused activation or one the integer kernels apply
/// (Relu, Clip; LeakyRelu on Conv, Gemm and MatMul).
bool fusedActivationQuantizable(const Node &n);
/// The form both quantization passes need: a float32 output 0, no other
/// output in use, and a fused activation the integer kernels apply.
bool quantizableShape(const Graph &g, const Node &n);
/// Weight axis holding the output channels of input `i` of `n` (Conv: 0;
/// Gemm: 0 with transB, else 1; MatMul: the last axis).
int weightChannelAxis(const Node &n, size_t i, size_t rank);

} // namespace edgec
