// Sliding-window geometry of Conv, ConvTranspose, pools and Col2Im: output
// sizes and padding from kernel_shape, strides, dilations, pads, auto_pad
// (NOTSET, SAME_UPPER, SAME_LOWER, VALID), ceil_mode and, for
// ConvTranspose, output_padding / output_shape. The one definition the
// kernels, shape inference and the writers and back ends share.
//
// Along each spatial dim, window position o reads input index
// o * stride - padBegin + k * dilation for k in [0, kernel) (indices outside
// [0, in) are padding).
#pragma once

#include "shape/NodeContext.h"

#include <string>
#include <vector>

namespace edgec {

enum class AutoPad { NotSet, SameUpper, SameLower, Valid };

/// The auto_pad attribute value; error for any other spelling.
Expected<AutoPad> parseAutoPad(const std::string &s);

/// Largest kernel size, stride, dilation and pad accepted (hostile-model
/// guard; real models are far below).
inline constexpr int64_t kMaxWindowParam = int64_t(1) << 20;

/// Output size along one dim of a window of size k, stride s and dilation d
/// (all >= 1) over `in` elements (-1: unknown, then the result is -1):
/// SAME_* chooses the pads (total = max(0, (out - 1) * s + (k - 1) * d + 1
/// - in), the odd one at the end for SAME_UPPER, at the start for
/// SAME_LOWER) and gives ceil(in / s); VALID zeroes them; otherwise
/// floor((in + pb + pe - effective) / s) + 1, or ceil with ceilMode, where a
/// last window starting in the end padding is dropped. 0 when the window
/// does not fit.
int64_t windowOutputSize(AutoPad autoPad, bool ceilMode, int64_t in, int64_t k,
                         int64_t s, int64_t d, int64_t &pb, int64_t &pe);

/// ConvTranspose output size along one dim for `in` input positions
/// (-1: unknown, result -1): with a target size (output_shape, or in * s for
/// SAME_*) the total padding is what exceeds it of the full size
/// s * (in - 1) + outputPadding + (k - 1) * d + 1, split with the odd one at
/// the end for SAME_UPPER and at the start otherwise (the ONNX reference);
/// without one, the full size minus pb + pe (zeroed by VALID).
int64_t transposedOutputSize(AutoPad autoPad, int64_t target, int64_t in,
                             int64_t k, int64_t s, int64_t d,
                             int64_t outputPadding, int64_t &pb, int64_t &pe);

/// The geometry of one window op over `rank()` spatial dims.
struct WindowGeometry {
  /// Input and output positions per dim (-1 where unknown). For
  /// ConvTranspose `in` is its input and `out` its output: the equivalent
  /// direct window slides over `out` (padded by padBegin/padEnd) and has
  /// one position per input element.
  std::vector<int64_t> in, out;
  std::vector<int64_t> kernel, stride, dilation, padBegin, padEnd;
  size_t rank() const { return kernel.size(); }
};

/// What an op's window attributes are.
struct WindowRules {
  bool autoPad = true;   ///< reads auto_pad (Col2Im has none)
  bool ceilMode = false; ///< reads ceil_mode (pools)
};

/// The geometry of a Conv / pool / Col2Im node over input dims `in` (-1:
/// unknown): kernel_shape (`kernel` when absent; it must equal `kernel`
/// when both are given), strides, dilations, pads and auto_pad, validated
/// (lengths match the spatial dims, kernel sizes, strides and dilations in
/// [1, kMaxWindowParam], pads in [0, kMaxWindowParam]), and the output
/// sizes. Error when the window does not fit a known input dim.
Expected<WindowGeometry> slidingWindow(const NodeContext &ctx,
                                       const std::vector<int64_t> &in,
                                       const std::vector<int64_t> &kernel,
                                       WindowRules rules = {});

/// The geometry of a ConvTranspose node with input dims `in` (-1: unknown)
/// and weight kernel dims `kernel` (empty: from kernel_shape): the sliding
/// window attributes plus output_padding and output_shape (with or without
/// the batch and channel dims). Error when an output dim would be empty.
Expected<WindowGeometry> transposedWindow(const NodeContext &ctx,
                                          const std::vector<int64_t> &in,
                                          const std::vector<int64_t> &kernel);

} // namespace edgec
