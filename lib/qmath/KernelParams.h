// Parameters of integer (quantized) kernels computed from the IR: validated
// per-tensor and per-channel quantization parameters, requantization
// multipliers, the clamp a fused activation stands for, and TFLite's integer
// MEAN. The interpreter's integer kernels and the code generators' integer
// lowerings compute their parameters here, so they agree bit for bit.
//
// Errors are model errors (InvalidModel, or Unsupported for valid forms
// integer kernels do not take) with messages that name the tensor but not
// the node: callers add the node (the interpreter does for every kernel).
#pragma once

#include "ir/Graph.h"
#include "qmath/FixedPoint.h"

#include <optional>
#include <string>
#include <vector>

namespace edgec::qmath {

/// True for the element types integer kernels compute on.
bool isQuantType(DataType t);
/// Inclusive value range of int8/uint8/int16/int32 (int8 for others).
QRange rangeOf(DataType t);

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

/// Validated per-tensor parameters of `v` holding elements of `dtype`:
/// present, a single scale that is positive and finite, a zero point within
/// the type's range. `what` names the tensor in messages ("input 0").
Expected<TensorQ> perTensorParams(const Value *v, DataType dtype,
                                  const std::string &what);

/// Parameters of a weight tensor `v` of `dtype` with `channels` output
/// channels along `axis`: per-tensor (broadcast) or per-axis with exactly
/// `channels` entries on that axis. Scales positive and finite; zero points
/// in range.
Expected<ChannelQ> channelParams(const Value *v, DataType dtype,
                                 int64_t channels, int64_t axis,
                                 const std::string &what);

/// Requantization multiplier for a real factor (e.g. inScale / outScale,
/// computed in double as TFLite's Quantize / Requantize prepare), validated
/// to be usable by multiplyByQuantizedMultiplier.
Expected<QuantizedMultiplier> requantMultiplier(double real,
                                                const std::string &what);

/// The fused activation annotation of n as a clamp of its quantized output
/// range (CalculateActivationRangeQuantized); the type range when there is
/// none, or for a LeakyRelu the kernel applies itself (fusedLeakyReluAlpha).
/// Error for activations that are not clamps.
Expected<QRange> fusedActivationRange(const Node &n);

/// Alpha of a fused LeakyRelu on a Conv / Gemm / MatMul (nullopt when the
/// fused activation is something else or absent). Those kernels apply it in
/// the requantization: negative accumulators use the output multiplier
/// times alpha, so the activation costs no extra rounding (an edgec
/// extension; TFLite has no fused LeakyRelu).
std::optional<float> fusedLeakyReluAlpha(const Node &n);

/// TFLite Micro's integer MEAN (EvalIntegerMean): `in` has shape `shape`,
/// reduced over the axes flagged in `reduce`; the result has one element per
/// kept position, in row-major order. Equal input and output parameters:
/// the raw int32 sum divided by the count, truncated (reference Mean<T,
/// int32>); otherwise QuantizedMeanOrSum with 1/count folded into the
/// multiplier of in_scale / out_scale. Errors on int32 overflow of the sum.
Expected<std::vector<int32_t>> quantizedMean(const std::vector<int32_t> &in,
                                             const TensorShape &shape,
                                             const std::vector<bool> &reduce,
                                             TensorQ inQ, TensorQ outQ,
                                             DataType outType);

} // namespace edgec::qmath
