// Where with a single-element condition (what inline-if produces for an
// If): a copy of the selected operand, any element type.
#include "targets/mcu/lower/Lowering.h"

namespace edgec::mcu {

namespace {

std::string check(const Node &n, const McuOptions &) {
  if (n.inputs.size() != 3 || !n.inputs[0] || !n.inputs[1] || !n.inputs[2] || n.outputs.empty())
    return "Where needs a condition and two operands";
  const Value &c = *n.inputs[0], &x = *n.inputs[1], &y = *n.inputs[2], &o = *n.outputs[0];
  if (c.type.dtype != DataType::Bool || !c.type.isStatic() || elementCount(c) != 1)
    return "only a single-element condition (an inlined If); elementwise Where is not supported";
  if (!(x.type == o.type) || !(y.type == o.type))
    return "both operands must have the output's type and shape (no broadcasting)";
  return "";
}

Status lower(LowerContext &ctx) {
  int64_t bytes = elementCount(ctx.outValue(0)) * int64_t(dataTypeSize(ctx.outValue(0).type.dtype));
  Operand cond = ctx.in(0), x = ctx.in(1), y = ctx.in(2);
  ctx.call("memcpy", {ctx.out(0), Operand::select(cond, x, y), Operand::integer(bytes)});
  ctx.setKernel("select (copy)");
  return Status::ok();
}

} // namespace

void registerSelect(std::vector<Lowering> &out) {
  out.push_back({"Where", Lowering::Any, check, lower, {"any"},
                 "single-element condition only (an inlined If)"});
}

} // namespace edgec::mcu
