// Float NegativeLogLikelihoodLoss -> ec_nll_loss_f32
// (runtime/kernels/reference/nll_loss_f32.c); SoftmaxCrossEntropyLoss ->
// ec_softmax_f32 (LogSoftmax over dim 1, into the log_prob output or
// scratch) then ec_nll_loss_f32.
#include "targets/mcu/lower/Lowering.h"

namespace edgec::mcu {

namespace {

std::string check(const Node &n, const McuOptions &) {
  if (n.inputs.size() < 2 || !n.inputs[0] || !n.inputs[1] || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  const Value &x = *n.inputs[0], &t = *n.inputs[1];
  if (x.type.dtype != DataType::Float32 || n.outputs[0]->type.dtype != DataType::Float32)
    return "only float32";
  if (t.type.dtype != DataType::Int32 && t.type.dtype != DataType::Int64)
    return "targets must be int32 or int64";
  for (size_t i = 1; i < n.outputs.size(); ++i)
    if (n.outputs[i] && n.outputs[i]->type.dtype != DataType::Float32) return "only float32";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  const auto &xd = x.type.dims, &td = t.type.dims;
  if (xd.size() < 2 || td.size() + 1 != xd.size()) return "target rank must be input rank - 1";
  if (n.inputs.size() > 2 && n.inputs[2]) {
    if (n.inputs[2]->type.dtype != DataType::Float32) return "only float32 weights";
    if (n.inputs[2]->type.dims.size() != 1) return "weight must have shape [C]";
  }
  const Attribute *r = n.attr("reduction");
  if (r && r->s != "none" && r->s != "sum" && r->s != "mean")
    return "reduction '" + r->s + "' is not supported";
  return "";
}

Status lower(LowerContext &ctx) {
  const Node &n = ctx.node();
  const std::vector<int64_t> d = staticDims(ctx.inValue(0)), td = staticDims(ctx.inValue(1));
  int64_t inner = 1;
  for (size_t i = 2; i < d.size(); ++i) {
    if (td[i - 1] != d[i]) return Error(ErrorCode::InvalidInput, "target shape mismatch");
    inner *= d[i];
  }
  if (td[0] != d[0]) return Error(ErrorCode::InvalidInput, "target shape mismatch");
  if (ctx.hasInput(2) && staticDims(ctx.inValue(2))[0] != d[1])
    return Error(ErrorCode::InvalidInput, "weight must have shape [C]");
  const Attribute *r = n.attr("reduction");
  const std::string red = r ? r->s : "mean";
  if (elementCount(ctx.outValue(0)) != (red == "none" ? elementCount(ctx.inValue(1)) : 1))
    return Error(ErrorCode::InvalidInput, "loss output shape does not match the reduction");
  if (n.outputs.size() > 1 && n.outputs[1] &&
      elementCount(ctx.outValue(1)) != elementCount(ctx.inValue(0)))
    return Error(ErrorCode::InvalidInput, "log_prob output shape differs from the input's");
  const Attribute *ig = n.attr("ignore_index");
  Operand logp = ctx.in(0);
  if (n.opType == "SoftmaxCrossEntropyLoss") {
    const bool keep = n.outputs.size() > 1 && n.outputs[1];
    logp = keep ? ctx.out(1)
                : ctx.scratch(elementCount(ctx.inValue(0)) * int64_t(sizeof(float)));
    Operand sp = ctx.params("ec_softmax_f32_params", "logsoftmax_" + n.name,
                            Fields().i("outer", d[0]).i("axis", d[1]).i("inner", inner).i("log", 1));
    ctx.useRuntime("kernels/reference/softmax_f32.h");
    ctx.call("ec_softmax_f32", {sp, ctx.in(0), logp});
  }
  Operand p = ctx.params(
      "ec_nll_loss_f32_params", "nll_" + n.name,
      Fields().i("n", d[0]).i("c", d[1]).i("inner", inner)
          .i("target_i64", ctx.inValue(1).type.dtype == DataType::Int64 ? 1 : 0)
          .sym("reduction", red == "none" ? "EC_LOSS_NONE" : red == "sum" ? "EC_LOSS_SUM"
                                                                          : "EC_LOSS_MEAN")
          .i("has_ignore", ig ? 1 : 0).i("ignore_index", ig ? ig->i : 0));
  ctx.useRuntime("kernels/reference/nll_loss_f32.h");
  ctx.call("ec_nll_loss_f32", {p, logp, ctx.in(1), ctx.hasInput(2) ? ctx.in(2) : Operand::null(),
                               ctx.out(0)});
  ctx.setKernel("nll_loss_f32");
  return Status::ok();
}

} // namespace

void registerLossF32(std::vector<Lowering> &out) {
  for (const char *op : {"NegativeLogLikelihoodLoss", "SoftmaxCrossEntropyLoss"})
    out.push_back({op, Lowering::Float, check, lower, {"float32"},
                   "int32/int64 targets, optional weight, ignore_index, none/sum/mean"});
}

} // namespace edgec::mcu
