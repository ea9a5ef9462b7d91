// QuantizeLinear / DequantizeLinear between float32 and int8, uint8, int16,
// uint16, int4, uint4, int2, uint2 (and int32 -> float32) with the scale
// and zero point read at run time, per tensor, per axis or blocked ->
// ec_quantize_rt / ec_dequantize_rt; DynamicQuantizeLinear ->
// ec_dynamic_quantize_u8 (runtime/kernels/reference/qdq_rt.c). A constant
// per-tensor float32 <-> int8/int16 pair keeps ec_quantize_s8/s16
// (LowerQuantizeS8.cpp).
#include "targets/mcu/lower/AxisSplit.h"
#include "targets/mcu/lower/Lowering.h"

#include <climits>
#include <map>

namespace edgec::mcu {

namespace {

struct QType {
  const char *storage;
  int64_t qmin, qmax;
};

const std::map<DataType, QType> &qtypes() {
  static const std::map<DataType, QType> m = {
      {DataType::Int8, {"EC_QRT_I8", -128, 127}},     {DataType::UInt8, {"EC_QRT_U8", 0, 255}},
      {DataType::Int16, {"EC_QRT_I16", -32768, 32767}}, {DataType::UInt16, {"EC_QRT_U16", 0, 65535}},
      {DataType::Int4, {"EC_QRT_I8", -8, 7}},         {DataType::UInt4, {"EC_QRT_U8", 0, 15}},
      {DataType::Int2, {"EC_QRT_I8", -2, 1}},         {DataType::UInt2, {"EC_QRT_U8", 0, 3}},
      {DataType::Int32, {"EC_QRT_I32", INT32_MIN, INT32_MAX}}};
  return m;
}

std::string checkRt(const Node &n) {
  if (n.inputs.size() < 2 || !n.inputs[0] || !n.inputs[1] || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  const bool q = n.opType == "QuantizeLinear";
  const DataType qt = q ? n.outputs[0]->type.dtype : n.inputs[0]->type.dtype;
  const DataType ft = q ? n.inputs[0]->type.dtype : n.outputs[0]->type.dtype;
  if (ft != DataType::Float32 || !qtypes().count(qt) || (q && qt == DataType::Int32))
    return "only float32 <-> int8/uint8/int16/uint16/int4/uint4/int2/uint2 (int32 -> float32)";
  if (n.inputs[1]->type.dtype != DataType::Float32) return "only a float32 scale";
  if (n.inputs.size() > 2 && n.inputs[2] && n.inputs[2]->type.dtype != qt)
    return "the zero point must have the quantized type";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  const int64_t r = int64_t(n.inputs[0]->type.dims.size()), a = n.attrInt("axis", 1);
  if (n.inputs[1]->type.isStatic() && elementCount(*n.inputs[1]) != 1 && (a < -r || a >= r))
    return "axis out of range";
  return "";
}

std::string check(const Node &n, const McuOptions &o) {
  if (checkQuantizeTables(n, o).empty()) return "";
  return checkRt(n);
}

Status lowerRt(LowerContext &ctx) {
  const Node &n = ctx.node();
  const bool q = n.opType == "QuantizeLinear";
  const std::vector<int64_t> d = staticDims(ctx.inValue(0));
  const QType &t = qtypes().at(q ? ctx.outValue(0).type.dtype : ctx.inValue(0).type.dtype);
  const int64_t ns = elementCount(ctx.inValue(1)), r = int64_t(d.size());
  const int64_t block = n.attrInt("block_size", 0);
  int64_t axis = n.attrInt("axis", 1);
  if (axis < 0) axis += r;
  AxisSplit s;
  s.n = elementCount(ctx.inValue(0));
  int64_t nBlocks = 1;
  const bool perTensor = ns == 1 && block == 0;
  if (!perTensor) {
    if (axis < 0 || axis >= r) return Error(ErrorCode::InvalidInput, "axis out of range");
    s = axisSplit(d, axis);
    nBlocks = block > 0 ? (s.n + block - 1) / block : 1;
    const int64_t want = block > 0 ? s.outer * nBlocks * s.inner : s.n;
    if (ns != want) return Error(ErrorCode::InvalidInput, "scale shape does not match");
  }
  Operand p = ctx.params("ec_qdq_rt_params", "qdq_" + n.name,
                         Fields().i("outer", s.outer).i("axis_len", s.n).i("inner", s.inner)
                             .i("per_tensor", perTensor ? 1 : 0).i("block", block)
                             .i("n_blocks", nBlocks).sym("q_type", t.storage)
                             .i("qmin", t.qmin).i("qmax", t.qmax));
  const bool zp = ctx.hasInput(2);
  if (zp && elementCount(ctx.inValue(2)) != ns)
    return Error(ErrorCode::InvalidInput, "zero point shape differs from the scale's");
  if (elementCount(ctx.outValue(0)) != elementCount(ctx.inValue(0)))
    return Error(ErrorCode::InvalidInput, "output size differs from the input's");
  ctx.useRuntime("kernels/reference/qdq_rt.h");
  const std::string fn = q ? "ec_quantize_rt" : "ec_dequantize_rt";
  ctx.call(fn, {p, ctx.in(0), ctx.in(1), zp ? ctx.in(2) : Operand::null(), ctx.out(0)});
  ctx.setKernel(fn.substr(3));
  return Status::ok();
}

Status lower(LowerContext &ctx) {
  if (checkQuantizeTables(ctx.node(), ctx.options()).empty()) return lowerQuantizeTables(ctx);
  return lowerRt(ctx);
}

std::string checkDynamic(const Node &n, const McuOptions &) {
  if (n.inputs.size() != 1 || !n.inputs[0] || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  if (n.inputs[0]->type.dtype != DataType::Float32) return "only float32";
  for (size_t i = 1; i < n.outputs.size(); ++i)
    if (!n.outputs[i]) return "all three outputs are needed";
  if (n.outputs.size() != 3) return "all three outputs are needed";
  if (n.outputs[0]->type.dtype != DataType::UInt8 || n.outputs[1]->type.dtype != DataType::Float32 ||
      n.outputs[2]->type.dtype != DataType::UInt8)
    return "outputs must be uint8, float32 and uint8";
  return "";
}

Status lowerDynamic(LowerContext &ctx) {
  if (elementCount(ctx.outValue(0)) != elementCount(ctx.inValue(0)) ||
      elementCount(ctx.outValue(1)) != 1 || elementCount(ctx.outValue(2)) != 1)
    return Error(ErrorCode::InvalidInput, "output shapes do not match");
  ctx.useRuntime("kernels/reference/qdq_rt.h");
  ctx.call("ec_dynamic_quantize_u8",
           {ctx.in(0), Operand::integer(elementCount(ctx.inValue(0))), ctx.out(0), ctx.out(1),
            ctx.out(2)});
  ctx.setKernel("dynamic_quantize_u8");
  return Status::ok();
}

} // namespace

void registerQuantizeRt(std::vector<Lowering> &out) {
  const std::vector<std::string> types = {"float32", "int8", "uint8", "int16", "uint16",
                                          "int4", "uint4", "int2", "uint2", "int32"};
  for (const char *op : {"QuantizeLinear", "DequantizeLinear"})
    out.push_back({op, Lowering::Any, check, lower, types,
                   "scale / zero point constant or at run time; per tensor, per axis, blocked"});
  out.push_back({"DynamicQuantizeLinear", Lowering::Float, checkDynamic, lowerDynamic,
                 {"float32", "uint8"}, ""});
}

} // namespace edgec::mcu
