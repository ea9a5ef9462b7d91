// The `edgec.` annotation vocabulary of the IR.
//
// Passes annotate standard ONNX nodes with attributes in the reserved
// `edgec.` namespace instead of inventing new ops, so every back end (and
// the interpreter) can read them:
//
//   edgec.activation        String: Relu, Clip, LeakyRelu, HardSwish,
//                           HardSigmoid, Sigmoid or Tanh, applied to output 0
//   edgec.activation.alpha  Float: LeakyRelu / HardSigmoid alpha
//   edgec.activation.beta   Float: HardSigmoid beta
//   edgec.activation.min    Float: Clip lower bound (absent: none)
//   edgec.activation.max    Float: Clip upper bound (absent: none)
//   edgec.layout            String "NHWC": data input 0 and output 0 are
//                           channels-last (N, spatial..., C); weights keep
//                           their ONNX layout
//
// The interpreter (Interpreter::runNode) runs an annotated node as the
// standard op wrapped in the equivalent transposes and followed by the
// activation, which is the definition the exporter and code generators must
// match.
#pragma once

#include "ir/Graph.h"

#include <string>
#include <vector>

namespace edgec {

inline constexpr const char *kFusedActivationAttr = "edgec.activation";
/// Registry domain of the integer (quantized) kernels: a node whose output 0
/// is an integer value carrying QuantParams runs the kernel registered as
/// ("edgec.int", op type) instead of the float one. Integer kernels read the
/// quantization parameters from the node's input/output Values and apply a
/// fused activation themselves, as a clamp of the quantized range.
inline constexpr const char *kIntegerKernelDomain = "edgec.int";
inline constexpr const char *kLayoutAttr = "edgec.layout";

/// True when the node carries an `edgec.activation` annotation.
bool hasFusedActivation(const Node &n);
/// True when n computes on quantized integers (see kIntegerKernelDomain):
/// default domain, output 0 an int8/uint8/int16/int32 value with QuantParams.
bool isQuantizedNode(const Node &n);
/// True when the node is annotated `edgec.layout = "NHWC"`.
bool isChannelsLast(const Node &n);
/// The activation ops that can be fused (in annotation spelling).
bool isFusibleActivation(const std::string &opType);

/// Builds the standalone activation node an annotation stands for (detached
/// from any graph; inputs/outputs empty). Error on an unknown annotation.
Expected<Node> fusedActivationNode(const Node &n);

/// Permutation from channels-first (N, C, spatial...) to channels-last and
/// back, for rank r >= 3.
std::vector<int64_t> toChannelsLastPerm(size_t rank);
std::vector<int64_t> toChannelsFirstPerm(size_t rank);
/// out[i] = in[perm[i]] (ONNX Transpose semantics) for any element type.
Tensor permuteTensor(const Tensor &t, const std::vector<int64_t> &perm);
TensorType permuteType(const TensorType &t, const std::vector<int64_t> &perm);

} // namespace edgec
