// Shape rules of the Misc family that its kernels
// (interp/kernels/Misc.cpp) share with its inference.
#pragma once

#include "shape/InferUtil.h"

namespace edgec {

/// Dropout. Opsets 1-6 had is_test/ratio attributes, 7-11 only ratio (and
/// were always inference-time identities in practice); from 12 ratio and
/// training_mode are inputs. In inference the output is the input and the
/// mask is all true. Training mode with a non-zero ratio is random and not
/// supported by this deterministic interpreter. The mask element type: the input type before opset 10, bool from 10.
DataType maskType(const NodeContext &ctx, DataType in);

/// BitCast (opset 26): reinterprets the bytes as another type of the same
/// width. Bytes reinterpreted as bool are normalised to 0/1 (any other byte
/// is not a valid bool here).
Expected<DataType> bitCastTarget(const NodeContext &ctx, DataType in);

} // namespace edgec
