// The constraints of the elementwise operators (ADD, SUB, MUL, MAXIMUM, MINIMUM, ABS, LEAKY_RELU,
// HARD_SWISH) (see NpuConstraintRules.h).
#include "targets/npu/NpuConstraintRules.h"

namespace edgec::ethosu::rules {

namespace {

const std::vector<std::string> kBinaryOps = {"ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM"};

std::string shapeMatchesOfm(const OpView &v) {
  const Value *y = v.ofm();
  if (!y || !y->type.hasRank) return "";
  for (const Value *x : v.ifms)
    if (x && x->type == TensorType(x->type.dtype, y->type.dims)) return "";
  std::string r = "OFM " + dims(y) + ", inputs";
  for (const Value *x : v.ifms) r += " " + dims(x);
  return r;
}

std::string inputTypesMatch(const OpView &v) {
  if (v.ifms.size() < 2 || !v.ifms[0] || !v.ifms[1]) return "";
  DataType a = v.ifms[0]->type.dtype, b = v.ifms[1]->type.dtype;
  return a == b ? "" : "inputs " + typeName(a) + " and " + typeName(b);
}

std::string signedOut(const OpView &v) {
  if (!v.ifm() || !v.ofm()) return "";
  DataType a = v.ifm()->type.dtype, y = v.ofm()->type.dtype;
  return !isSigned(a) || isSigned(y) ? "" : "IFM " + typeName(a) + ", OFM " + typeName(y);
}

std::string unsignedOut(const OpView &v) {
  if (!v.ifm() || !v.ofm()) return "";
  DataType a = v.ifm()->type.dtype, y = v.ofm()->type.dtype;
  return a != DataType::UInt8 || y == a || y == DataType::Int32
             ? ""
             : "IFM " + typeName(a) + ", OFM " + typeName(y);
}

std::string broadcast(const OpView &v) {
  std::vector<int64_t> y = shapeOf(v.ofm());
  for (const Value *x : v.ifms) {
    std::vector<int64_t> s = shapeOf(x);
    if (s.empty() || y.empty()) continue;
    for (size_t i = 0; i < s.size() && i < y.size(); ++i) {
      int64_t d = s[s.size() - 1 - i], o = y[y.size() - 1 - i];
      if (d != o && d != 1) return named(x) + " against the OFM " + dims(v.ofm());
    }
  }
  return "";
}

std::string quantMatchesOfm(const OpView &v) {
  const Value *y = v.ofm();
  if (!y) return "";
  for (const Value *x : v.ifms)
    if (x && (x->quant.has_value() != y->quant.has_value() || (x->quant && !(*x->quant == *y->quant))))
      return "'" + x->name + "' and the OFM '" + y->name + "' are quantized differently";
  return "";
}

} // namespace

std::vector<Constraint> elementwiseConstraints() {
  return {
    {"elementwise.shape", "At least one Input's shape must match the OFM's shape",
     EDGEC_NPU_SOURCE("ADD / SUB / MUL / MAXIMUM / MINIMUM / ABS / LEAKY_RELU"), false,
     {"ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM", "ABS", "LEAKY_RELU", "SQUARED_DIFFERENCE"},
     shapeMatchesOfm},
    {"elementwise.input-types", "Both Input data types must match",
     EDGEC_NPU_SOURCE("ADD / SUB / MUL"), false, {"ADD", "SUB", "MUL"}, inputTypesMatch},
    {"elementwise.signed", "For IFM that are signed, OFM must also be signed",
     EDGEC_NPU_SOURCE("ADD / SUB / MUL"), false, {"ADD", "SUB", "MUL"}, signedOut},
    {"elementwise.unsigned", "For IFM that are unsigned, OFM must either be the same type or int32",
     EDGEC_NPU_SOURCE("ADD / SUB / MUL"), false, {"ADD", "SUB", "MUL"}, unsignedOut},
    {"elementwise.broadcast",
     "Broadcasting is only allowed for rank indices with dimension 1, from either IFM1 or IFM2",
     EDGEC_NPU_SOURCE("ADD / SUB / MUL / MAXIMUM / MINIMUM"), false, kBinaryOps, broadcast},
    {"minmax.quantization", "Both Input quantization parameters must match OFM quantization parameters",
     EDGEC_NPU_SOURCE("MAXIMUM / MINIMUM"), false, {"MAXIMUM", "MINIMUM"}, quantMatchesOfm},
    {"hardswish.type", "IFM must be int8 or uint8", EDGEC_NPU_SOURCE("HARD_SWISH"), false, {"HARD_SWISH"},
     int8OrUint8},
  };
}

} // namespace edgec::ethosu::rules
