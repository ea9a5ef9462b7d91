// OneHot (indices and values read at run time, depth from the static
// output shape) -> ec_onehot_any (runtime/kernels/reference/onehot_any.c);
// BitCast between types of one size -> ec_fill_any copying the input
// (a period of the whole tensor).
#include "targets/mcu/lower/AxisSplit.h"
#include "targets/mcu/lower/ByteCopyTypes.h"
#include "targets/mcu/lower/Lowering.h"

#include <map>

namespace edgec::mcu {

namespace {

const std::map<DataType, std::string> &indexTypes() {
  static const std::map<DataType, std::string> m = {
      {DataType::Float32, "EC_FLOAT32"}, {DataType::Int8, "EC_INT8"},
      {DataType::UInt8, "EC_UINT8"},     {DataType::Int16, "EC_INT16"},
      {DataType::UInt16, "EC_ONEHOT_UINT16"}, {DataType::Int32, "EC_INT32"},
      {DataType::UInt32, "EC_ONEHOT_UINT32"}, {DataType::Int64, "EC_INT64"}};
  return m;
}

std::string checkOneHot(const Node &n, const McuOptions &) {
  if (n.inputs.size() != 3 || !n.inputs[0] || !n.inputs[2] || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  if (!indexTypes().count(n.inputs[0]->type.dtype)) return "unsupported index type";
  const DataType t = n.outputs[0]->type.dtype;
  if (!byteCopyable(t) || n.inputs[2]->type.dtype != t) return "unsupported value type";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  const int64_t r = int64_t(n.outputs[0]->type.dims.size()), a = n.attrInt("axis", -1);
  if (a < -r || a >= r) return "axis out of range";
  return "";
}

Status lowerOneHot(LowerContext &ctx) {
  const Node &n = ctx.node();
  const std::vector<int64_t> od = staticDims(ctx.outValue(0));
  int64_t axis = n.attrInt("axis", -1);
  if (axis < 0) axis += int64_t(od.size());
  if (elementCount(ctx.inValue(2)) != 2)
    return Error(ErrorCode::InvalidInput, "values must have two elements");
  const AxisSplit s = axisSplit(od, axis);
  if (s.outer * s.inner != elementCount(ctx.inValue(0)))
    return Error(ErrorCode::InvalidInput, "output shape does not match the indices");
  Operand p = ctx.params("ec_onehot_any_params", "onehot_" + n.name,
                         Fields().i("outer", s.outer).i("depth", s.n).i("inner", s.inner)
                             .sym("idx_type", indexTypes().at(ctx.inValue(0).type.dtype))
                             .i("elem_size", int64_t(dataTypeSize(ctx.outValue(0).type.dtype))));
  ctx.useRuntime("kernels/reference/onehot_any.h");
  ctx.call("ec_onehot_any", {p, ctx.in(0), ctx.in(2), ctx.out(0)});
  ctx.setKernel("onehot_any");
  return Status::ok();
}

std::string checkBitCast(const Node &n, const McuOptions &) {
  if (n.inputs.size() != 1 || !n.inputs[0] || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  const DataType a = n.inputs[0]->type.dtype, b = n.outputs[0]->type.dtype;
  if (!byteCopyable(a) || !byteCopyable(b)) return "unsupported element type";
  if (dataTypeSize(a) != dataTypeSize(b)) return "types of different sizes";
  return "";
}

Status lowerBitCast(LowerContext &ctx) {
  const int64_t bytes = elementCount(ctx.inValue(0)) * int64_t(dataTypeSize(ctx.inValue(0).type.dtype));
  if (bytes == 0) return Status::ok();
  if (elementCount(ctx.outValue(0)) != elementCount(ctx.inValue(0)))
    return Error(ErrorCode::InvalidInput, "output size differs from the input's");
  Operand p = ctx.params("ec_fill_any_params", "bitcast_" + ctx.node().name,
                         Fields().i("bytes", bytes).i("period", bytes));
  ctx.useRuntime("kernels/reference/fill_any.h");
  ctx.call("ec_fill_any", {p, ctx.in(0), ctx.out(0)});
  ctx.setKernel("fill_any (bitcast)");
  return Status::ok();
}

} // namespace

void registerOneHotBitCast(std::vector<Lowering> &out) {
  out.push_back({"OneHot", Lowering::Float, checkOneHot, lowerOneHot, byteCopyTypeNames(),
                 "indices and values at run time; depth from the static output shape"});
  out.push_back({"BitCast", Lowering::Any, checkBitCast, lowerBitCast, byteCopyTypeNames(),
                 "types of one size"});
}

} // namespace edgec::mcu
