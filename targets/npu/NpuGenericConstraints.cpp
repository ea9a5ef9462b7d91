// Vela's generic constraints, applied to most operators (see NpuConstraintRules.h).
#include "targets/npu/NpuConstraintRules.h"

#include "ir/Annotations.h"

#include <cmath>

namespace edgec::ethosu::rules {

namespace {

std::string notDynamic(const OpView &v) {
  return each(tensors(v, false), [](const Value &t) {
    return t.type.hasRank && !t.type.isStatic() ? named(&t) + " is dynamic" : std::string();
  });
}

std::string definedShape(const OpView &v) {
  return each(tensors(v, false), [](const Value &t) {
    return !t.type.hasRank ? "'" + t.name + "' has no shape" : std::string();
  });
}

std::string outputNotScalar(const OpView &v) {
  std::string r;
  for (const Value *t : v.ofms)
    if (t && t->type.hasRank && t->type.rank() == 0) r += (r.empty() ? "" : ", ") + named(t) + " is scalar";
  return r;
}

std::string scalarInputs(const OpView &v) {
  std::string r;
  for (const Value *t : v.ifms)
    if (t && t->type.hasRank && t->type.rank() == 0)
      r += (r.empty() ? "" : ", ") + named(t) + " is scalar";
  return r;
}

std::string rank4(const OpView &v) {
  return each(tensors(v, false), [](const Value &t) {
    return t.type.hasRank && t.type.rank() > 4
               ? named(&t) + " has rank " + std::to_string(t.type.rank())
               : std::string();
  });
}

/// The integer side of a QuantizeLinear (output) or DequantizeLinear
/// (input) carries its quantization in the node's scale and zero point
/// inputs, as the TFLite tensor of QUANTIZE / DEQUANTIZE does.
bool quantizedByNode(const OpView &v, const Value &t) {
  const Node &n = *v.node;
  if (!n.input(1)) return false;
  return (n.opType == "QuantizeLinear" && !n.outputs.empty() && n.outputs[0] == &t) ||
         (n.opType == "DequantizeLinear" && n.input(0) == &t);
}

std::string hasQuant(const OpView &v) {
  return each(tensors(v, true), [&v](const Value &t) {
    bool has = (t.quant && !t.quant->scale.empty()) || quantizedByNode(v, t);
    return has ? std::string()
               : "'" + t.name + "' (" + typeName(t.type.dtype) + ") has no quantization parameters";
  });
}

std::string finiteScales(const OpView &v) {
  return each(tensors(v, true), [](const Value &t) {
    if (!t.quant) return std::string();
    for (float s : t.quant->scale)
      if (!std::isfinite(s)) return "'" + t.name + "' has the scale " + std::to_string(s);
    return std::string();
  });
}

std::string npuTypes(const OpView &v) {
  return each(tensors(v, false), [](const Value &t) {
    return isNpuType(t.type.dtype) ? std::string()
                                   : "'" + t.name + "' is " + typeName(t.type.dtype);
  });
}

std::string int32Ops(const OpView &v) {
  return each(tensors(v, false), [](const Value &t) {
    return t.type.dtype == DataType::Int32 ? "'" + t.name + "' is int32" : std::string();
  });
}

std::string dimRange(const OpView &v) {
  return each(tensors(v, false), [](const Value &t) {
    for (int64_t d : shapeOf(&t))
      if (d < 1 || d > 65535) return named(&t) + " has the dimension " + std::to_string(d);
    return std::string();
  });
}

std::string perAxis(const OpView &v) {
  return each(tensors(v, true), [](const Value &t) {
    return t.quant && t.quant->scale.size() > 1 ? "'" + t.name + "' is quantized per axis"
                                                 : std::string();
  });
}

std::string batchOne(const OpView &v) {
  std::vector<int64_t> s = shapeOf(v.ifm());
  if (s.size() == 4 && s[0] != 1) return "IFM " + named(v.ifm()) + " has batch " + std::to_string(s[0]);
  return "";
}

std::string activationOutput(const OpView &v) {
  if (!v.node || !hasFusedActivation(*v.node) || !v.ofm()) return "";
  DataType t = v.ofm()->type.dtype;
  if (t == DataType::Int8 || t == DataType::UInt8 || t == DataType::Int16) return "";
  return "fused " + v.node->attr(kFusedActivationAttr)->s + " with the output " + named(v.ofm()) +
         " of type " + typeName(t);
}

} // namespace

std::vector<Constraint> genericConstraints() {
  return {
    {"generic.not-dynamic", "Input(s) and Output tensors must not be dynamic", kGenericSource, true,
     {"QUANTIZE"}, notDynamic},
    {"generic.defined-shape", "Input(s) and Output tensors must have a defined shape",
     kGenericSource, true, {}, definedShape},
    {"generic.output-not-scalar", "Output tensors cannot be scalar", kGenericSource, true,
     {"QUANTIZE"}, outputNotScalar},
    {"generic.scalar-inputs",
     "Scalar Input tensors are only valid for op type: ADD, ARG_MAX, EXPAND_DIMS, MAXIMUM, MEAN, "
     "MINIMUM, MUL, QUANTIZE, SPLIT, SPLIT_V, SUB",
     kGenericSource, true,
     {"ADD", "ARG_MAX", "EXPAND_DIMS", "MAXIMUM", "MEAN", "MINIMUM", "MUL", "QUANTIZE", "SPLIT",
      "SPLIT_V", "SUB"},
     scalarInputs},
    {"generic.rank", "Input(s) and Output tensors must not be greater than 4D", kGenericSource,
     true, {}, rank4},
    {"generic.quantized", "Input(s), Output and Weight tensors must have quantization parameters",
     kGenericSource, true, {"SHAPE"}, hasQuant},
    {"generic.finite-scales",
     "Input(s), Output and Weight tensors with quantization scales must be finite",
     kGenericSource, true, {}, finiteScales},
    {"generic.types", "Tensors must be of type: int16, int32, int8, uint8", kGenericSource, true,
     {}, npuTypes},
    {"generic.int32",
     "Tensors which are int32 are only valid when op type is: ADD, ARG_MAX, MUL, SHAPE, SUB, "
     "TRANSPOSE",
     kGenericSource, true, {"ADD", "ARG_MAX", "MUL", "SHAPE", "SUB", "TRANSPOSE"}, int32Ops},
    {"generic.dimensions", "Tensor dimensions must be in the range [1, 65535]", kGenericSource,
     true, {}, dimRange},
    {"generic.per-axis",
     "Per-axis quantization is only supported for the following op types: CONV_2D, "
     "DEPTHWISE_CONV_2D, TRANSPOSE_CONV",
     kGenericSource, true, kConvOps, perAxis},
    {"generic.batch", "IFM Tensor batch size must be 1", kGenericSource, true,
     {"FULLY_CONNECTED", "RESHAPE", "SHAPE", "SLICE", "SOFTMAX", "SPLIT", "SPLIT_V", "SQUEEZE",
      "STRIDED_SLICE", "UNPACK"},
     batchOne},
    {"generic.activation-output",
     "If a fused activation function is present, the Output tensor must be one of type: int16, "
     "int8, uint8",
     kGenericSource, true, {}, activationOutput},
  };
}

} // namespace edgec::ethosu::rules
