// Float convolution: Conv (1-D and 2-D, groups, strides, dilations, pads,
// auto_pad, bias, fused activation, NCHW or edgec.layout = NHWC) ->
// ec_conv_f32 (runtime/kernels/conv_f32.c).
#include "targets/mcu/lower/Lowering.h"

#include <algorithm>

namespace edgec::mcu {

namespace {

std::string check(const Node &n, const McuOptions &) {
  if (std::string why = checkConvOperandsF32(n, "convolutions"); !why.empty()) return why;
  const Value &x = *n.inputs[0], &w = *n.inputs[1];
  const int64_t groups = n.attrInt("group", 1);
  if (x.type.isStatic() && w.type.isStatic()) {
    TensorShape ws = w.type.staticShape();
    if (auto wg = windowOf(n, std::vector<int64_t>(ws.begin() + 2, ws.end())); !wg)
      return wg.error().message();
    if (ws[0] % groups != 0) return "group does not divide the output channels";
    TensorShape s = x.type.staticShape();
    Geo gi = geometry(std::vector<int64_t>(s.begin(), s.end()), isChannelsLast(n));
    if (ws[1] * groups != gi.c)
      return "weights do not match the input channels and group";
  }
  return checkFusedActivationF32(n);
}

Status lower(LowerContext &ctx) {
  const Node &n = ctx.node();
  const bool nhwc = isChannelsLast(n);
  std::vector<int64_t> xd = staticDims(ctx.inValue(0)), yd = staticDims(ctx.outValue(0));
  std::vector<int64_t> wd = staticDims(ctx.inValue(1));
  const size_t r = xd.size(), sp = r - 2;
  Geo gi = geometry(xd, nhwc), go = geometry(yd, nhwc);
  const int64_t co = wd[0], cig = wd[1];
  const int64_t kh = sp == 2 ? wd[2] : 1, kw = wd[r - 1];
  const int64_t groups = n.attrInt("group", 1);
  EDGEC_ASSIGN_OR_RETURN(WindowGeometry win,
                         windowOf(n, std::vector<int64_t>(wd.begin() + 2, wd.end())));
  // Constant weights are repacked into the order the kernel reads them:
  // depthwise [kh][kw][c] (channels-last) or [c][kh][kw]; otherwise blocks
  // of 4 output channels [g][cog/4][kh][kw][cig][4]. Computed weights are
  // read in place through their ONNX strides.
  const bool depthwise = groups == gi.c && groups == co && cig == 1;
  const bool channelsLast = gi.sc == 1 && go.sc == 1;
  Operand w;
  std::string mode = "EC_CONV_F32_STRIDED";
  int64_t wso = cig * kh * kw, wsh = kw, wsw = 1, wsc = kh * kw;
  if (const Tensor *wt = ctx.constantInput(1)) {
    const float *src = wt->data<float>();
    std::vector<float> wr;
    if (depthwise) {
      wr.resize(size_t(co * kh * kw));
      for (int64_t c = 0; c < co; ++c)
        for (int64_t t = 0; t < kh * kw; ++t)
          wr[size_t(channelsLast ? t * co + c : c * kh * kw + t)] = src[c * kh * kw + t];
      mode = "EC_CONV_F32_DEPTHWISE";
    } else {
      const int64_t cog = co / groups, nb = (cog + 3) / 4;
      wr.assign(size_t(groups * nb * kh * kw * cig * 4), 0.0f);
      for (int64_t o = 0; o < co; ++o) {
        const int64_t g = o / cog, b = (o % cog) / 4, j = (o % cog) % 4;
        for (int64_t c = 0; c < cig; ++c)
          for (int64_t t = 0; t < kh * kw; ++t)
            wr[size_t((((g * nb + b) * kh * kw + t) * cig + c) * 4 + j)] =
                src[(o * cig + c) * kh * kw + t];
      }
      mode = "EC_CONV_F32_BLOCKED";
    }
    w = ctx.constantArray("conv_w", wr, depthwise ? "depthwise [kh][kw][c] or [c][kh][kw]"
                                                  : "[g][co/4][kh][kw][ci][4]");
    wso = wsh = wsw = wsc = 0;
  } else {
    w = ctx.in(1);
  }
  Operand bias;
  if (ctx.hasInput(2)) {
    if (const Tensor *b = ctx.constantInput(2)) {
      Tensor bf = b->dtype() == DataType::Float32 ? *b : b->castTo(DataType::Float32);
      std::vector<float> bv(bf.data<float>(), bf.data<float>() + bf.numElements());
      bias = ctx.constantArray("conv_b", bv);
    } else {
      bias = ctx.in(2);
    }
  }
  EDGEC_ASSIGN_OR_RETURN(Fields act, fusedActivationF32(n));
  Operand p = ctx.params("ec_conv_f32_params", "conv_" + n.name,
                         convGeometryFields(gi, go, co, {kh, kw}, win, groups)
                             .i("w_so", wso).i("w_sh", wsh).i("w_sw", wsw).i("w_sc", wsc)
                             .sub("act", act).sym("mode", mode));
  ctx.useRuntime("kernels/reference/conv_f32.h");
  ctx.call("ec_conv_f32", {p, ctx.in(0), w, bias, ctx.out(0)});
  std::string kind = depthwise ? "depthwise"
                     : (kh == 1 && kw == 1 && groups == 1) ? "1x1"
                                                          : "general";
  ctx.setKernel("conv_f32 (" + kind + (nhwc ? ", NHWC" : "") + ")");
  ctx.addMacs(go.n * go.h * go.w * co * kh * kw * cig);
  return Status::ok();
}

} // namespace

std::string checkConvOperandsF32(const Node &n, const std::string &what) {
  if (n.inputs.size() < 2 || !n.inputs[0] || !n.inputs[1] || n.outputs.empty() ||
      !n.outputs[0])
    return "missing input or output";
  const Value &x = *n.inputs[0], &w = *n.inputs[1];
  if (x.type.dtype != DataType::Float32 || n.outputs[0]->type.dtype != DataType::Float32)
    return "only float32";
  if (w.type.dtype != DataType::Float32) return "weights must be float32";
  if (w.type.dims.size() != x.type.dims.size()) return "weights rank does not match the input";
  if (n.inputs.size() > 2 && n.inputs[2] && n.inputs[2]->type.dtype != DataType::Float32)
    return "bias must be float32";
  size_t r = x.type.dims.size();
  if (r != 3 && r != 4)
    return "only 1-D and 2-D " + what + " (input rank " + std::to_string(r) + ")";
  const Attribute *lay = n.attr(kLayoutAttr);
  if (lay && lay->s != "NHWC") return "layout '" + lay->s + "' is not supported";
  if (n.attrInt("group", 1) <= 0) return "group must be positive";
  return "";
}

Fields convGeometryFields(const Geo &gi, const Geo &go, int64_t co,
                          const std::array<int64_t, 2> &k, const WindowGeometry &win,
                          int64_t groups) {
  const size_t sp = win.rank();
  const std::vector<int64_t> &st = win.stride, &dl = win.dilation, &pb = win.padBegin;
  return Fields()
      .i("n", gi.n).i("ci", gi.c).i("ih", gi.h).i("iw", gi.w).i("co", co)
      .i("oh", go.h).i("ow", go.w).i("kh", k[0]).i("kw", k[1])
      .i("sh", sp == 2 ? st[0] : 1).i("sw", st[sp - 1])
      .i("dh", sp == 2 ? dl[0] : 1).i("dw", dl[sp - 1])
      .i("ph", sp == 2 ? pb[0] : 0).i("pw", pb[sp - 1])
      .i("groups", groups)
      .i("in_sn", gi.sn).i("in_sc", gi.sc).i("in_sh", gi.sh).i("in_sw", gi.sw)
      .i("out_sn", go.sn).i("out_sc", go.sc).i("out_sh", go.sh).i("out_sw", go.sw);
}

void registerConvF32(std::vector<Lowering> &out) {
  out.push_back({"Conv", Lowering::Float, check, lower, {"float32"},
                 "1-D/2-D, NCHW or NHWC"});
}

} // namespace edgec::mcu
