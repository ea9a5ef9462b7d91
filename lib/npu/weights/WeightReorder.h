// The order in which the Ethos-U55/U65 consumes convolution weights from a
// weight stream, restated from Arm's Vela (mlw_encode.c `reorder`,
// weight_compressor.py): per core (output channels interleaved between
// cores), per OFM block in depth, per IFM block, per sub-kernel (kernels
// larger than 8x8 / dilation are split), per IFM micro-block
// (part-kernel-first), per OFM micro-block, per kernel element (padded to a
// multiple of 4 for depthwise and int8 part-kernel-first, 2 for int16), per
// IFM micro-block (depth-first), then OFM and IFM micro-block elements.
// Positions outside the weight volume hold zeros.
#pragma once

#include "support/Error.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace edgec::npu {

enum class WeightTraversal : uint8_t {
  DepthFirst,      ///< IFM depth innermost (KERNEL_STRIDE weight order 0)
  PartKernelFirst, ///< kernel elements innermost (weight order 1)
  Depthwise,       ///< one IFM channel per OFM channel
};

/// The parameters of one op (one weight stream slice) that decide the
/// consumption order.
struct WeightReorderParams {
  int ofmDepth = 1;       ///< output channels in this stream slice (all cores)
  /// Undilated kernel size; KERNEL_HEIGHT_M1/WIDTH_M1 hold dilation * (size - 1).
  int kernelHeight = 1;
  int kernelWidth = 1;
  int ifmDepth = 1;       ///< input channels (1 for depthwise)
  int ofmBlockDepth = 16; ///< OFM block depth of the op's block configuration
  int ofmUblockDepth = 8; ///< OFM micro-block depth (4 on U55-32, else 8)
  int ifmUblockDepth = 8; ///< IFM micro-block depth (8 on every U55/U65)
  int ifmBits = 8;        ///< 8 or 16: IFM element size
  WeightTraversal traversal = WeightTraversal::DepthFirst;
  int dilationX = 1, dilationY = 1; ///< 1 or 2
  int cores = 1;          ///< U65-512: 2 (output channels interleaved)
};

/// Checks the parameters (positive sizes, bit depth 8/16, dilation 1/2,
/// micro-block depths, cores 1..2, depthwise with ifmDepth 1).
Status checkWeightReorderParams(const WeightReorderParams &p);

/// Number of values in the stream of `core` (padding included); 0 when the
/// parameters or the core are invalid.
size_t reorderedLength(const WeightReorderParams &p, int core = 0);

/// OHWI weights of the slice (ofmDepth x kernelHeight x kernelWidth x
/// ifmDepth int8 values) and their zero points (none, one, or one per output
/// channel) to the stream values of `core`: weight - zero point in hardware
/// order. Errors: bad parameters or core, a zero-point count that fits
/// neither, a value outside -255..255.
Expected<std::vector<int16_t>> reorderWeights(const WeightReorderParams &p, const int8_t *ohwi,
                                              const std::vector<int32_t> &zeroPoints,
                                              int core = 0);

/// The inverse: writes the values of `core`'s stream into its output
/// channels of `ohwi` (ofmDepth*kernelHeight*kernelWidth*ifmDepth values,
/// weight - zero point); other channels are left untouched. Padding
/// positions must hold 0. Errors: bad parameters, a stream of the wrong
/// length, non-zero padding.
Status unreorderWeights(const WeightReorderParams &p, const std::vector<int16_t> &stream,
                        std::vector<int16_t> &ohwi, int core = 0);

} // namespace edgec::npu
