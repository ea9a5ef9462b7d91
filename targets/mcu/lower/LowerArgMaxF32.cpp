// Float ArgMax / ArgMin (axis, keepdims, select_last_index; int64 indices)
// -> ec_argmax_f32 (runtime/kernels/reference/argmax_f32.c).
#include "targets/mcu/lower/Lowering.h"

namespace edgec::mcu {

namespace {

std::string check(const Node &n, const McuOptions &) {
  if (n.inputs.size() != 1 || !n.inputs[0] || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  if (n.inputs[0]->type.dtype != DataType::Float32) return "only float32";
  if (n.outputs[0]->type.dtype != DataType::Int64) return "output must be int64";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  const int64_t r = int64_t(n.inputs[0]->type.dims.size()), a = n.attrInt("axis", 0);
  if (r == 0) return "the input must have rank >= 1";
  if (a < -r || a >= r) return "axis out of range";
  return "";
}

Status lower(LowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> d = staticDims(ctx.inValue(0));
  int64_t axis = n.attrInt("axis", 0);
  if (axis < 0) axis += int64_t(d.size());
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < axis; ++i) outer *= d[size_t(i)];
  for (size_t i = size_t(axis) + 1; i < d.size(); ++i) inner *= d[i];
  if (d[size_t(axis)] == 0)
    return Error(ErrorCode::InvalidInput, "the arg-extreme of an empty axis");
  Operand p = ctx.params("ec_argmax_f32_params", "arg_" + n.name,
                         Fields().i("outer", outer).i("axis", d[size_t(axis)]).i("inner", inner)
                             .i("is_min", n.opType == "ArgMin" ? 1 : 0)
                             .i("select_last", n.attrInt("select_last_index", 0) != 0 ? 1 : 0));
  ctx.useRuntime("kernels/reference/argmax_f32.h");
  ctx.call("ec_argmax_f32", {p, ctx.in(0), ctx.out(0)});
  ctx.setKernel("argmax_f32");
  return Status::ok();
}

} // namespace

void registerArgMaxF32(std::vector<Lowering> &out) {
  for (const char *op : {"ArgMax", "ArgMin"})
    out.push_back({op, Lowering::Float, check, lower, {"float32"},
                   "int64 indices; keepdims, select_last_index"});
}

} // namespace edgec::mcu
