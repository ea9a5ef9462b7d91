// Pointwise chain fusion of the GPU target: a pointwise node (elementwise
// math, activations, Clip) whose only consumer is the next node of the
// schedule, itself pointwise and of the same output shape, runs inside that
// consumer's kernel: its value stays in a register and its step has no
// code. Chains are linear and of any length. The consumer's step reads the
// chain's inputs (Step::alsoReads keeps them live in the memory plan).
#pragma once

#include "ir/Graph.h"
#include "targets/Partition.h"

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace edgec::gpu {

class FusionPlan {
public:
  /// The node fused into n, or null.
  const Node *producerOf(const Node &n) const;
  /// The node n is fused into, or null.
  const Node *consumerOf(const Node &n) const;
  void fuse(const Node &producer, const Node &consumer);
  int fusedCount() const { return int(into_.size()); }

private:
  // Lookup only; never iterated.
  std::unordered_map<const Node *, const Node *> from_, into_;
};

/// Plans the chains of m's schedule among the nodes p places on `target`;
/// `pointwise` says which nodes may join one.
FusionPlan planPointwiseFusion(const Model &m, const target::Partition &p, const std::string &target,
                               const std::function<bool(const Node &)> &pointwise);

} // namespace edgec::gpu
