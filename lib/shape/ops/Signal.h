// Shape rules of the Signal family that its kernels
// (interp/kernels/Signal.cpp) share with its inference.
#pragma once

#include "shape/InferUtil.h"

namespace edgec {

/// Upper bound on a transform length (hostile lengths must not hang the
/// interpreter's direct DFT).
inline constexpr int64_t kMaxDftLength = int64_t(1) << 20;

/// The output_datatype attribute (ONNX type code, `dflt` when absent) as a
/// compute type (not bool).
Expected<DataType> outputDatatype(const NodeContext &ctx, int64_t dflt);

/// Axis, length and direction of a DFT, from attributes or inputs.
struct DftArgs {
  int64_t axis = 0;
  int64_t length = -1; ///< -1: default
  bool inverse = false, onesided = false;
};

/// The DftArgs of a node with input rank `rank` (length and axis inputs
/// when given).
Expected<DftArgs> dftArgs(const NodeContext &ctx, int64_t rank,
                          const Tensor *lengthIn, const Tensor *axisIn);

} // namespace edgec
