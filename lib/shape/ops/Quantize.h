// Shape rules of the Quantize family that its kernels
// (interp/kernels/Quantize.cpp) share with its inference.
#pragma once

#include "shape/InferUtil.h"

namespace edgec {

/// Output type of QuantizeLinear: zero point type, else output_dtype, else
/// uint8.
Expected<DataType> quantizeOutType(const NodeContext &ctx,
                                   const TensorType *zp);

Expected<DataType> dequantizeOutType(const NodeContext &ctx,
                                     DataType scaleType);

} // namespace edgec
