// Integer elementwise functions as lookup tables (TFLite's
// PopulateLookupTable): the ops computed that way and the table entries.
#pragma once

#include "qmath/KernelParams.h"

#include <functional>

namespace edgec::qmath {

/// The ops whose integer kernel is a table of the float function over every
/// representable input (int8/uint8/int16); inputs after the first are
/// one-element float constants (e.g. Pow(x, 2)). The interpreter, the
/// quantizer and the code generators all take this list.
inline constexpr const char *kLookupTableOps[] = {
    "Abs",  "Acos",  "Acosh",       "Asin", "Asinh", "Atan",       "Atanh",
    "Celu", "Ceil",  "Cos",         "Cosh", "Elu",   "Erf",        "Exp",
    "Floor", "Gelu", "HardSigmoid", "Log",  "Mish",  "Neg",        "Pow",
    "Reciprocal", "Round", "Selu",  "Shrink", "Sign", "Sin",       "Sinh",
    "Softplus", "Softsign", "Sqrt", "Swish", "Tan",  "ThresholdedRelu"};

/// For every value v of `xt`, dequantize with xq, apply f (float), quantize
/// with yq (std::round, NaN to the zero point) and clamp to `yt`. Entry
/// v - min(xt).
std::vector<int32_t> populateLookupTable(TensorQ xq, DataType xt, TensorQ yq,
                                         DataType yt,
                                         const std::function<float(float)> &f);
/// One entry of such a table: the float result fv quantized with yq.
int32_t lookupTableEntry(float fv, TensorQ yq, DataType yt);

} // namespace edgec::qmath
