// Helpers shared by inference functions (and the kernels of lib/interp):
// broadcasting, int lists given as attribute or input, common rules.
#pragma once

#include "shape/Inference.h"
#include "shape/Window.h"

namespace edgec {

/// Numpy-style multidirectional broadcast of static shapes.
Expected<TensorShape> broadcastShapes(const NodeContext &ctx,
                                      const TensorShape &a,
                                      const TensorShape &b);
/// Broadcast of IR types (symbolic dims kept when they agree).
Expected<TensorType> broadcastTypes(const NodeContext &ctx,
                                    const TensorType &a, const TensorType &b,
                                    DataType resultType);

/// Inference: output 0 has input idx's type.
Status inferSameAsInput(InferContext &ctx, size_t idx);
/// Inference: output 0 has input 0's type (elementwise and data-moving
/// ops).
Status inferSameAsFirstInput(InferContext &ctx);
/// Inference: output 0 is the broadcast of all present inputs, with element
/// type `dtype` (Undefined = input 0's type).
Status inferBroadcast(InferContext &ctx,
                      DataType dtype = DataType::Undefined);

/// An int list given as attribute (early opsets) or input (later opsets).
/// The input wins when present; `known` is false during inference when the
/// input is present but not a constant.
struct IntList {
  bool present = false;
  bool known = true;
  std::vector<int64_t> v;
};
/// Input idx (when a known constant) or attribute `attr` of the node
/// (kernels read theirs from the input tensor, interp/kernels/CopyUtil.h).
IntList intList(const InferContext &ctx, size_t idx, const char *attr);

/// Length of a 1-D shape-like input when its type says so and it is a
/// plausible rank (declared types may hold absurd dims), else -1.
int64_t shapeInputLength(const TensorType &t);

/// Overflow-safe product of dims; false when it overflows int64.
inline bool mulInto(int64_t &acc, int64_t d) {
  return !__builtin_mul_overflow(acc, d, &acc);
}

} // namespace edgec
