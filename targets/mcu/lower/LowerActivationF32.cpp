// Float activations: Relu, Clip, LeakyRelu, HardSigmoid, HardSwish, Sigmoid,
// Tanh -> ec_activation_f32 (runtime/kernels/activation_f32.c).
#include "targets/mcu/lower/Lowering.h"

#include <cmath>

namespace edgec::mcu {

namespace {

std::string check(const Node &n, const McuOptions &) {
  if (n.inputs.empty() || !n.inputs[0] || n.outputs.empty())
    return "missing input or output";
  if (n.inputs[0]->type.dtype != DataType::Float32 ||
      n.outputs[0]->type.dtype != DataType::Float32)
    return "only float32";
  if (n.opType == "Clip") {
    for (size_t i = 1; i < n.inputs.size() && i < 3; ++i)
      if (n.inputs[i] && !n.inputs[i]->constant &&
          (n.inputs[i]->type.dtype != DataType::Float32 || !n.inputs[i]->type.isStatic() ||
           elementCount(*n.inputs[i]) != 1))
        return "Clip bounds computed at run time must be single float32 values";
  }
  if (n.attr(kFusedActivationAttr)) return "a second fused activation";
  return "";
}

/// Clip whose bounds are computed by the model: ec_clip_f32 reads them at
/// run time.
Status lowerDynamicClip(LowerContext &ctx) {
  auto bound = [&](size_t i) -> Operand {
    if (!ctx.hasInput(i) || ctx.inValue(i).name.empty()) return Operand::null();
    if (const Tensor *t = ctx.constantInput(i); t && t->numElements() == 0) return Operand::null();
    return ctx.in(i);
  };
  ctx.useRuntime("kernels/reference/activation_f32.h");
  ctx.call("ec_clip_f32", {ctx.in(0), bound(1), bound(2), ctx.out(0),
                           Operand::integer(elementCount(ctx.outValue(0)))});
  ctx.setKernel("clip_f32 (run-time bounds)");
  ctx.allowInPlace(0);
  return Status::ok();
}

Status lower(LowerContext &ctx) {
  const Node &n = ctx.node();
  if (n.opType == "Clip" && (n.opsetVersion == 0 || n.opsetVersion >= 11))
    for (size_t i = 1; i < 3; ++i)
      if (ctx.hasInput(i) && !ctx.inValue(i).name.empty() && !ctx.constantInput(i))
        return lowerDynamicClip(ctx);
  float alpha = 0, beta = 0, lo = -INFINITY, hi = INFINITY;
  std::string kind;
  if (n.opType == "Relu") kind = "EC_ACT_RELU";
  else if (n.opType == "Clip") {
    kind = "EC_ACT_CLIP";
    if (n.opsetVersion > 0 && n.opsetVersion < 11) {
      lo = n.attrFloat("min", -3.402823466e+38f);
      hi = n.attrFloat("max", 3.402823466e+38f);
    } else {
      if (const Tensor *t = ctx.constantInput(1); t && t->numElements() > 0)
        lo = float(t->getDouble(0));
      if (const Tensor *t = ctx.constantInput(2); t && t->numElements() > 0)
        hi = float(t->getDouble(0));
    }
  } else if (n.opType == "LeakyRelu") {
    kind = "EC_ACT_LEAKY_RELU";
    alpha = n.attrFloat("alpha", 0.01f);
  } else if (n.opType == "HardSigmoid") {
    kind = "EC_ACT_HARD_SIGMOID";
    alpha = n.attrFloat("alpha", 0.2f);
    beta = n.attrFloat("beta", 0.5f);
  } else if (n.opType == "HardSwish") kind = "EC_ACT_HARD_SWISH";
  else if (n.opType == "Sigmoid") kind = "EC_ACT_SIGMOID";
  else kind = "EC_ACT_TANH";
  Operand p = ctx.params("ec_act_params", "act_" + n.name,
                         actParams(kind, alpha, beta, lo, hi));
  ctx.useRuntime("kernels/reference/activation_f32.h");
  ctx.call("ec_activation_f32",
           {p, ctx.in(0), ctx.out(0), Operand::integer(elementCount(ctx.outValue(0)))});
  ctx.setKernel("activation_f32");
  ctx.allowInPlace(0);
  return Status::ok();
}

} // namespace

void registerActivationF32(std::vector<Lowering> &out) {
  for (const char *op : {"Relu", "Clip", "LeakyRelu", "HardSigmoid", "HardSwish",
                         "Sigmoid", "Tanh"})
    out.push_back({op, Lowering::Float, check, lower, {"float32"}, ""});
}

} // namespace edgec::mcu
