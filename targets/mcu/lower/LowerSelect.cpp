// Where, any element type: with a single-element condition (what
// inline-if produces for an If) a copy of the selected operand; otherwise
// elementwise with numpy broadcasting -> ec_where
// (runtime/kernels/reference/where_any.c).
#include "targets/mcu/lower/Lowering.h"

namespace edgec::mcu {

namespace {

/// The inlined-If form: one condition element, operands of the output's type.
bool isCopy(const Node &n) {
  const Value &c = *n.inputs[0], &x = *n.inputs[1], &y = *n.inputs[2], &o = *n.outputs[0];
  return c.type.isStatic() && elementCount(c) == 1 && x.type == o.type && y.type == o.type;
}

std::string check(const Node &n, const McuOptions &) {
  if (n.inputs.size() != 3 || !n.inputs[0] || !n.inputs[1] || !n.inputs[2] || n.outputs.empty() ||
      !n.outputs[0])
    return "Where needs a condition and two operands";
  const Value &c = *n.inputs[0], &x = *n.inputs[1], &y = *n.inputs[2], &o = *n.outputs[0];
  if (c.type.dtype != DataType::Bool) return "the condition must be bool";
  if (x.type.dtype != o.type.dtype || y.type.dtype != o.type.dtype)
    return "both operands must have the output's element type";
  if (!c.type.isStatic() || !x.type.isStatic() || !y.type.isStatic() || !o.type.isStatic())
    return "shapes must be static";
  if (o.type.dims.size() > 8) return "rank above 8";
  if (dataTypeSize(o.type.dtype) == 0) return "element type without a fixed size";
  return "";
}

Status lower(LowerContext &ctx) {
  const Node &n = ctx.node();
  const int64_t size = int64_t(dataTypeSize(ctx.outValue(0).type.dtype));
  if (isCopy(n)) {
    Operand cond = ctx.in(0), x = ctx.in(1), y = ctx.in(2);
    ctx.call("memcpy", {ctx.out(0), Operand::select(cond, x, y),
                        Operand::integer(elementCount(ctx.outValue(0)) * size)});
    ctx.setKernel("select (copy)");
    return Status::ok();
  }
  std::vector<int64_t> od = staticDims(ctx.outValue(0)), dims = od;
  std::vector<std::vector<int64_t>> st = {bcastStrides(staticDims(ctx.inValue(0)), od),
                                          bcastStrides(staticDims(ctx.inValue(1)), od),
                                          bcastStrides(staticDims(ctx.inValue(2)), od)};
  coalesce(dims, st);
  Operand p = ctx.params("ec_where_params", "where_" + n.name,
                         Fields().i("rank", int64_t(dims.size())).ints("dims", dims)
                             .ints("c_str", st[0]).ints("a_str", st[1]).ints("b_str", st[2])
                             .i("size", size));
  ctx.useRuntime("kernels/reference/where_any.h");
  ctx.call("ec_where", {p, ctx.in(0), ctx.in(1), ctx.in(2), ctx.out(0)});
  ctx.setKernel("where");
  return Status::ok();
}

} // namespace

void registerSelect(std::vector<Lowering> &out) {
  out.push_back({"Where", Lowering::Any, check, lower, {"any"},
                 "numpy broadcasting, rank <= 8"});
}

} // namespace edgec::mcu
