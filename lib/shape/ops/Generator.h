// Shape rules of the Generator family that its kernels
// (interp/kernels/Generator.cpp) share with its inference.
#pragma once

#include "shape/InferUtil.h"

namespace edgec {

/// Constant: exactly one of value, value_float(s), value_int(s),
/// value_string(s), sparse_value.
Expected<Tensor> constantValue(const NodeContext &ctx);

/// ConstantOfShape: a tensor of the given shape filled with the one-element
/// `value` attribute (default float32 0).
Expected<Tensor> fillValue(const NodeContext &ctx);

/// EyeLike: 2-D, ones on diagonal k, optional output dtype.
Expected<DataType> eyeType(const NodeContext &ctx, DataType in);

} // namespace edgec
