// Float data movement: Transpose, Concat, Split, Slice, Expand, Tile ->
// ec_copy_f32 (strided copies, runtime/kernels/copy_f32.c); Pad ->
// ec_pad_f32; Gather with constant indices -> ec_gather_f32; Resize and
// Upsample (nearest / linear, constant scales) -> ec_resize_f32. Gather and
// Resize register in LowerGatherAny.cpp / LowerResizeF32.cpp (other forms).
#include "targets/mcu/lower/Lowering.h"

#include <algorithm>
#include <cmath>

namespace edgec::mcu {

namespace {

std::vector<int64_t> contiguousStrides(const std::vector<int64_t> &d) {
  std::vector<int64_t> s(d.size(), 1);
  for (size_t i = d.size(); i-- > 1;) s[i - 1] = s[i] * d[i];
  return s;
}

std::string checkFloatData(const Node &n) {
  if (n.inputs.empty() || !n.inputs[0] || n.outputs.empty()) return "missing input or output";
  if (n.inputs[0]->type.dtype != DataType::Float32) return "only float32 data";
  for (const Value *o : n.outputs)
    if (o && o->type.dtype != DataType::Float32) return "only float32 data";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  if (n.attr(kFusedActivationAttr)) return "fused activation on a data movement op";
  return "";
}

/// Input i must be absent or a constant.
std::string needConstant(const Node &n, size_t i, const char *what) {
  if (i < n.inputs.size() && n.inputs[i] && !n.inputs[i]->constant)
    return std::string(what) + " must be a constant";
  return "";
}

std::vector<int64_t> constInts(const LowerContext &ctx, size_t i) {
  const Tensor *t = ctx.constantInput(i);
  return t ? t->toInt64Vector() : std::vector<int64_t>{};
}

/// One ec_copy_f32 over `dims` (unit dims dropped, contiguous runs merged).
Status emitCopy(LowerContext &ctx, const Operand &src, const Operand &dst,
                std::vector<int64_t> dims, std::vector<int64_t> ss,
                std::vector<int64_t> ds) {
  std::vector<int64_t> nd, ns, nds;
  int64_t total = 1;
  for (size_t i = 0; i < dims.size(); ++i) {
    total *= dims[i];
    if (dims[i] == 1) continue;
    if (!nd.empty() && ns.back() == ss[i] * dims[i] && nds.back() == ds[i] * dims[i]) {
      nd.back() *= dims[i];
      ns.back() = ss[i];
      nds.back() = ds[i];
    } else {
      nd.push_back(dims[i]);
      ns.push_back(ss[i]);
      nds.push_back(ds[i]);
    }
  }
  if (total == 0) return Status::ok();
  if (nd.size() > 12)
    return Error(ErrorCode::Unsupported,
                 ctx.node().label() + ": copy needs more than 12 dims");
  Operand p = ctx.params("ec_copy_f32_params", "copy_" + ctx.node().name,
                         Fields().i("rank", int64_t(nd.size())).ints("dims", nd)
                             .ints("src_str", ns).ints("dst_str", nds));
  ctx.useRuntime("kernels/reference/copy_f32.h");
  ctx.call("ec_copy_f32", {p, src, dst});
  ctx.setKernel("copy_f32");
  return Status::ok();
}


// ---- Transpose ----
std::string checkTranspose(const Node &n, const McuOptions &) {
  std::string why = checkFloatData(n);
  if (!why.empty()) return why;
  size_t r = n.inputs[0]->type.dims.size();
  std::vector<int64_t> perm = n.attrInts("perm");
  if (!perm.empty()) {
    if (perm.size() != r) return "perm does not match the rank";
    std::vector<int64_t> s = perm;
    std::sort(s.begin(), s.end());
    for (size_t i = 0; i < r; ++i)
      if (s[i] != int64_t(i)) return "perm is not a permutation";
  }
  return "";
}

Status lowerTranspose(LowerContext &ctx) {
  std::vector<int64_t> d = staticDims(ctx.inValue(0));
  size_t r = d.size();
  std::vector<int64_t> perm = ctx.node().attrInts("perm");
  if (perm.empty())
    for (size_t i = 0; i < r; ++i) perm.push_back(int64_t(r - 1 - i));
  std::vector<int64_t> is = contiguousStrides(d), od(r), ss(r);
  for (size_t i = 0; i < r; ++i) {
    od[i] = d[size_t(perm[i])];
    ss[i] = is[size_t(perm[i])];
  }
  return emitCopy(ctx, ctx.in(0), ctx.out(0), od, ss, contiguousStrides(od));
}

// ---- Concat ----
std::string checkConcat(const Node &n, const McuOptions &) {
  std::string why = checkFloatData(n);
  if (!why.empty()) return why;
  for (const Value *v : n.inputs)
    if (!v || v->type.dtype != DataType::Float32) return "only float32 data";
  if (!n.attr("axis")) return "missing axis";
  return "";
}

Status lowerConcat(LowerContext &ctx) {
  std::vector<int64_t> od = staticDims(ctx.outValue(0));
  int64_t r = int64_t(od.size()), axis = ctx.node().attr("axis")->i;
  if (axis < 0) axis += r;
  std::vector<int64_t> os = contiguousStrides(od);
  int64_t at = 0;
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    std::vector<int64_t> d = staticDims(ctx.inValue(i));
    if (elementCount(ctx.inValue(i)) > 0)
      EDGEC_TRY(emitCopy(ctx, ctx.in(i), ctx.out(0).at(at * os[size_t(axis)]), d,
                         contiguousStrides(d), os));
    at += d[size_t(axis)];
  }
  ctx.setKernel("copy_f32 (concat)");
  return Status::ok();
}

// ---- Split ----
std::string checkSplit(const Node &n, const McuOptions &) {
  std::string why = checkFloatData(n);
  if (!why.empty()) return why;
  for (const Value *o : n.outputs)
    if (!o) return "missing output";
  return "";
}

Status lowerSplit(LowerContext &ctx) {
  std::vector<int64_t> d = staticDims(ctx.inValue(0));
  int64_t r = int64_t(d.size());
  const Attribute *a = ctx.node().attr("axis");
  int64_t axis = a ? a->i : 0;
  if (axis < 0) axis += r;
  std::vector<int64_t> is = contiguousStrides(d);
  int64_t at = 0;
  for (size_t i = 0; i < ctx.node().outputs.size(); ++i) {
    std::vector<int64_t> od = staticDims(ctx.outValue(i));
    EDGEC_TRY(emitCopy(ctx, ctx.in(0).at(at * is[size_t(axis)]), ctx.out(i), od, is,
                       contiguousStrides(od)));
    at += od[size_t(axis)];
  }
  ctx.setKernel("copy_f32 (split)");
  return Status::ok();
}

// ---- Slice ----
std::string checkSlice(const Node &n, const McuOptions &) {
  std::string why = checkFloatData(n);
  if (!why.empty()) return why;
  for (size_t i = 1; i < 5; ++i) {
    why = needConstant(n, i, "starts/ends/axes/steps");
    if (!why.empty()) return why;
  }
  if (n.inputs.size() > 4 && n.inputs[4] && n.inputs[4]->constant)
    for (int64_t s : n.inputs[4]->constant->toInt64Vector())
      if (s == 0) return "zero step";
  return "";
}

Status lowerSlice(LowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> d = staticDims(ctx.inValue(0)), od = staticDims(ctx.outValue(0));
  int64_t r = int64_t(d.size());
  std::vector<int64_t> starts, ends, axes, steps;
  if (n.opsetVersion > 0 && n.opsetVersion < 10) {
    starts = n.attrInts("starts");
    ends = n.attrInts("ends");
    axes = n.attrInts("axes");
  } else {
    starts = constInts(ctx, 1);
    ends = constInts(ctx, 2);
    axes = constInts(ctx, 3);
    steps = constInts(ctx, 4);
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(int64_t(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  std::vector<int64_t> is = contiguousStrides(d), first(size_t(r), 0), step(size_t(r), 1);
  for (size_t k = 0; k < starts.size() && k < axes.size(); ++k) {
    int64_t ax = axes[k] < 0 ? axes[k] + r : axes[k];
    int64_t dim = d[size_t(ax)], s = starts[k], st = steps[k];
    if (s < 0) s += dim;
    if (st > 0) s = std::clamp<int64_t>(s, 0, dim);
    else s = std::clamp<int64_t>(s, 0, dim - 1);
    first[size_t(ax)] = s;
    step[size_t(ax)] = st;
  }
  int64_t off = 0;
  std::vector<int64_t> ss(static_cast<size_t>(r));
  for (int64_t i = 0; i < r; ++i) {
    if (od[size_t(i)] > 0) off += first[size_t(i)] * is[size_t(i)];
    ss[size_t(i)] = step[size_t(i)] * is[size_t(i)];
  }
  return emitCopy(ctx, ctx.in(0).at(off), ctx.out(0), od, ss, contiguousStrides(od));
}

// ---- Expand / Tile ----
std::string checkExpand(const Node &n, const McuOptions &) {
  std::string why = checkFloatData(n);
  if (!why.empty()) return why;
  return needConstant(n, 1, n.opType == "Tile" ? "repeats" : "shape");
}

Status lowerExpand(LowerContext &ctx) {
  std::vector<int64_t> d = staticDims(ctx.inValue(0)), od = staticDims(ctx.outValue(0));
  std::vector<int64_t> is = contiguousStrides(d), ss(od.size(), 0);
  for (size_t j = 0; j < d.size(); ++j) {
    size_t i = od.size() - d.size() + j;
    ss[i] = d[j] == 1 ? 0 : is[j];
  }
  return emitCopy(ctx, ctx.in(0), ctx.out(0), od, ss, contiguousStrides(od));
}

Status lowerTile(LowerContext &ctx) {
  std::vector<int64_t> d = staticDims(ctx.inValue(0)), od = staticDims(ctx.outValue(0));
  std::vector<int64_t> is = contiguousStrides(d), os = contiguousStrides(od);
  std::vector<int64_t> dims, ss, ds;
  for (size_t i = 0; i < d.size(); ++i) {
    int64_t rep = d[i] ? od[i] / d[i] : 0;
    dims.push_back(rep);
    ss.push_back(0);
    ds.push_back(d[i] * os[i]);
    dims.push_back(d[i]);
    ss.push_back(is[i]);
    ds.push_back(os[i]);
  }
  return emitCopy(ctx, ctx.in(0), ctx.out(0), dims, ss, ds);
}

// ---- Pad ----
std::string checkPad(const Node &n, const McuOptions &) {
  std::string why = checkFloatData(n);
  if (!why.empty()) return why;
  for (size_t i = 1; i < 4; ++i) {
    why = needConstant(n, i, "pads/constant_value/axes");
    if (!why.empty()) return why;
  }
  if (n.inputs[0]->type.dims.size() > 8) return "rank above 8";
  const Attribute *m = n.attr("mode");
  if (m && m->s != "constant" && m->s != "edge" && m->s != "reflect" && m->s != "wrap")
    return "mode '" + m->s + "' is not supported";
  std::vector<int64_t> pads = n.attrInts("pads");
  if (n.inputs.size() > 1 && n.inputs[1]) pads = n.inputs[1]->constant->toInt64Vector();
  for (int64_t p : pads)
    if (p < 0) return "negative pads (cropping) are not supported";
  return "";
}

Status lowerPad(LowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> d = staticDims(ctx.inValue(0)), od = staticDims(ctx.outValue(0));
  size_t r = d.size();
  std::vector<int64_t> pads = n.attrInts("pads");
  float value = n.attrFloat("value", 0.0f);
  if (ctx.hasInput(1)) pads = constInts(ctx, 1);
  if (ctx.hasInput(2) && ctx.constantInput(2)->numElements() > 0)
    value = float(ctx.constantInput(2)->getDouble(0));
  std::vector<int64_t> begin(r, 0);
  std::vector<int64_t> axes = constInts(ctx, 3);
  if (axes.empty())
    for (size_t i = 0; i < r; ++i) axes.push_back(int64_t(i));
  for (size_t k = 0; k < axes.size() && k < pads.size(); ++k) {
    int64_t ax = axes[k] < 0 ? axes[k] + int64_t(r) : axes[k];
    begin[size_t(ax)] = pads[k];
  }
  const Attribute *m = n.attr("mode");
  std::string mode = m ? m->s : "constant";
  std::string mc = mode == "edge" ? "EC_PAD_EDGE"
                   : mode == "reflect" ? "EC_PAD_REFLECT"
                   : mode == "wrap" ? "EC_PAD_WRAP"
                                    : "EC_PAD_CONSTANT";
  Operand p = ctx.params("ec_pad_f32_params", "pad_" + n.name,
                         Fields().sym("mode", mc).i("rank", r).ints("in_dims", d).ints("out_dims", od)
                             .ints("pad_begin", begin).ints("in_str", contiguousStrides(d))
                             .f("value", value));
  ctx.useRuntime("kernels/reference/pad_f32.h");
  ctx.call("ec_pad_f32", {p, ctx.in(0), ctx.out(0)});
  ctx.setKernel("pad_f32");
  return Status::ok();
}

// ---- Gather ----
std::string checkGather(const Node &n, const McuOptions &) {
  std::string why = checkFloatData(n);
  if (!why.empty()) return why;
  if (n.inputs.size() < 2 || !n.inputs[1] || !n.inputs[1]->constant)
    return "indices must be a constant";
  if (n.inputs[0]->type.dims.empty()) return "scalar data";
  if (n.inputs[0]->type.isStatic()) {
    int64_t r = int64_t(n.inputs[0]->type.dims.size());
    const Attribute *a = n.attr("axis");
    int64_t axis = a ? a->i : 0;
    if (axis < 0) axis += r;
    if (axis < 0 || axis >= r) return "axis out of range";
    int64_t dim = n.inputs[0]->type.dims[size_t(axis)].value;
    for (int64_t i : n.inputs[1]->constant->toInt64Vector())
      if (i < -dim || i >= dim) return "index out of range";
  }
  return "";
}

Status lowerGather(LowerContext &ctx) {
  std::vector<int64_t> d = staticDims(ctx.inValue(0));
  int64_t r = int64_t(d.size());
  const Attribute *a = ctx.node().attr("axis");
  int64_t axis = a ? a->i : 0;
  if (axis < 0) axis += r;
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < axis; ++i) outer *= d[size_t(i)];
  for (int64_t i = axis + 1; i < r; ++i) inner *= d[size_t(i)];
  std::vector<int32_t> idx;
  for (int64_t i : constInts(ctx, 1)) idx.push_back(int32_t(i < 0 ? i + d[size_t(axis)] : i));
  Operand ia = ctx.constantArray("gather_idx", idx);
  Operand p = ctx.params("ec_gather_f32_params", "gather_" + ctx.node().name,
                         Fields().i("outer", outer).i("axis", d[size_t(axis)]).i("inner", inner)
                             .i("count", int64_t(idx.size())));
  ctx.useRuntime("kernels/reference/gather_f32.h");
  ctx.call("ec_gather_f32", {p, ia, ctx.in(0), ctx.out(0)});
  ctx.setKernel("gather_f32");
  return Status::ok();
}

// ---- Resize / Upsample ----
std::string resizeMode(const Node &n) {
  const Attribute *m = n.attr("mode");
  std::string s = m ? m->s : "nearest";
  if (s == "bilinear" || s == "trilinear") s = "linear";
  return s;
}

std::string checkResize(const Node &n, const McuOptions &) {
  std::string why = checkFloatData(n);
  if (!why.empty()) return why;
  for (size_t i = 1; i < n.inputs.size(); ++i) {
    why = needConstant(n, i, "roi/scales/sizes");
    if (!why.empty()) return why;
  }
  std::string mode = resizeMode(n);
  if (mode != "nearest" && mode != "linear")
    return "mode '" + mode + "' is not supported (nearest and linear only)";
  if (n.inputs[0]->type.dims.size() > 6) return "rank above 6";
  if (n.opType == "Resize" && n.opsetVersion >= 11) {
    const Attribute *c = n.attr("coordinate_transformation_mode");
    if (c && c->s == "tf_crop_and_resize")
      return "coordinate_transformation_mode 'tf_crop_and_resize' is not supported";
    if (const Attribute *aa = n.attr("antialias"); aa && aa->i != 0 && mode != "nearest")
      return "antialias is not supported";
    if (!n.attrInts("axes").empty()) return "the axes attribute is not supported";
    if (const Attribute *k = n.attr("keep_aspect_ratio_policy"); k && k->s != "stretch")
      return "keep_aspect_ratio_policy '" + k->s + "' is not supported";
  }
  return "";
}

Status lowerResize(LowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> d = staticDims(ctx.inValue(0)), od = staticDims(ctx.outValue(0));
  size_t r = d.size();
  std::string mode = resizeMode(n);
  bool legacy = n.opType == "Upsample" || n.opsetVersion < 11;
  std::string ctm = "asymmetric", nearest = "round_prefer_floor";
  bool excludeOutside = false;
  if (!legacy) {
    if (const Attribute *c = n.attr("coordinate_transformation_mode")) ctm = c->s;
    else ctm = "half_pixel";
    if (const Attribute *c = n.attr("nearest_mode")) nearest = c->s;
    if (const Attribute *c = n.attr("exclude_outside")) excludeOutside = c->i != 0;
  }
  // Scales as the reference computes them.
  std::vector<double> scales(r, 1.0);
  std::vector<float> given;
  if (n.opType == "Upsample" && n.attr("scales")) given = n.attr("scales")->floats;
  size_t scalesIn = n.opType == "Upsample" || n.opsetVersion < 11 ? 1 : 2;
  if (const Tensor *t = ctx.constantInput(scalesIn); t && t->numElements() > 0)
    for (int64_t i = 0; i < t->numElements(); ++i) given.push_back(float(t->getDouble(i)));
  for (size_t i = 0; i < r; ++i)
    scales[i] = given.size() == r ? double(given[i])
                                  : (d[i] ? double(od[i]) / double(d[i]) : 1.0);
  std::vector<int32_t> i0, i1;
  std::vector<float> w1;
  int mask = 0;
  for (size_t ax = 0; ax < r; ++ax) {
    int64_t in = d[ax], out = od[ax];
    double scale = scales[ax];
    bool lin = mode == "linear" && !(in == out && scale == 1.0);
    if (lin) mask |= 1 << ax;
    for (int64_t o = 0; o < out; ++o) {
      double x = double(o), outWidth = scale * double(in), xo;
      if (ctm == "align_corners") xo = outWidth == 1 ? 0.0 : x * double(in - 1) / (outWidth - 1);
      else if (ctm == "asymmetric") xo = x / scale;
      else if (ctm == "pytorch_half_pixel") xo = outWidth == 1 ? -0.5 : (x + 0.5) / scale - 0.5;
      else if (ctm == "half_pixel_symmetric") {
        double adj = double(out) / outWidth, center = double(in) / 2;
        xo = center * (1 - adj) + (x + 0.5) / scale - 0.5;
      } else if (ctm == "tf_half_pixel_for_nn") xo = (x + 0.5) / scale;
      else xo = (x + 0.5) / scale - 0.5;
      double fl = std::floor(xo), ratio = xo - fl;
      int64_t x0 = int64_t(fl);
      if (!lin) {
        int64_t i = x0;
        if (mode == "nearest") {
          if (legacy) i = scale < 1 ? int64_t(std::ceil(xo)) : x0;
          else if (ratio != 0) {
            bool up = nearest == "round_prefer_ceil" ? ratio >= 0.5
                      : nearest == "floor"           ? false
                      : nearest == "ceil"            ? true
                                                     : ratio > 0.5;
            i = up ? x0 + 1 : x0;
          }
        } else {
          i = o; // linear over an unscaled dim
        }
        i = std::clamp<int64_t>(i, 0, in - 1);
        i0.push_back(int32_t(i));
        i1.push_back(int32_t(i));
        w1.push_back(0.0f);
        continue;
      }
      if (ratio == 0) {
        ratio = 1;
        x0 -= 1;
      }
      int64_t lo = std::clamp<int64_t>(x0, -1, in - 1);
      double c0 = 1 - ratio, c1 = ratio;
      if (excludeOutside) {
        if (lo < 0 || lo >= in) c0 = 0;
        if (lo + 1 < 0 || lo + 1 >= in) c1 = 0;
        double s = c0 + c1;
        if (s != 0) {
          c0 /= s;
          c1 /= s;
        }
      }
      i0.push_back(int32_t(std::clamp<int64_t>(lo, 0, in - 1)));
      i1.push_back(int32_t(std::clamp<int64_t>(lo + 1, 0, in - 1)));
      // The kernel weighs tap 0 with 1 - w1; c0 + c1 == 1 here.
      w1.push_back(float(c1));
    }
  }
  Operand a0 = ctx.constantArray("rs_i0", i0), a1 = ctx.constantArray("rs_i1", i1);
  Operand aw = ctx.constantArray("rs_w", w1);
  Operand p = ctx.params("ec_resize_f32_params", "resize_" + n.name,
                         Fields().i("rank", r).ints("out_dims", od)
                             .ints("in_str", contiguousStrides(d)).i("linear_mask", mask));
  ctx.useRuntime("kernels/reference/resize_f32.h");
  ctx.call("ec_resize_f32", {p, a0, a1, aw, ctx.in(0), ctx.out(0)});
  ctx.setKernel("resize_f32 (" + mode + ")");
  return Status::ok();
}

} // namespace

void registerDataF32(std::vector<Lowering> &out) {
  out.push_back({"Transpose", Lowering::Float, checkTranspose, lowerTranspose, {"float32"}, ""});
  out.push_back({"Concat", Lowering::Float, checkConcat, lowerConcat, {"float32"}, ""});
  out.push_back({"Split", Lowering::Float, checkSplit, lowerSplit, {"float32"}, ""});
  out.push_back({"Slice", Lowering::Float, checkSlice, lowerSlice, {"float32"},
                 "constant starts/ends/axes/steps"});
  out.push_back({"Expand", Lowering::Float, checkExpand, lowerExpand, {"float32"},
                 "constant shape"});
  out.push_back({"Tile", Lowering::Float, checkExpand, lowerTile, {"float32"},
                 "constant repeats"});
  out.push_back({"Pad", Lowering::Float, checkPad, lowerPad, {"float32"},
                 "constant pads; constant/edge/reflect/wrap"});
}

// Gather registers in LowerGatherAny.cpp, which uses these tables for
// constant indices on float32.
std::string checkGatherTables(const Node &n, const McuOptions &o) { return checkGather(n, o); }
Status lowerGatherTables(LowerContext &ctx) { return lowerGather(ctx); }

// Resize / Upsample register in LowerResizeF32.cpp, which uses these tables
// for constant scales.
std::string checkResizeTables(const Node &n, const McuOptions &o) { return checkResize(n, o); }
Status lowerResizeTables(LowerContext &ctx) { return lowerResize(ctx); }

} // namespace edgec::mcu
