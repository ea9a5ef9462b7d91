// Cast and CastLike between float32, float16, bfloat16, the 8- and 4-bit
// floats, int2..int64, uint2..uint32 and bool -> ec_cast
// (runtime/kernels/reference/cast_any.c, the interpreter's conversions).
#include "targets/mcu/lower/Lowering.h"

#include <map>

namespace edgec::mcu {

namespace {

const std::map<DataType, std::string> &castTypes() {
  static const std::map<DataType, std::string> m = {
      {DataType::Float32, "EC_CAST_F32"},
      {DataType::Int8, "EC_CAST_I8"},     {DataType::UInt8, "EC_CAST_U8"},
      {DataType::Int16, "EC_CAST_I16"},   {DataType::UInt16, "EC_CAST_U16"},
      {DataType::Int32, "EC_CAST_I32"},   {DataType::UInt32, "EC_CAST_U32"},
      {DataType::Int64, "EC_CAST_I64"},
      {DataType::Bool, "EC_CAST_BOOL"},
      {DataType::Float16, "EC_CAST_F16"}, {DataType::BFloat16, "EC_CAST_BF16"},
      {DataType::Float8E4M3FN, "EC_CAST_F8E4M3FN"},
      {DataType::Float8E4M3FNUZ, "EC_CAST_F8E4M3FNUZ"},
      {DataType::Float8E5M2, "EC_CAST_F8E5M2"},
      {DataType::Float8E5M2FNUZ, "EC_CAST_F8E5M2FNUZ"},
      {DataType::Float4E2M1, "EC_CAST_F4E2M1"},
      {DataType::Int4, "EC_CAST_I4"},     {DataType::UInt4, "EC_CAST_U4"},
      {DataType::Int2, "EC_CAST_I2"},     {DataType::UInt2, "EC_CAST_U2"}};
  return m;
}

std::string check(const Node &n, const McuOptions &) {
  if (n.inputs.empty() || !n.inputs[0] || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  const DataType from = n.inputs[0]->type.dtype, to = n.outputs[0]->type.dtype;
  if (!castTypes().count(from) || !castTypes().count(to))
    return "cast from " + std::string(dataTypeName(from)) + " to " +
           std::string(dataTypeName(to)) + " is not supported";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  if (n.outputs[0]->quant || n.inputs[0]->quant) return "quantized tensors";
  return "";
}

Status lower(LowerContext &ctx) {
  const DataType from = ctx.inValue(0).type.dtype, to = ctx.outValue(0).type.dtype;
  const int64_t count = elementCount(ctx.outValue(0));
  if (from == to) {
    ctx.call("memcpy", {ctx.out(0), ctx.in(0),
                        Operand::integer(count * int64_t(dataTypeSize(to)))});
    ctx.setKernel("copy");
    return Status::ok();
  }
  Operand p = ctx.params("ec_cast_params", "cast_" + ctx.node().name,
                         Fields().sym("from", castTypes().at(from)).sym("to", castTypes().at(to))
                             .i("count", count)
                             .i("saturate", ctx.node().attrInt("saturate", 1) != 0 ? 1 : 0));
  ctx.useRuntime("kernels/reference/cast_any.h");
  ctx.call("ec_cast", {p, ctx.in(0), ctx.out(0)});
  ctx.setKernel("cast");
  return Status::ok();
}

} // namespace

void registerCast(std::vector<Lowering> &out) {
  for (const char *op : {"Cast", "CastLike"})
    out.push_back({op, Lowering::Any, check, lower,
                   {"float32", "float16", "bfloat16", "float8 (e4m3fn, e4m3fnuz, e5m2, e5m2fnuz)",
                    "float4e2m1", "int2..int64", "uint2..uint32", "bool"},
                   "no float64 / uint64 / string"});
}

} // namespace edgec::mcu
