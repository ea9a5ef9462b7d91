// Reusable single-precision matrix multiply for the float kernels (MatMul,
// Gemm, Conv, ConvTranspose...). Accumulates in float, like ONNX Runtime's
// MLAS does, so results match it within the ONNX test tolerances.
#pragma once

#include "ir/Tensor.h"

#include <cstdint>
#include <vector>

namespace edgec {

/// A strided matrix operand: element (r, c) is at data[r * rowStride +
/// c * colStride]. Transposes are expressed by swapping the strides.
struct MatrixView {
  const float *data = nullptr;
  int64_t rowStride = 0;
  int64_t colStride = 1;
};

/// C[M, N] = A[M, K] * B[K, N], or C += A * B when `accumulate`. C is
/// row-major with rows ldc floats apart. K == 0 yields zeros (or leaves C).
void gemmF32(int64_t m, int64_t n, int64_t k, MatrixView a, MatrixView b,
             float *c, int64_t ldc, bool accumulate);

/// Caps shared by the matrix kernels: output tensors (elements; 8 GiB of
/// float) and scratch buffers such as im2col columns (1 GiB of float).
constexpr int64_t kMaxOutputElements = int64_t(1) << 31;
constexpr int64_t kMaxScratchElements = int64_t(1) << 28;

/// The elements of a float-typed tensor (f16, bf16, f32, f64) as float: the
/// tensor's own buffer for f32, else converted into `storage`.
const float *floatData(const Tensor &t, std::vector<float> &storage);

/// A tensor of float type `dtype` holding `values` (converted as needed).
Tensor tensorFromFloats(DataType dtype, TensorShape shape,
                        const std::vector<float> &values);

} // namespace edgec
