// Helpers shared by the integer (quantized) kernels of this folder: reading
// and validating quantization parameters, integer tensor access, fused
// activation ranges, requantization, window geometry and registration.
//
// Every check here returns a clean error naming the node (missing or
// malformed parameters are model errors, never asserts).
#pragma once

#include "ir/Annotations.h"
#include "interp/KernelUtil.h"
#include "quant/FixedPoint.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace edgec::qk {

using quant::QRange;
using quant::QuantizedMultiplier;

/// True for the element types integer kernels compute on.
bool isQuantType(DataType t);
/// Inclusive value range of int8/uint8/int16/int32 (int8 for others).
QRange rangeOf(DataType t);
/// "int8" etc.
std::string typeName(DataType t);

/// Per-tensor quantization parameters.
struct TensorQ {
  float scale = 1.0f;
  int32_t zeroPoint = 0;
  bool operator==(const TensorQ &o) const {
    return scale == o.scale && zeroPoint == o.zeroPoint;
  }
  bool operator!=(const TensorQ &o) const { return !(*this == o); }
};

/// Per-channel parameters (one entry per channel).
struct ChannelQ {
  std::vector<float> scale;
  std::vector<int32_t> zeroPoint;
  bool perChannel = false; ///< false: one per-tensor value broadcast
};

/// The element type the node declares for output 0.
DataType outputType(const KernelContext &ctx);

/// Validated per-tensor parameters of `v` holding elements of `dtype`:
/// present, a single scale that is positive and finite, a zero point within
/// the type's range. `what` names the tensor in messages ("input 0").
Expected<TensorQ> perTensorParams(const NodeContext &ctx, const Value *v,
                                  DataType dtype, const std::string &what);
/// Shorthands for node input i (typed by the runtime tensor) and output 0.
Expected<TensorQ> inputParams(const KernelContext &ctx, size_t i);
Expected<TensorQ> outputParams(const KernelContext &ctx);
/// Input i must be present with an integer element type.
Status requireQuantInput(const KernelContext &ctx, size_t i);

/// Parameters of a weight tensor (input i) with `channels` output channels
/// along `axis`: per-tensor (broadcast) or per-axis with exactly `channels`
/// entries on that axis. Scales positive and finite; zero points in range.
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

/// Requantization multiplier for inScale / outScale (double division, as
/// TFLite's Quantize / Requantize prepare), validated to be usable.
Expected<QuantizedMultiplier> requantMultiplier(const NodeContext &ctx,
                                                double real,
                                                const std::string &what);
/// TFLite's Requantize: clamp(MBQM(q - inZp) + outZp) into outType.
Expected<Tensor> requantize(const NodeContext &ctx, const Tensor &in,
                            TensorQ inQ, DataType outType, TensorQ outQ);

/// The fused activation annotation of the node as a clamp of the quantized
/// output range (CalculateActivationRangeQuantized); the type range when
/// there is none. Error for activations that are not clamps.
Expected<QRange> fusedActivationRange(const KernelContext &ctx);

/// Alpha of a fused LeakyRelu on a Conv / Gemm / MatMul (nullopt when the
/// fused activation is something else or absent). Those kernels apply it in
/// the requantization: negative accumulators use the output multiplier
/// times alpha, so the activation costs no extra rounding (an edgec
/// extension; TFLite has no fused LeakyRelu).
std::optional<float> fusedLeakyReluAlpha(const KernelContext &ctx);

/// Work cap (multiply-accumulates or window reads) of one integer kernel:
/// hostile attributes (huge kernels over tiny inputs) are refused instead of
/// running for hours.
constexpr int64_t kMaxKernelWork = int64_t(1) << 34;
/// Error unless a * b * c <= kMaxKernelWork.
Status checkWork(const NodeContext &ctx, int64_t a, int64_t b, int64_t c = 1);

/// Sliding-window geometry over up to 3 spatial dims (unused dims have size
/// 1, kernel 1, stride 1, no padding).
struct Window {
  size_t rank = 0; ///< number of real spatial dims
  int64_t in[3] = {1, 1, 1}, kernel[3] = {1, 1, 1}, stride[3] = {1, 1, 1},
          dilation[3] = {1, 1, 1}, padBegin[3] = {0, 0, 0},
          padEnd[3] = {0, 0, 0}, out[3] = {1, 1, 1};
  int64_t inSize() const { return in[0] * in[1] * in[2]; }
  int64_t outSize() const { return out[0] * out[1] * out[2]; }
  int64_t kernelSize() const { return kernel[0] * kernel[1] * kernel[2]; }
};

/// Reads kernel_shape (default `kernel` when non-empty), strides,
/// dilations, pads and auto_pad for `spatial` dims; `ceilMode` for pools.
Expected<Window> readWindow(const NodeContext &ctx,
                            const std::vector<int64_t> &spatial,
                            const std::vector<int64_t> &kernel, bool pool);

/// TFLite Micro's integer MEAN (EvalIntegerMean): `in` has shape `shape`,
/// reduced over the axes flagged in `reduce`; the result has one element per
/// kept position, in row-major order. Equal input and output parameters:
/// the raw int32 sum divided by the count, truncated (reference Mean<T,
/// int32>); otherwise QuantizedMeanOrSum with 1/count folded into the
/// multiplier of in_scale / out_scale. Errors on int32 overflow of the sum.
Expected<std::vector<int32_t>> quantizedMean(const NodeContext &ctx,
                                             const std::vector<int32_t> &in,
                                             const TensorShape &shape,
                                             const std::vector<bool> &reduce,
                                             TensorQ inQ, TensorQ outQ,
                                             DataType outType);

/// TFLite's PopulateLookupTable: for every value v of `xt`, dequantize with
/// xq, apply f (float), quantize with yq (std::round, NaN to the zero point)
/// and clamp to `yt`. Entry v - min(xt).
std::vector<int32_t> populateLookupTable(TensorQ xq, DataType xt, TensorQ yq,
                                         DataType yt,
                                         const std::function<float(float)> &f);
/// One entry of such a table: the float result fv quantized with yq.
int32_t lookupTableEntry(float fv, TensorQ yq, DataType yt);

/// Registers an integer kernel for `opType` under kIntegerKernelDomain. The
/// registered function rejects non-clamp fused activations and clamps
/// output 0 to the fused activation range after `run`. Without `infer`, the
/// float op's inference is used with output 0 typed as declared.
void addIntegerKernel(KernelRegistry &r, const std::string &opType,
                      KernelFn run, InferFn infer = nullptr);

/// Runs the default-domain (float / type-generic) kernel of the node's op on
/// this context: used for pure data movement on integer tensors.
Status runDefaultKernel(KernelContext &ctx);

} // namespace edgec::qk
