// Helpers for passes that rewrite weights: per-channel scaling of Conv,
// ConvTranspose and Gemm/MatMul weights computed in double and stored back in
// the weight's own element type.
#pragma once

#include "ir/Graph.h"

#include <optional>
#include <vector>

namespace edgec {

/// A constant's values broadcast to `channels` per-channel values along the
/// channel axis of an output of rank `outRank` (channel axis `axis`). Empty
/// when the constant does not broadcast that way (e.g. it varies along
/// another axis or would enlarge the output).
std::optional<std::vector<double>> perChannel(const Tensor &c, size_t outRank,
                                              size_t axis, int64_t channels);

/// Scales output channel o of a Conv weight [O, I/g, k...] by f[o].
Tensor scaleConvWeight(const Tensor &w, const std::vector<double> &f);
/// Scales output channel of a ConvTranspose weight [I, O/g, k...].
Tensor scaleConvTransposeWeight(const Tensor &w, const std::vector<double> &f,
                                int64_t group);
/// Scales output column j of a Gemm B ([K, N], or [N, K] when transB).
Tensor scaleGemmWeight(const Tensor &b, const std::vector<double> &f, bool transB);
/// A 1-D tensor of `dtype` holding v.
Tensor vectorTensor(DataType dtype, const std::vector<double> &v);
/// The bias vector of a Conv-like node (zeros when absent), length `channels`.
std::optional<std::vector<double>> biasValues(const Value *b, int64_t channels);

/// True for float element types whose weights passes may rewrite.
bool isRewritableFloat(DataType t);

} // namespace edgec

namespace edgec {

/// A Conv / ConvTranspose / Gemm whose weights can be rewritten: constant
/// float weight, constant (or absent) bias, output consumed once.
struct LinearAnchor {
  Node *node = nullptr;
  enum class Kind { Conv, ConvTranspose, Gemm } kind = Kind::Conv;
  const Tensor *weight = nullptr;
  int64_t channels = 0;
  size_t outRank = 0;           ///< rank of the output
  std::vector<double> bias;     ///< effective per-channel bias (beta*C for Gemm)
  bool transB = false;
  double alpha = 1.0;
};

/// Recognises `v`'s producer as a rewritable anchor (output 0 single use).
std::optional<LinearAnchor> matchLinearAnchor(Graph &g, const Value *v);

/// Replaces node `last` (whose output 0 becomes the result) by the anchor op
/// with weights scaled by `scale` per channel and the given bias.
Node *rebuildAnchor(Graph &g, const LinearAnchor &a, Node *last,
                    const std::vector<double> &scale,
                    const std::vector<double> &bias);

} // namespace edgec

namespace edgec {
/// When n is a MatMul of a rank-2 input by a constant rank-2 matrix, replaces
/// it by the equivalent Gemm (no C) and returns the Gemm; else nullptr.
Node *matMulAsGemm(Graph &g, Node *n);
} // namespace edgec
