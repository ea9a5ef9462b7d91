// Float transposed convolution: ConvTranspose (1-D and 2-D, groups,
// strides, dilations, pads, auto_pad, output_padding, output_shape, bias,
// fused activation, NCHW or edgec.layout = NHWC) -> ec_convtranspose_f32
// (runtime/kernels/reference/convtranspose_f32.c). The geometry is
// shape/Window.h transposedWindow, the interpreter's definition.
#include "targets/mcu/lower/Lowering.h"

namespace edgec::mcu {

namespace {

/// The transposed window of node n over input 0's spatial dims (either
/// layout) and the weights' kernel dims.
Expected<WindowGeometry> transposedWindowOf(const Node &n) {
  std::vector<int64_t> xd = staticDims(*n.inputs[0]), wd = staticDims(*n.inputs[1]);
  const bool nhwc = isChannelsLast(n);
  std::vector<int64_t> sp = nhwc ? std::vector<int64_t>(xd.begin() + 1, xd.end() - 1)
                                 : std::vector<int64_t>(xd.begin() + 2, xd.end());
  return transposedWindow(NodeContext(n), sp, std::vector<int64_t>(wd.begin() + 2, wd.end()));
}

std::string check(const Node &n, const McuOptions &) {
  if (std::string why = checkConvOperandsF32(n, "transposed convolutions"); !why.empty())
    return why;
  const Value &x = *n.inputs[0], &w = *n.inputs[1];
  const int64_t groups = n.attrInt("group", 1);
  if (!x.type.isStatic() || !w.type.isStatic()) return "shapes must be static";
  TensorShape s = x.type.staticShape(), ws = w.type.staticShape();
  Geo gi = geometry(std::vector<int64_t>(s.begin(), s.end()), isChannelsLast(n));
  if (gi.c % groups != 0 || ws[0] != gi.c)
    return "weights do not match the input channels and group";
  if (auto g = transposedWindowOf(n); !g) return g.error().message();
  return checkFusedActivationF32(n);
}

Status lower(LowerContext &ctx) {
  const Node &n = ctx.node();
  const bool nhwc = isChannelsLast(n);
  std::vector<int64_t> xd = staticDims(ctx.inValue(0)), yd = staticDims(ctx.outValue(0));
  std::vector<int64_t> wd = staticDims(ctx.inValue(1));
  const size_t r = xd.size(), sp = r - 2;
  Geo gi = geometry(xd, nhwc), go = geometry(yd, nhwc);
  const int64_t groups = n.attrInt("group", 1), co = wd[1] * groups;
  const int64_t kh = sp == 2 ? wd[2] : 1, kw = wd[r - 1];
  EDGEC_ASSIGN_OR_RETURN(WindowGeometry win, transposedWindowOf(n));
  if (go.c != co || go.w != win.out[sp - 1] || (sp == 2 && go.h != win.out[0]))
    return Error(ErrorCode::Internal, "output shape " + dimsString(yd) +
                                          " does not match the transposed window");
  Operand w;
  if (const Tensor *wt = ctx.constantInput(1)) {
    std::vector<float> wv(wt->data<float>(), wt->data<float>() + wt->numElements());
    w = ctx.constantArray("convt_w", wv, "[ci][co/group][kh][kw]");
  } else {
    w = ctx.in(1);
  }
  Operand bias;
  if (ctx.hasInput(2)) {
    if (const Tensor *b = ctx.constantInput(2)) {
      std::vector<float> bv(b->data<float>(), b->data<float>() + b->numElements());
      bias = ctx.constantArray("convt_b", bv);
    } else {
      bias = ctx.in(2);
    }
  }
  EDGEC_ASSIGN_OR_RETURN(Fields act, fusedActivationF32(n));
  Operand p = ctx.params("ec_convtranspose_f32_params", "convt_" + n.name,
                         convGeometryFields(gi, go, co, {kh, kw}, win, groups).sub("act", act));
  ctx.useRuntime("kernels/reference/convtranspose_f32.h");
  ctx.call("ec_convtranspose_f32", {p, ctx.in(0), w, bias, ctx.out(0)});
  ctx.setKernel(std::string("convtranspose_f32") + (nhwc ? " (NHWC)" : ""));
  ctx.addMacs(gi.n * gi.h * gi.w * gi.c * (co / groups) * kh * kw);
  return Status::ok();
}

} // namespace

void registerConvTransposeF32(std::vector<Lowering> &out) {
  out.push_back({"ConvTranspose", Lowering::Float, check, lower, {"float32"},
                 "1-D/2-D, NCHW or NHWC"});
}

} // namespace edgec::mcu
