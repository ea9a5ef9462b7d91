// TopK on float32 / int32 / int64 (k: the outputs' static size along the
// axis; largest, sorted output) -> ec_topk (runtime/kernels/reference/topk_any.c).
#include "targets/mcu/lower/Lowering.h"

#include <map>

namespace edgec::mcu {

namespace {

const std::map<DataType, std::string> &types() {
  static const std::map<DataType, std::string> m = {{DataType::Float32, "EC_TOPK_F32"},
                                                    {DataType::Int32, "EC_TOPK_I32"},
                                                    {DataType::Int64, "EC_TOPK_I64"}};
  return m;
}

int64_t axisOf(const Node &n, int64_t rank) {
  const int64_t a = n.attrInt("axis", -1);
  return a < 0 ? a + rank : a;
}

std::string check(const Node &n, const McuOptions &) {
  if (n.inputs.empty() || !n.inputs[0] || n.outputs.size() < 2 || !n.outputs[0] || !n.outputs[1])
    return "missing input or output";
  const DataType t = n.inputs[0]->type.dtype;
  if (!types().count(t)) return "only float32, int32 and int64";
  if (n.outputs[0]->type.dtype != t || n.outputs[1]->type.dtype != DataType::Int64)
    return "values must have the input's type, indices int64";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  const int64_t r = int64_t(n.inputs[0]->type.dims.size()), a = axisOf(n, r);
  if (r == 0 || a < 0 || a >= r) return "axis out of range";
  if (n.outputs[0]->type.dims.size() != size_t(r)) return "outputs must have the input's rank";
  return "";
}

Status lower(LowerContext &ctx) {
  const Node &n = ctx.node();
  const std::vector<int64_t> d = staticDims(ctx.inValue(0)), od = staticDims(ctx.outValue(0));
  const int64_t axis = axisOf(n, int64_t(d.size()));
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < axis; ++i) outer *= d[size_t(i)];
  for (size_t i = size_t(axis) + 1; i < d.size(); ++i) inner *= d[i];
  const int64_t k = od[size_t(axis)];
  if (k > d[size_t(axis)]) return Error(ErrorCode::InvalidInput, "k is larger than the axis");
  Operand p = ctx.params("ec_topk_params", "topk_" + n.name,
                         Fields().sym("type", types().at(ctx.inValue(0).type.dtype))
                             .i("outer", outer).i("n", d[size_t(axis)]).i("inner", inner)
                             .i("k", k).i("largest", n.attrInt("largest", 1) != 0 ? 1 : 0));
  ctx.useRuntime("kernels/reference/topk_any.h");
  ctx.call("ec_topk", {p, ctx.in(0), ctx.out(0), ctx.out(1)});
  ctx.setKernel("topk");
  return Status::ok();
}

} // namespace

void registerTopK(std::vector<Lowering> &out) {
  out.push_back({"TopK", Lowering::Any, check, lower, {"float32", "int32", "int64"},
                 "k from the static output shape; sorted"});
}

} // namespace edgec::mcu
