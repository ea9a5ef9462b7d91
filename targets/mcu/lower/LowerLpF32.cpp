// Float LpPool / GlobalLpPool (1 to 3 spatial dims, NCHW) -> ec_lp_pool_f32
// and LpNormalization (p 1 or 2, any axis) -> ec_lp_norm_f32
// (runtime/kernels/reference/).
#include "targets/mcu/lower/AxisSplit.h"
#include "targets/mcu/lower/Lowering.h"

namespace edgec::mcu {

namespace {

std::string checkFloat(const Node &n) {
  if (n.inputs.empty() || !n.inputs[0] || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  if (n.inputs[0]->type.dtype != DataType::Float32 ||
      n.outputs[0]->type.dtype != DataType::Float32)
    return "only float32";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  if (n.attr(kFusedActivationAttr)) return "fused activation";
  return "";
}

std::string checkPool(const Node &n, const McuOptions &) {
  std::string why = checkFloat(n);
  if (!why.empty()) return why;
  const size_t r = n.inputs[0]->type.dims.size();
  if (r < 3 || r > 5) return "only 1-D to 3-D pooling";
  if (!(n.attrFloat("p", 2.0f) > 0)) return "p must be positive";
  if (n.opType == "LpPool" && n.inputs[0]->type.isStatic())
    if (auto w = windowOf(n); !w) return w.error().message();
  return "";
}

Status lowerPool(LowerContext &ctx) {
  const Node &n = ctx.node();
  const std::vector<int64_t> xd = staticDims(ctx.inValue(0)), yd = staticDims(ctx.outValue(0));
  const size_t sp = xd.size() - 2;
  if (yd.size() != xd.size() || yd[0] != xd[0] || yd[1] != xd[1])
    return Error(ErrorCode::InvalidInput, "output batch or channels differ from the input's");
  std::vector<int64_t> in(xd.begin() + 2, xd.end()), out(yd.begin() + 2, yd.end());
  std::vector<int64_t> k = in, s(sp, 1), d(sp, 1), pad(sp, 0);
  if (n.opType == "LpPool") {
    EDGEC_ASSIGN_OR_RETURN(WindowGeometry win, windowOf(n));
    k = win.kernel;
    s = win.stride;
    d = win.dilation;
    pad = win.padBegin;
  }
  Operand p = ctx.params("ec_lp_pool_f32_params", "lppool_" + n.name,
                         Fields().i("planes", xd[0] * xd[1]).i("rank", int64_t(sp))
                             .ints("in", in).ints("out", out).ints("k", k).ints("s", s)
                             .ints("d", d).ints("pad", pad).f("p", n.attrFloat("p", 2.0f)));
  ctx.useRuntime("kernels/reference/lp_pool_f32.h");
  ctx.call("ec_lp_pool_f32", {p, ctx.in(0), ctx.out(0)});
  ctx.setKernel("lp_pool_f32");
  return Status::ok();
}

std::string checkNorm(const Node &n, const McuOptions &) {
  std::string why = checkFloat(n);
  if (!why.empty()) return why;
  const int64_t r = int64_t(n.inputs[0]->type.dims.size()), a = n.attrInt("axis", -1);
  if (r == 0) return "scalar input";
  if (a < -r || a >= r) return "axis out of range";
  const int64_t p = n.attrInt("p", 2);
  if (p != 1 && p != 2) return "p must be 1 or 2";
  return "";
}

Status lowerNorm(LowerContext &ctx) {
  const Node &n = ctx.node();
  const std::vector<int64_t> d = staticDims(ctx.inValue(0));
  int64_t axis = n.attrInt("axis", -1);
  if (axis < 0) axis += int64_t(d.size());
  const AxisSplit a = axisSplit(d, axis);
  if (elementCount(ctx.outValue(0)) != elementCount(ctx.inValue(0)))
    return Error(ErrorCode::InvalidInput, "output size differs from the input's");
  Operand p = ctx.params("ec_lp_norm_f32_params", "lpnorm_" + n.name,
                         Fields().i("outer", a.outer).i("n", a.n).i("inner", a.inner)
                             .i("p", n.attrInt("p", 2)));
  ctx.useRuntime("kernels/reference/lp_norm_f32.h");
  ctx.call("ec_lp_norm_f32", {p, ctx.in(0), ctx.out(0)});
  ctx.setKernel("lp_norm_f32");
  ctx.allowInPlace(0);
  return Status::ok();
}

} // namespace

void registerLpF32(std::vector<Lowering> &out) {
  out.push_back({"LpPool", Lowering::Float, checkPool, lowerPool, {"float32"},
                 "1-D to 3-D, NCHW; pads, strides, dilations, ceil_mode"});
  out.push_back({"GlobalLpPool", Lowering::Float, checkPool, lowerPool, {"float32"}, "NCHW"});
  out.push_back({"LpNormalization", Lowering::Float, checkNorm, lowerNorm, {"float32"},
                 "p 1 or 2, any axis"});
}

} // namespace edgec::mcu
