// Helpers shared by kernels: broadcast indexing, registration with
// required inputs, optional int-list inputs (with lib/shape's broadcasting
// and inference helpers, which kernels use too).
#pragma once

#include "interp/Kernel.h"
#include "shape/InferUtil.h"

namespace edgec {

/// Maps flat output indices to flat indices of an input broadcast to `out`.
class BroadcastIndexer {
public:
  BroadcastIndexer(const TensorShape &in, const TensorShape &out);
  int64_t map(int64_t outIndex) const;
  /// True when the input has the same shape as the output (identity map).
  bool isIdentity() const { return identity_; }

private:
  std::vector<int64_t> outStrides_, inStrides_; // inStrides_ 0 where broadcast
  bool identity_ = false;
  bool scalar_ = false;
};

/// Registers an op whose kernel first checks that its `required` leading
/// inputs are present (requireInputs; the inference does the same,
/// InferRegistry::add).
void addOp(KernelRegistry &r, const char *name, size_t required,
           KernelFn run);

/// Reads an optional int64 list input (e.g. axes) as a vector.
inline std::vector<int64_t> inputInts(const KernelContext &ctx, size_t i) {
  return ctx.hasInput(i) ? ctx.input(i).toInt64Vector()
                         : std::vector<int64_t>{};
}

} // namespace edgec
