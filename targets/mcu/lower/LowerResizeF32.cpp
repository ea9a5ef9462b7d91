// Float Resize / Upsample. Constant scales/sizes with nearest or linear
// (no antialias, no tf_crop_and_resize) keep the precomputed index tables of
// ec_resize_f32 (LowerDataF32.cpp); every other form -- scales, sizes or roi
// given at run time, cubic, antialias, tf_crop_and_resize, the axes
// attribute, keep_aspect_ratio_policy -- goes to ec_resize_rt_f32
// (runtime/kernels/reference/resize_rt_f32.c), which reads them at run time
// into a static output shape.
#include "targets/mcu/lower/Lowering.h"

#include <cmath>
#include <map>

namespace edgec::mcu {

namespace {

const std::map<std::string, std::string> kCtm = {
    {"half_pixel", "EC_CTM_HALF_PIXEL"},
    {"half_pixel_symmetric", "EC_CTM_HALF_PIXEL_SYMMETRIC"},
    {"pytorch_half_pixel", "EC_CTM_PYTORCH_HALF_PIXEL"},
    {"align_corners", "EC_CTM_ALIGN_CORNERS"},
    {"asymmetric", "EC_CTM_ASYMMETRIC"},
    {"tf_crop_and_resize", "EC_CTM_TF_CROP_AND_RESIZE"},
    {"tf_half_pixel_for_nn", "EC_CTM_TF_HALF_PIXEL_FOR_NN"}};
const std::map<std::string, std::string> kNearest = {
    {"round_prefer_floor", "EC_NEAREST_ROUND_PREFER_FLOOR"},
    {"round_prefer_ceil", "EC_NEAREST_ROUND_PREFER_CEIL"},
    {"floor", "EC_NEAREST_FLOOR"},
    {"ceil", "EC_NEAREST_CEIL"}};
const std::map<std::string, std::string> kPolicy = {{"stretch", "EC_KEEP_STRETCH"},
                                                    {"not_larger", "EC_KEEP_NOT_LARGER"},
                                                    {"not_smaller", "EC_KEEP_NOT_SMALLER"}};

bool legacy(const Node &n) { return n.opType == "Upsample" || n.opsetVersion < 11; }

std::string modeOf(const Node &n) {
  const Attribute *m = n.attr("mode");
  const std::string s = m ? m->s : "nearest";
  if (s == "bilinear" || s == "trilinear") return "linear";
  if (s == "bicubic") return "cubic";
  return s;
}

std::string attrStr(const Node &n, const char *name, const char *dflt) {
  const Attribute *a = n.attr(name);
  return a ? a->s : dflt;
}

/// Input i is given: present with at least one element.
bool given(const Node &n, size_t i) {
  return i < n.inputs.size() && n.inputs[i] && n.inputs[i]->type.isStatic() &&
         elementCount(*n.inputs[i]) > 0;
}

std::string checkRt(const Node &n) {
  if (n.inputs.empty() || !n.inputs[0] || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  if (n.inputs[0]->type.dtype != DataType::Float32 ||
      n.outputs[0]->type.dtype != DataType::Float32)
    return "only float32 data";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  if (n.attr(kFusedActivationAttr)) return "fused activation on a data movement op";
  const size_t r = n.inputs[0]->type.dims.size();
  if (r == 0 || r > 6) return "rank 1 to 6 only";
  const std::string mode = modeOf(n);
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return "mode '" + mode + "' is not supported";
  if (legacy(n)) {
    if (mode == "cubic") return "cubic needs Resize opset 11";
    if (n.inputs.size() > 1 && n.inputs[1] && n.inputs[1]->type.dtype != DataType::Float32)
      return "scales must be float32";
    return "";
  }
  if (!kCtm.count(attrStr(n, "coordinate_transformation_mode", "half_pixel")))
    return "unknown coordinate_transformation_mode";
  if (!kNearest.count(attrStr(n, "nearest_mode", "round_prefer_floor")))
    return "unknown nearest_mode";
  if (!kPolicy.count(attrStr(n, "keep_aspect_ratio_policy", "stretch")))
    return "unknown keep_aspect_ratio_policy";
  if (given(n, 1) && n.inputs[1]->type.dtype != DataType::Float32) return "roi must be float32";
  if (given(n, 2) && n.inputs[2]->type.dtype != DataType::Float32)
    return "scales must be float32";
  if (given(n, 3) && n.inputs[3]->type.dtype != DataType::Int64) return "sizes must be int64";
  if (given(n, 2) == given(n, 3)) return "exactly one of scales and sizes must be given";
  const int64_t na = n.attrInts("axes").empty() ? int64_t(r) : int64_t(n.attrInts("axes").size());
  for (int64_t a : n.attrInts("axes"))
    if (a < -int64_t(r) || a >= int64_t(r)) return "axes out of range";
  const size_t which = given(n, 2) ? 2 : 3;
  if (elementCount(*n.inputs[which]) != na)
    return "scales/sizes must have one entry per resized axis";
  if (given(n, 1) && elementCount(*n.inputs[1]) != 2 * na)
    return "roi must have two entries per resized axis";
  return "";
}

std::string check(const Node &n, const McuOptions &o) {
  if (checkResizeTables(n, o).empty()) return "";
  return checkRt(n);
}

Status lowerRt(LowerContext &ctx) {
  const Node &n = ctx.node();
  const std::vector<int64_t> d = staticDims(ctx.inValue(0)), od = staticDims(ctx.outValue(0));
  const int64_t r = int64_t(d.size());
  if (int64_t(od.size()) != r) return Error(ErrorCode::InvalidInput, "output rank differs");
  for (int64_t a = 0; a < r; ++a)
    if (d[size_t(a)] == 0 && od[size_t(a)] != 0)
      return Error(ErrorCode::InvalidInput, "cannot resize an empty axis to a non-empty one");
  std::vector<int64_t> axes = n.attrInts("axes");
  for (int64_t &a : axes) a = a < 0 ? a + r : a;
  if (axes.empty())
    for (int64_t a = 0; a < r; ++a) axes.push_back(a);
  const std::string mode = modeOf(n);
  const bool lg = legacy(n);
  const std::string ctm = lg ? "asymmetric" : attrStr(n, "coordinate_transformation_mode", "half_pixel");
  const std::string nearest = lg ? "" : attrStr(n, "nearest_mode", "round_prefer_floor");
  const std::string policy = lg ? "stretch" : attrStr(n, "keep_aspect_ratio_policy", "stretch");
  const bool antialias = !lg && mode != "nearest" && n.attrInt("antialias", 0) != 0;
  // Taps per output index: 1, 2 or 4, or for antialias the filter stretched
  // by 1 / scale, scale bounded below by the static shapes.
  int64_t taps = mode == "nearest" ? 1 : mode == "linear" ? 2 : 4;
  if (antialias) {
    const double support = mode == "linear" ? 1.0 : 2.0;
    for (size_t a = 0; a < d.size(); ++a) {
      if (d[a] == 0) continue;
      const double lb = std::max((double(od[a]) - 0.5) / double(d[a]), 1e-9);
      if (lb >= 1) continue;
      taps = std::max<int64_t>(taps, 2 * int64_t(std::ceil(support / lb)) + 2);
    }
    taps = std::min<int64_t>(taps, 64);
  }
  int64_t sumOut = 0;
  for (int64_t v : od) sumOut += v;
  Operand p = ctx.params(
      "ec_resize_rt_f32_params", "resize_" + n.name,
      Fields().i("rank", r).ints("in_dims", d).ints("out_dims", od)
          .i("n_axes", int64_t(axes.size())).ints("axes", axes)
          .sym("mode", mode == "nearest"  ? "EC_RESIZE_NEAREST"
                       : mode == "linear" ? "EC_RESIZE_LINEAR"
                                          : "EC_RESIZE_CUBIC")
          .sym("ctm", kCtm.at(ctm)).sym("nearest", lg ? "EC_NEAREST_LEGACY" : kNearest.at(nearest))
          .sym("policy", kPolicy.at(policy))
          .i("exclude_outside", !lg && n.attrInt("exclude_outside", 0) != 0 ? 1 : 0)
          .i("antialias", antialias ? 1 : 0).i("max_taps", taps)
          .f("cubic_a", n.attrFloat("cubic_coeff_a", -0.75f))
          .f("extrapolation", n.attrFloat("extrapolation_value", 0.0f)));
  const size_t roiIn = lg ? 99 : 1, scalesIn = lg ? 1 : 2, sizesIn = lg ? 99 : 3;
  std::vector<Operand> args = {p, ctx.in(0)};
  for (size_t i : {roiIn, scalesIn, sizesIn})
    args.push_back(given(n, i) ? ctx.in(i) : Operand::null());
  args.push_back(ctx.scratch(sumOut * (1 + 2 * taps) * 4));
  args.push_back(ctx.out(0));
  ctx.useRuntime("kernels/reference/resize_rt_f32.h");
  ctx.call("ec_resize_rt_f32", args);
  ctx.setKernel("resize_rt_f32 (" + mode + ")");
  return Status::ok();
}

Status lower(LowerContext &ctx) {
  if (checkResizeTables(ctx.node(), ctx.options()).empty()) return lowerResizeTables(ctx);
  return lowerRt(ctx);
}

} // namespace

void registerResizeF32(std::vector<Lowering> &out) {
  for (const char *op : {"Resize", "Upsample"})
    out.push_back({op, Lowering::Float, check, lower, {"float32"},
                   "nearest/linear/cubic, every coordinate transformation, antialias; "
                   "scales/sizes/roi constant or at run time"});
}

} // namespace edgec::mcu
