// Trilu, any element type, k read at run time (the output shape is the
// input's) -> ec_trilu (runtime/kernels/reference/trilu_any.c).
#include "targets/mcu/lower/Lowering.h"

namespace edgec::mcu {

namespace {

std::string check(const Node &n, const McuOptions &) {
  if (n.inputs.empty() || !n.inputs[0] || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  const Value &x = *n.inputs[0];
  if (x.type.dims.size() < 2) return "the input must have rank >= 2";
  if (n.outputs[0]->type.dtype != x.type.dtype) return "the output must have the input's type";
  if (dataTypeSize(x.type.dtype) == 0) return "element type without a fixed size";
  if (n.inputs.size() > 1 && n.inputs[1]) {
    const Value &k = *n.inputs[1];
    if (k.type.dtype != DataType::Int64 || !k.type.isStatic() || elementCount(k) != 1)
      return "k must be an int64 scalar";
  }
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  return "";
}

Status lower(LowerContext &ctx) {
  const Node &n = ctx.node();
  const std::vector<int64_t> d = staticDims(ctx.inValue(0));
  const int64_t rows = d[d.size() - 2], cols = d[d.size() - 1];
  const int64_t mats = rows * cols == 0 ? 0 : elementCount(ctx.inValue(0)) / (rows * cols);
  Operand p = ctx.params("ec_trilu_params", "trilu_" + n.name,
                         Fields().i("mats", mats).i("rows", rows).i("cols", cols)
                             .i("size", int64_t(dataTypeSize(ctx.inValue(0).type.dtype)))
                             .i("upper", n.attrInt("upper", 1) != 0 ? 1 : 0));
  ctx.useRuntime("kernels/reference/trilu_any.h");
  ctx.call("ec_trilu", {p, ctx.in(0), ctx.hasInput(1) ? ctx.in(1) : Operand::null(), ctx.out(0)});
  ctx.setKernel("trilu");
  return Status::ok();
}

} // namespace

void registerTrilu(std::vector<Lowering> &out) {
  out.push_back({"Trilu", Lowering::Any, check, lower, {"any"}, "k read at run time"});
}

} // namespace edgec::mcu
