// Shared matching of the normalisation tail used by recognize-layernorm and
// recognize-rmsnorm:  n = d / Sqrt(ReduceMean(d^2) + eps)  [* scale] [+ bias].
#pragma once

#include "passes/recognize/MatchUtil.h"

namespace edgec {

struct NormMatch {
  Value *d = nullptr;      ///< the normalised quantity (x - mean, or x)
  Node *meanSq = nullptr;  ///< ReduceMean(d^2)
  double epsilon = 0;
  Node *div = nullptr;     ///< d / sqrt(...)
  int64_t axis = 0;        ///< first reduced axis (axes are a suffix)
  Value *scale = nullptr;  ///< constant, or nullptr
  Value *bias = nullptr;   ///< constant, or nullptr
  Node *root = nullptr;    ///< last node of the pattern
};

/// Matches starting at the Div (or Mul by Reciprocal) node `n`. `dUses` is
/// how many uses d must have inside the pattern (2 for LayerNorm: Sub
/// result squared and divided; RMSNorm: 2 as well, plus x's other users are
/// not constrained when d is the graph value x itself).
std::optional<NormMatch> matchNormTail(Graph &g, Node *n, bool dIsPatternInternal);

/// A constant `v` broadcast to exactly `shape` (nullopt if it doesn't fit).
std::optional<Tensor> materialize(const Tensor &v, const TensorShape &shape);

} // namespace edgec
