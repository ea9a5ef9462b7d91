// Gather and GatherElements on any element type the generated code stores
// (byte copies). Gather with constant float32 indices keeps ec_gather_f32
// (LowerDataF32.cpp); indices read at run time -> ec_gather_any
// (runtime/kernels/reference/gather_any.c); GatherElements ->
// ec_gather_elements_any (gather_elements_any.c); GatherND (batch_dims)
// -> ec_gathernd_any (gathernd_any.c).
#include "targets/mcu/lower/AxisSplit.h"
#include "targets/mcu/lower/ByteCopyTypes.h"
#include "targets/mcu/lower/Lowering.h"

namespace edgec::mcu {

namespace {

int64_t axisOf(const Node &n, int64_t r) {
  const int64_t a = n.attrInt("axis", 0);
  return a < 0 ? a + r : a;
}

/// Data, indices and output of every gather: "" or why not.
std::string checkOperands(const Node &n) {
  if (n.inputs.size() < 2 || !n.inputs[0] || !n.inputs[1] || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  const DataType t = n.inputs[0]->type.dtype;
  if (!byteCopyable(t) || n.outputs[0]->type.dtype != t) return "unsupported element type";
  const DataType it = n.inputs[1]->type.dtype;
  if (it != DataType::Int32 && it != DataType::Int64) return "indices must be int32 or int64";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  if (n.attr(kFusedActivationAttr)) return "fused activation on a data movement op";
  return "";
}

std::string checkCommon(const Node &n) {
  if (std::string why = checkOperands(n); !why.empty()) return why;
  const int64_t r = int64_t(n.inputs[0]->type.dims.size()), a = axisOf(n, r);
  if (r == 0) return "scalar data";
  if (r > 8) return "rank above 8 (EC_MAX_RANK)";
  if (a < 0 || a >= r) return "axis out of range";
  return "";
}

std::string checkGather(const Node &n, const McuOptions &o) {
  if (checkGatherTables(n, o).empty()) return "";
  return checkCommon(n);
}

Status lowerGather(LowerContext &ctx) {
  const Node &n = ctx.node();
  if (checkGatherTables(n, ctx.options()).empty()) return lowerGatherTables(ctx);
  const std::vector<int64_t> d = staticDims(ctx.inValue(0));
  const int64_t axis = axisOf(n, int64_t(d.size()));
  const AxisSplit a = axisSplit(d, axis);
  if (elementCount(ctx.outValue(0)) != a.outer * elementCount(ctx.inValue(1)) * a.inner)
    return Error(ErrorCode::InvalidInput, "output size does not match data and indices");
  Operand p = ctx.params(
      "ec_gather_any_params", "gather_" + n.name,
      Fields().i("outer", a.outer).i("axis", a.n).i("inner", a.inner)
          .i("count", elementCount(ctx.inValue(1)))
          .i("elem_size", int64_t(dataTypeSize(ctx.inValue(0).type.dtype)))
          .i("idx_i64", ctx.inValue(1).type.dtype == DataType::Int64 ? 1 : 0));
  ctx.useRuntime("kernels/reference/gather_any.h");
  ctx.call("ec_gather_any", {p, ctx.in(1), ctx.in(0), ctx.out(0)});
  ctx.setKernel("gather_any");
  return Status::ok();
}

std::string checkGatherElements(const Node &n, const McuOptions &) {
  std::string why = checkCommon(n);
  if (!why.empty()) return why;
  if (n.inputs[1]->type.dims.size() != n.inputs[0]->type.dims.size())
    return "indices must have the data's rank";
  return "";
}

Status lowerGatherElements(LowerContext &ctx) {
  const Node &n = ctx.node();
  const std::vector<int64_t> d = staticDims(ctx.inValue(0)), od = staticDims(ctx.outValue(0));
  const int64_t r = int64_t(d.size()), axis = axisOf(n, r);
  if (od != staticDims(ctx.inValue(1)))
    return Error(ErrorCode::InvalidInput, "output shape differs from the indices'");
  for (int64_t i = 0; i < r; ++i)
    if (i != axis && od[size_t(i)] > d[size_t(i)])
      return Error(ErrorCode::InvalidInput, "indices larger than the data off the axis");
  std::vector<int64_t> str(d.size(), 1);
  for (size_t i = d.size(); i-- > 1;) str[i - 1] = str[i] * d[i];
  Operand p = ctx.params(
      "ec_gather_elements_any_params", "gather_el_" + n.name,
      Fields().i("rank", r).i("axis", axis).ints("out_dims", od).ints("data_str", str)
          .i("axis_len", d[size_t(axis)])
          .i("elem_size", int64_t(dataTypeSize(ctx.inValue(0).type.dtype)))
          .i("idx_i64", ctx.inValue(1).type.dtype == DataType::Int64 ? 1 : 0));
  ctx.useRuntime("kernels/reference/gather_elements_any.h");
  ctx.call("ec_gather_elements_any", {p, ctx.in(0), ctx.in(1), ctx.out(0)});
  ctx.setKernel("gather_elements_any");
  return Status::ok();
}

std::string checkGatherND(const Node &n, const McuOptions &) {
  if (std::string why = checkOperands(n); !why.empty()) return why;
  const auto &dd = n.inputs[0]->type.dims, &id = n.inputs[1]->type.dims;
  const int64_t b = n.attrInt("batch_dims", 0);
  if (dd.size() > 8 || id.empty() || !id.back().isStatic()) return "unsupported shapes";
  const int64_t k = id.back().value;
  if (b < 0 || b >= int64_t(id.size()) || b + k > int64_t(dd.size()) || k < 1)
    return "batch_dims and the indices' last dim must fit the data's rank";
  return "";
}

Status lowerGatherND(LowerContext &ctx) {
  const Node &n = ctx.node();
  const std::vector<int64_t> d = staticDims(ctx.inValue(0)), id = staticDims(ctx.inValue(1));
  const size_t b = size_t(ctx.node().attrInt("batch_dims", 0)), k = size_t(id.back());
  int64_t batch = 1, count = 1, slice = 1;
  for (size_t i = 0; i < b; ++i) {
    if (d[i] != id[i]) return Error(ErrorCode::InvalidInput, "batch dims differ");
    batch *= d[i];
  }
  for (size_t i = b; i + 1 < id.size(); ++i) count *= id[i];
  for (size_t i = b + k; i < d.size(); ++i) slice *= d[i];
  std::vector<int64_t> dims(d.begin() + int64_t(b), d.begin() + int64_t(b + k)), str;
  for (size_t j = 0; j < k; ++j) {
    int64_t s = 1;
    for (size_t i = b + j + 1; i < d.size(); ++i) s *= d[i];
    str.push_back(s);
  }
  const int64_t batchStride = batch ? elementCount(ctx.inValue(0)) / batch : 0;
  if (elementCount(ctx.outValue(0)) != batch * count * slice)
    return Error(ErrorCode::InvalidInput, "output size does not match data and indices");
  Operand p = ctx.params(
      "ec_gathernd_any_params", "gathernd_" + n.name,
      Fields().i("batch", batch).i("n", count).i("k", int64_t(k)).i("slice", slice)
          .i("batch_stride", batchStride).ints("dims", dims).ints("str", str)
          .i("elem_size", int64_t(dataTypeSize(ctx.inValue(0).type.dtype)))
          .i("idx_i64", ctx.inValue(1).type.dtype == DataType::Int64 ? 1 : 0));
  ctx.useRuntime("kernels/reference/gathernd_any.h");
  ctx.call("ec_gathernd_any", {p, ctx.in(0), ctx.in(1), ctx.out(0)});
  ctx.setKernel("gathernd_any");
  return Status::ok();
}

} // namespace

void registerGatherAny(std::vector<Lowering> &out) {
  const std::vector<std::string> &types = byteCopyTypeNames();
  out.push_back({"Gather", Lowering::Float, checkGather, lowerGather, types,
                 "constant or run-time int32/int64 indices"});
  out.push_back({"GatherElements", Lowering::Float, checkGatherElements, lowerGatherElements,
                 types, "run-time int32/int64 indices"});
  out.push_back({"GatherND", Lowering::Float, checkGatherND, lowerGatherND, types,
                 "run-time int32/int64 indices, batch_dims"});
}

} // namespace edgec::mcu
