// Helpers shared by the integer (quantized) kernels of this folder: the
// parameters of the node's tensors (through lib/qmath, which the code
// generators share), integer tensor access, requantization of tensors,
// window geometry and registration.
//
// Every check here returns a clean error naming the node (missing or
// malformed parameters are model errors, never asserts).
#pragma once

#include "interp/KernelUtil.h"
#include "ir/Annotations.h"
#include "qmath/KernelParams.h"
#include "qmath/LookupTable.h"
#include "shape/Window.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace edgec::qk {

using qmath::ChannelQ;
using qmath::isQuantType;
using qmath::QRange;
using qmath::QuantizedMultiplier;
using qmath::rangeOf;
using qmath::TensorQ;

/// "int8" etc.
std::string typeName(DataType t);

/// The element type the node declares for output 0.
DataType outputType(const KernelContext &ctx);

/// Shorthands for node input i (typed by the runtime tensor) and output 0.
Expected<TensorQ> inputParams(const KernelContext &ctx, size_t i);
Expected<TensorQ> outputParams(const KernelContext &ctx);
/// Input i must be present with an integer element type.
Status requireQuantInput(const KernelContext &ctx, size_t i);

/// qmath::channelParams of input i, which must be an integer tensor.
Expected<ChannelQ> channelParams(const KernelContext &ctx, size_t i,
                                 int64_t channels, int64_t axis);

/// Checks the optional bias (input i) of a conv / fully connected node:
/// element type `want` (int32, or int64/int32 for 16x8), shape [channels]
/// (or with leading 1s), and, when the bias Value carries QuantParams, zero
/// point 0 and scales matching inputScale * wScale[c] within TFLite's
/// tolerance (|difference| <= 0.02 * outputScale, GetQuantizedConvolution-
/// Multipler). Returns the bias values widened to int64 (empty when absent).
Expected<std::vector<int64_t>> biasValues(const KernelContext &ctx, size_t i,
                                          int64_t channels, float inputScale,
                                          const ChannelQ &w, float outputScale,
                                          bool allowInt64);

/// The elements of an integer tensor as int32 (int8/uint8/int16/int32).
std::vector<int32_t> toInt32(const Tensor &t);
/// A tensor of `dtype` holding `v`, each value clamped to the type range.
Expected<Tensor> fromInt32(DataType dtype, const TensorShape &shape,
                           const std::vector<int32_t> &v);

/// TFLite's Requantize: clamp(MBQM(q - inZp) + outZp) into outType.
Expected<Tensor> requantize(const Tensor &in, TensorQ inQ, DataType outType,
                            TensorQ outQ);

/// Work cap (multiply-accumulates or window reads) of one integer kernel:
/// hostile attributes (huge kernels over tiny inputs) are refused instead of
/// running for hours.
constexpr int64_t kMaxKernelWork = int64_t(1) << 34;
/// Error unless a * b * c <= kMaxKernelWork.
Status checkWork(const NodeContext &ctx, int64_t a, int64_t b, int64_t c = 1);

/// shape/Window.h geometry as the integer kernels loop over it: up to 3
/// spatial dims (unused dims have size 1, kernel 1, stride 1, no padding).
struct Window {
  size_t rank = 0; ///< number of real spatial dims
  int64_t in[3] = {1, 1, 1}, kernel[3] = {1, 1, 1}, stride[3] = {1, 1, 1},
          dilation[3] = {1, 1, 1}, padBegin[3] = {0, 0, 0},
          padEnd[3] = {0, 0, 0}, out[3] = {1, 1, 1};
  int64_t inSize() const { return in[0] * in[1] * in[2]; }
  int64_t outSize() const { return out[0] * out[1] * out[2]; }
  int64_t kernelSize() const { return kernel[0] * kernel[1] * kernel[2]; }
};

/// slidingWindow over `spatial` dims (ceil_mode for pools).
Expected<Window> readWindow(const NodeContext &ctx,
                            const std::vector<int64_t> &spatial,
                            const std::vector<int64_t> &kernel, bool pool);

/// Registers an integer kernel for `opType` under kIntegerKernelDomain. The
/// registered function rejects non-clamp fused activations and clamps
/// output 0 to the fused activation range after `run`. (Inference of a
/// quantized node is its float op's: the node keeps its default domain.)
void addIntegerKernel(KernelRegistry &r, const std::string &opType,
                      KernelFn run);

/// Runs the default-domain (float / type-generic) kernel of the node's op on
/// this context: used for pure data movement on integer tensors.
Status runDefaultKernel(KernelContext &ctx);

} // namespace edgec::qk
