// Helpers shared by kernels: broadcasting, strides, common inference rules.
#pragma once

#include "interp/Kernel.h"

namespace edgec {

/// Numpy-style multidirectional broadcast of static shapes.
Expected<TensorShape> broadcastShapes(const NodeContext &ctx,
                                      const TensorShape &a,
                                      const TensorShape &b);
/// Broadcast of IR types (symbolic dims kept when they agree).
Expected<TensorType> broadcastTypes(const NodeContext &ctx,
                                    const TensorType &a, const TensorType &b,
                                    DataType resultType);

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

/// Inference: output 0 has input idx's type.
Status inferSameAsInput(InferContext &ctx, size_t idx = 0);
/// Inference: output 0 is the broadcast of all present inputs, with element
/// type `dtype` (Undefined = input 0's type).
Status inferBroadcast(InferContext &ctx,
                      DataType dtype = DataType::Undefined);

/// Registers an op whose kernel and inference first check that its
/// `required` leading inputs are present (hostile models may omit them).
void addOp(KernelRegistry &r, const char *name, size_t required, KernelFn run,
           InferFn infer);

/// Reads an optional int64 list input (e.g. axes) as a vector.
inline std::vector<int64_t> inputInts(const KernelContext &ctx, size_t i) {
  return ctx.hasInput(i) ? ctx.input(i).toInt64Vector()
                         : std::vector<int64_t>{};
}

} // namespace edgec
