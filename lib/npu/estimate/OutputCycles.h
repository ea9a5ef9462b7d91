// Cycles per output element of the Ethos-U output unit, per configuration,
// as data (NPU-EDGETPU.md A.8, restating Vela's architecture_features.py).
#pragma once

#include "npu/AcceleratorConfig.h"
#include "npu/Operation.h"

namespace edgec::npu {

/// Which row of the output table an operation uses (Vela's index order).
enum class OutputClass : int {
  Elementwise32Unary = 0, Elementwise32Binary, Mul32Out, MulOrAcc40, SimpleAddSub, AddSub, MaxPool, Default
};
/// Which activation column (lookup table / tanh / sigmoid, ReLU-like clamp, none).
enum class ActivationClass : int { Lut = 0, Clamp, None };

OutputClass outputClass(const Operation &op);
ActivationClass activationClass(const Operation &op);
/// max(output table, activation table) for the operation on `acc`.
double outputCyclesPerElement(const Operation &op, const AcceleratorConfig &acc);

} // namespace edgec::npu
