// Convolution: Conv (1-D and 2-D, groups, strides, dilations, pads,
// auto_pad) in NCHW, direct: one work-item per output element sums its
// window over the group's input channels, then the epilogue adds the bias
// and applies the fused activation. Depthwise (group == channels) is the
// same kernel with one input channel per group.
#include "targets/gpu/lower/GpuLowering.h"

namespace edgec::gpu {

namespace {

std::string check(const Node &n) {
  if (n.inputs.size() < 2 || !n.inputs[0] || !n.inputs[1] || n.outputs.size() != 1)
    return "expects X, W and an optional B";
  if (std::string w = checkFloatNode(n); !w.empty()) return w;
  const Value &x = *n.inputs[0], &w = *n.inputs[1];
  if (!x.type.hasRank || !w.type.hasRank || !x.type.isStatic() || !w.type.isStatic()) return "";
  TensorShape xs = x.type.staticShape(), ws = w.type.staticShape();
  if (xs.size() != 3 && xs.size() != 4) return "only 1-D and 2-D convolutions";
  if (ws.size() != xs.size()) return "weights rank differs from the input's";
  const int64_t groups = n.attrInt("group", 1);
  if (groups < 1 || ws[0] % groups != 0) return "group does not divide the output channels";
  if (ws[1] * groups != xs[1]) return "weights do not match the input channels and group";
  if (auto g = windowOfNchw(n, std::vector<int64_t>(ws.begin() + 2, ws.end())); !g)
    return g.error().message();
  return "";
}

Status lower(GpuLowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> xd = staticDims(ctx.inValue(0)), yd = staticDims(ctx.outValue(0));
  std::vector<int64_t> wd = staticDims(ctx.inValue(1));
  const bool twoD = xd.size() == 4;
  EDGEC_ASSIGN_OR_RETURN(WindowGeometry win,
                         windowOfNchw(n, std::vector<int64_t>(wd.begin() + 2, wd.end())));
  const int64_t ci = xd[1], ih = twoD ? xd[2] : 1, iw = xd.back();
  const int64_t co = yd[1], oh = twoD ? yd[2] : 1, ow = yd.back();
  const int64_t kh = twoD ? wd[2] : 1, kw = wd.back(), cig = wd[1];
  const int64_t groups = n.attrInt("group", 1), cog = co / groups;
  const size_t last = win.rank() - 1;
  const int64_t sh = twoD ? win.stride[0] : 1, sw = win.stride[last];
  const int64_t dh = twoD ? win.dilation[0] : 1, dw = win.dilation[last];
  const int64_t ph = twoD ? win.padBegin[0] : 0, pw = win.padBegin[last];
  const bool depthwise = groups == ci && cig == 1 && groups > 1;
  const bool bias = ctx.hasInput(2);

  KernelDesc k = ctx.newKernel(depthwise ? "depthwise direct" : "conv direct");
  k.args = {{"x"}, {"w"}};
  if (bias) k.args.push_back({"b"});
  k.args.push_back({"y", true});
  k.threads = elementCount(ctx.outValue(0));
  std::vector<std::string> &s = k.body;
  decompose(s, "gid", {yd[0], co, oh, ow}, {"n", "oc", "oy", "ox"});
  s.push_back("int g = oc / " + kInt(cog) + ";");
  s.push_back(std::string("float acc = ") + (bias ? "b[oc]" : "0.0f") + ";");
  s.push_back("const int iy0 = oy * " + kInt(sh) + " - " + kInt(ph) + ";");
  s.push_back("const int ix0 = ox * " + kInt(sw) + " - " + kInt(pw) + ";");
  s.push_back("for (int c = 0; c < " + kInt(cig) + "; ++c) {");
  s.push_back("  const int xc = (n * " + kInt(ci) + " + g * " + kInt(cig) + " + c) * " +
              kInt(ih * iw) + ";");
  s.push_back("  const int wc = (oc * " + kInt(cig) + " + c) * " + kInt(kh * kw) + ";");
  s.push_back("  for (int ky = 0; ky < " + kInt(kh) + "; ++ky) {");
  s.push_back("    const int iy = iy0 + ky * " + kInt(dh) + ";");
  s.push_back("    if (iy < 0 || iy >= " + kInt(ih) + ") continue;");
  s.push_back("    for (int kx = 0; kx < " + kInt(kw) + "; ++kx) {");
  s.push_back("      const int ix = ix0 + kx * " + kInt(dw) + ";");
  s.push_back("      if (ix < 0 || ix >= " + kInt(iw) + ") continue;");
  s.push_back("      acc += x[xc + iy * " + kInt(iw) + " + ix] * w[wc + ky * " + kInt(kw) + " + kx];");
  s.push_back("    }");
  s.push_back("  }");
  s.push_back("}");
  s.push_back("y[gid] = " + activationExpr(n, "acc") + ";");
  ctx.addMacs(k.threads * cig * kh * kw);
  std::vector<Operand> ops = {ctx.in(0), ctx.in(1)};
  if (bias) ops.push_back(ctx.in(2));
  ops.push_back(ctx.out(0));
  ctx.launch(std::move(k), std::move(ops));
  return Status::ok();
}

} // namespace

void registerConv(std::vector<GpuLowering> &out) {
  out.push_back({"Conv", check, lower,
                 "1-D/2-D NCHW, groups (depthwise), strides, dilations, pads; bias and fused "
                 "activation in the epilogue"});
}

} // namespace edgec::gpu
