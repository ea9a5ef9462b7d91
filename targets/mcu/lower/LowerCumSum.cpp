// CumSum and CumProd on float32, int32 and int64 (exclusive, reverse; the
// axis input read at run time, constant or not) -> ec_cumsum
// (runtime/kernels/reference/cumsum_any.c).
#include "targets/mcu/lower/Lowering.h"

#include <map>

namespace edgec::mcu {

namespace {

const std::map<DataType, std::string> &types() {
  static const std::map<DataType, std::string> m = {{DataType::Float32, "EC_CUMSUM_F32"},
                                                    {DataType::Int32, "EC_CUMSUM_I32"},
                                                    {DataType::Int64, "EC_CUMSUM_I64"}};
  return m;
}

std::string check(const Node &n, const McuOptions &) {
  if (n.inputs.size() != 2 || !n.inputs[0] || !n.inputs[1] || n.outputs.empty() ||
      !n.outputs[0])
    return "missing input or output";
  const DataType t = n.inputs[0]->type.dtype, at = n.inputs[1]->type.dtype;
  if (!types().count(t) || n.outputs[0]->type.dtype != t)
    return "only float32, int32 and int64";
  if (at != DataType::Int32 && at != DataType::Int64) return "axis must be int32 or int64";
  if (!n.inputs[1]->type.isStatic() || elementCount(*n.inputs[1]) != 1)
    return "axis must have one element";
  if (n.inputs[0]->type.dims.size() > 8) return "rank above 8";
  if (n.inputs[0]->type.dims.empty()) return "the input must have rank >= 1";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  return "";
}

Status lower(LowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> d = staticDims(ctx.inValue(0));
  Operand p = ctx.params(
      "ec_cumsum_params", "cumsum_" + n.name,
      Fields().sym("type", types().at(ctx.inValue(0).type.dtype))
          .i("axis_bytes", ctx.inValue(1).type.dtype == DataType::Int64 ? 8 : 4)
          .i("rank", int64_t(d.size())).ints("dims", d)
          .i("exclusive", n.attrInt("exclusive", 0) != 0 ? 1 : 0)
          .i("reverse", n.attrInt("reverse", 0) != 0 ? 1 : 0)
          .i("product", n.opType == "CumProd" ? 1 : 0));
  ctx.useRuntime("kernels/reference/cumsum_any.h");
  ctx.call("ec_cumsum", {p, ctx.in(0), ctx.in(1), ctx.out(0)});
  ctx.setKernel(n.opType == "CumProd" ? "cumprod" : "cumsum");
  return Status::ok();
}

} // namespace

void registerCumSum(std::vector<Lowering> &out) {
  for (const char *op : {"CumSum", "CumProd"})
    out.push_back({op, Lowering::Any, check, lower, {"float32", "int32", "int64"},
                   "exclusive, reverse; axis at run time"});
}

} // namespace edgec::mcu
