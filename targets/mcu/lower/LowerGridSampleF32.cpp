// Float GridSample over 1 to 3 spatial dims (nearest / linear / cubic;
// zeros / border / reflection padding; align_corners) -> ec_grid_sample_f32
// (runtime/kernels/reference/grid_sample_f32.c).
#include "targets/mcu/lower/Lowering.h"

namespace edgec::mcu {

namespace {

std::string modeOf(const Node &n) {
  const Attribute *m = n.attr("mode");
  std::string s = m ? m->s : (n.opsetVersion >= 20 ? "linear" : "bilinear");
  if (s == "bilinear") return "linear";
  if (s == "bicubic") return "cubic";
  return s;
}

std::string check(const Node &n, const McuOptions &) {
  if (n.inputs.size() != 2 || !n.inputs[0] || !n.inputs[1] || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  for (const Value *v : {n.inputs[0], n.inputs[1], n.outputs[0]})
    if (v->type.dtype != DataType::Float32) return "only float32";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  const size_t r = n.inputs[0]->type.dims.size();
  if (r < 3 || r > 5) return "only 1 to 3 spatial dims";
  if (n.inputs[1]->type.dims.size() != r) return "grid must have the input's rank";
  const std::string m = modeOf(n);
  if (m != "nearest" && m != "linear" && m != "cubic") return "unknown mode '" + m + "'";
  const Attribute *pm = n.attr("padding_mode");
  if (pm && pm->s != "zeros" && pm->s != "border" && pm->s != "reflection")
    return "unknown padding_mode '" + pm->s + "'";
  return "";
}

Status lower(LowerContext &ctx) {
  const Node &n = ctx.node();
  const std::vector<int64_t> xd = staticDims(ctx.inValue(0)), gd = staticDims(ctx.inValue(1)),
                             yd = staticDims(ctx.outValue(0));
  const size_t r = xd.size() - 2;
  if (gd[0] != xd[0] || gd.back() != int64_t(r) || yd[0] != xd[0] || yd[1] != xd[1])
    return Error(ErrorCode::InvalidInput, "grid shape does not match the input");
  for (size_t i = 0; i < r; ++i)
    if (yd[2 + i] != gd[1 + i]) return Error(ErrorCode::InvalidInput, "output shape mismatch");
  for (size_t i = 0; i < r; ++i)
    if (xd[2 + i] == 0 && elementCount(ctx.outValue(0)) != 0)
      return Error(ErrorCode::InvalidInput, "empty input spatial dim");
  const std::string m = modeOf(n);
  const Attribute *pm = n.attr("padding_mode");
  const std::string pad = pm ? pm->s : "zeros";
  Operand p = ctx.params(
      "ec_grid_sample_f32_params", "gridsample_" + n.name,
      Fields().i("n", xd[0]).i("c", xd[1]).i("rank", int64_t(r))
          .ints("in", std::vector<int64_t>(xd.begin() + 2, xd.end()))
          .ints("out", std::vector<int64_t>(yd.begin() + 2, yd.end()))
          .sym("mode", m == "nearest" ? "EC_GS_NEAREST" : m == "linear" ? "EC_GS_LINEAR"
                                                                         : "EC_GS_CUBIC")
          .sym("padding", pad == "zeros" ? "EC_GS_ZEROS" : pad == "border" ? "EC_GS_BORDER"
                                                                            : "EC_GS_REFLECTION")
          .i("align_corners", n.attrInt("align_corners", 0) != 0 ? 1 : 0));
  ctx.useRuntime("kernels/reference/grid_sample_f32.h");
  ctx.call("ec_grid_sample_f32", {p, ctx.in(0), ctx.in(1), ctx.out(0)});
  ctx.setKernel("grid_sample_f32 (" + m + ")");
  return Status::ok();
}

} // namespace

void registerGridSampleF32(std::vector<Lowering> &out) {
  out.push_back({"GridSample", Lowering::Float, check, lower, {"float32"},
                 "1 to 3 spatial dims; nearest/linear/cubic; zeros/border/reflection"});
}

} // namespace edgec::mcu
