// QuantizeLinear (float -> int8/int16) and DequantizeLinear (int8/int16 ->
// float), per tensor, -> runtime/kernels/quantize_q.c (the interpreter's
// arithmetic, interp/kernels/Quantize.cpp).
#include "targets/mcu/lower/Lowering.h"

namespace edgec::mcu {
namespace {

bool scalarConst(const Node &n, size_t i) {
  return n.inputs.size() > i && n.inputs[i] && n.inputs[i]->constant &&
         n.inputs[i]->constant->numElements() == 1;
}

std::string check(const Node &n, const McuOptions &) {
  if (n.inputs.size() < 2 || !n.inputs[0] || n.outputs.empty()) return "missing inputs";
  if (!scalarConst(n, 1)) return "only a constant per-tensor scale";
  if (n.inputs.size() > 2 && n.inputs[2] && !scalarConst(n, 2)) return "only a constant per-tensor zero point";
  DataType q = n.opType == "QuantizeLinear" ? n.outputs[0]->type.dtype : n.inputs[0]->type.dtype;
  DataType f = n.opType == "QuantizeLinear" ? n.inputs[0]->type.dtype : n.outputs[0]->type.dtype;
  if ((q != DataType::Int8 && q != DataType::Int16) || f != DataType::Float32)
    return "only float32 <-> int8/int16";
  if (n.inputs[1]->constant->dtype() != DataType::Float32) return "float32 scale";
  return "";
}

Status lower(LowerContext &ctx) {
  const Node &n = ctx.node();
  const bool q = n.opType == "QuantizeLinear";
  DataType t = q ? n.outputs[0]->type.dtype : n.inputs[0]->type.dtype;
  float scale = float(n.inputs[1]->constant->getDouble(0));
  int64_t zp = n.inputs.size() > 2 && n.inputs[2] ? n.inputs[2]->constant->getInt64(0) : 0;
  const bool s16 = t == DataType::Int16;
  Operand pid = ctx.params("ec_quant_params", "q_" + n.name,
                           Fields().f("scale", scale).i("zero_point", zp)
                               .i("qmin", s16 ? -32768 : -128).i("qmax", s16 ? 32767 : 127));
  ctx.useRuntime("kernels/reference/quantize_q.h");
  std::string fn = std::string(q ? "ec_quantize_" : "ec_dequantize_") + (s16 ? "s16" : "s8");
  ctx.call(fn, {pid, ctx.in(0), ctx.out(0), Operand::integer(elementCount(ctx.outValue(0)))});
  ctx.setKernel(fn.substr(3));
  return Status::ok();
}

} // namespace

// QuantizeLinear / DequantizeLinear register in LowerQuantizeRt.cpp, which
// uses these kernels for a constant per-tensor scale.
std::string checkQuantizeTables(const Node &n, const McuOptions &o) { return check(n, o); }
Status lowerQuantizeTables(LowerContext &ctx) { return lower(ctx); }

} // namespace edgec::mcu
