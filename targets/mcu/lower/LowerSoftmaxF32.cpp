// Float Softmax / LogSoftmax / Hardmax over any axis (opset < 13: the dims from axis
// on, flattened) -> ec_softmax_f32 (runtime/kernels/softmax_f32.c).
#include "targets/mcu/lower/Lowering.h"

namespace edgec::mcu {

namespace {

std::string check(const Node &n, const McuOptions &) {
  if (n.inputs.empty() || !n.inputs[0] || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  if (n.inputs[0]->type.dtype != DataType::Float32 ||
      n.outputs[0]->type.dtype != DataType::Float32)
    return "only float32";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  if (n.attr(kFusedActivationAttr)) return "fused activation on a softmax";
  int64_t r = int64_t(n.inputs[0]->type.dims.size());
  const Attribute *a = n.attr("axis");
  int64_t axis = a ? a->i : (n.opsetVersion > 0 && n.opsetVersion < 13 ? 1 : -1);
  if (r == 0) return "scalar input";
  if (axis < -r || axis >= r) return "axis out of range";
  return "";
}

Status lower(LowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> d = staticDims(ctx.inValue(0));
  int64_t r = int64_t(d.size());
  bool legacy = n.opsetVersion > 0 && n.opsetVersion < 13;
  const Attribute *a = n.attr("axis");
  int64_t axis = a ? a->i : (legacy ? 1 : -1);
  if (axis < 0) axis += r;
  int64_t outer = 1, len = 1, inner = 1;
  for (int64_t i = 0; i < r; ++i) {
    if (i < axis) outer *= d[size_t(i)];
    else if (i == axis || legacy) len *= d[size_t(i)];
    else inner *= d[size_t(i)];
  }
  Operand p = ctx.params("ec_softmax_f32_params", "softmax_" + n.name,
                         Fields().i("outer", outer).i("axis", len).i("inner", inner)
                             .i("log", n.opType == "LogSoftmax" ? 1 : n.opType == "Hardmax" ? 2 : 0));
  ctx.useRuntime("kernels/reference/softmax_f32.h");
  ctx.call("ec_softmax_f32", {p, ctx.in(0), ctx.out(0)});
  ctx.setKernel("softmax_f32");
  ctx.allowInPlace(0);
  return Status::ok();
}

} // namespace

void registerSoftmaxF32(std::vector<Lowering> &out) {
  for (const char *op : {"Softmax", "LogSoftmax", "Hardmax"})
    out.push_back({op, Lowering::Float, check, lower, {"float32"}, "any axis"});
}

} // namespace edgec::mcu
