// Rewrites that raise the fraction of a model edgetpu_compiler maps, run on
// the model prepared for the Edge TPU (int8 TFLite form), each exact or
// reported with its cost (docs/targets.md, "The Edge TPU target"):
// - transpose-to-reshape: a TRANSPOSE that only moves dimensions of size 1
//   is a RESHAPE (exact);
// - fold-rank: values of effective rank above 3 (the Edge TPU maps at most
//   3 dimensions larger than 1) that only elementwise operators and
//   RESHAPEs touch, and that are not graph inputs or outputs, get the shape
//   with their leading dimensions merged ([1,2,3,2,2] -> [6,2,2]); the
//   RESHAPE producing them writes that shape (exact: the same bytes);
// - split-mean: a MEAN too large to map (kMeanInputUnmapped elements or
//   more, EdgeTpuRules.h) as SLICEs along an axis it does not reduce, one
//   MEAN of at most kMeanInputMapped elements per slice, and a
//   CONCATENATION, as in google-coral/edgetpu#461 (exact: every output
//   element averages the same inputs);
// - fc-as-conv: a MatMul by constant weights whose output has more than one
//   dimension larger than 1 (batch, or a sequence of rows), which
//   FULLY_CONNECTED does not map (output 1-D only), as a 1x1 CONV_2D over
//   [1, 1, rows, K] between two RESHAPEs (exact);
// - hard-swish: HARD_SWISH (not mapped) as MUL, ADD, MUL (mapped):
//   x * clamp(x/6 + 1/2, 0, 1), the clamp by the saturation of an int8
//   value of range [0, 1]; not exact (the hard sigmoid in steps of 1/255);
// - leaky-relu: a LeakyRelu fused into a quantized convolution (no TFLite
//   form: no quantization for the value before it) as the convolution into
//   a new int8 value of range [lo/alpha, hi] and a PRELU with a constant
//   alpha (mapped); not exact (the convolution's output is requantized);
// - delay-unmapped: the node order is changed so that nodes the compiler
//   cannot map, and everything that depends on them, come after every node
//   that does not (post-processing becomes the CPU tail instead of cutting
//   the model early); exact (the same operations in another valid order).
#pragma once

#include "ir/Graph.h"
#include "support/Error.h"
#include "targets/edgetpu/EdgeTpuPrediction.h"

#include <vector>

namespace edgec::edgetpu {

/// Applies the rewrites in the order above; returns those that changed
/// something. `judge` decides what maps (for delay-unmapped).
Expected<std::vector<RewriteApplied>> rewriteForEdgeTpu(Model &m, const Judge &judge);

} // namespace edgec::edgetpu
