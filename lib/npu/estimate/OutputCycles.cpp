#include "npu/estimate/OutputCycles.h"

#include <algorithm>
#include <array>

namespace edgec::npu {

namespace {

struct OutputTable {
  int macs; ///< MACs per cycle over all cores
  std::array<double, 8> output;
  std::array<double, 3> activation;
};

// Rows by total MACs per cycle; columns in OutputClass / ActivationClass order.
constexpr std::array<OutputTable, 5> kTables = {{
    {32, {2, 3, 3, 3, 4, 6, 1, 2}, {1, 1, 0}},
    {64, {1, 1.5, 1.5, 1.5, 2, 3, 0.5, 1}, {1, 1, 0}},
    {128, {0.75, 1.25, 0.75, 0.75, 1, 1.5, 0.25, 0.5}, {1, 0.5, 0}},
    {256, {0.625, 1.125, 0.5, 0.375, 0.5, 0.75, 0.125, 0.25}, {1, 0.25, 0}},
    {512, {0.3125, 0.5625, 0.25, 0.1875, 0.25, 0.375, 0.0625, 0.125}, {0.5, 0.125, 0}},
}};

// Elementwise modes of the NPU_OP_ELEMENTWISE parameter.
constexpr unsigned kMul = 0, kAdd = 1, kSub = 2, kAbs = 6, kClz = 7, kLrelu = 5;
constexpr unsigned kPoolMax = 0;
constexpr int kAcc40 = 1; ///< ACC_FORMAT field: 40-bit accumulators

} // namespace

OutputClass outputClass(const Operation &op) {
  if (op.type == OpType::Elementwise) {
    const bool unary = op.mode == kAbs || op.mode == kClz || op.mode == kLrelu;
    if (op.ifm.elemBytes == 4) return unary ? OutputClass::Elementwise32Unary : OutputClass::Elementwise32Binary;
    if (op.mode == kMul) return op.ofm.elemBytes == 4 ? OutputClass::Mul32Out : OutputClass::MulOrAcc40;
    if (op.mode == kAdd || op.mode == kSub)
      return op.opaScale == op.opbScale ? OutputClass::SimpleAddSub : OutputClass::AddSub;
    return OutputClass::Default;
  }
  if (op.accFormat == kAcc40) return OutputClass::MulOrAcc40;
  if (op.type == OpType::Pool && op.mode == kPoolMax) return OutputClass::MaxPool;
  return OutputClass::Default;
}

ActivationClass activationClass(const Operation &op) {
  if (op.activation != 0) return ActivationClass::Lut; // tanh, sigmoid, lookup table
  // A clamp narrower than the OFM's range is a fused ReLU-like activation.
  const int bits = op.ofm.elemBytes * 8;
  const int64_t lo = op.ofm.isSigned ? -(int64_t(1) << (bits - 1)) : 0;
  const int64_t hi = op.ofm.isSigned ? (int64_t(1) << (bits - 1)) - 1 : (int64_t(1) << bits) - 1;
  if (bits <= 16 && (op.activationMin > lo || op.activationMax < hi)) return ActivationClass::Clamp;
  return ActivationClass::None;
}

double outputCyclesPerElement(const Operation &op, const AcceleratorConfig &acc) {
  const int macs = acc.macsPerCycle * acc.cores;
  const OutputTable *t = &kTables.front();
  for (const OutputTable &row : kTables)
    if (row.macs <= macs) t = &row;
  return std::max(t->output[size_t(outputClass(op))], t->activation[size_t(activationClass(op))]);
}

} // namespace edgec::npu
