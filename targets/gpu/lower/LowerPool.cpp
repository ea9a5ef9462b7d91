// Pooling in NCHW: MaxPool and AveragePool (1-D/2-D, strides, dilations,
// pads, ceil_mode, count_include_pad) with one work-item per output
// element, and GlobalAveragePool / GlobalMaxPool with one work-item per
// (n, c) reducing the whole spatial extent.
#include "targets/gpu/lower/GpuLowering.h"

namespace edgec::gpu {

namespace {

std::string checkWindow(const Node &n) {
  if (n.inputs.size() != 1 || !n.inputs[0] || n.outputs.empty() || !n.outputs[0])
    return "expects one input";
  if (n.outputs.size() > 1 && n.outputs[1]) return "the Indices output is not supported";
  if (std::string w = checkFloatNode(n); !w.empty()) return w;
  const Value &x = *n.inputs[0];
  if (!x.type.hasRank || !x.type.isStatic()) return "";
  if (x.type.rank() != 3 && x.type.rank() != 4) return "only 1-D and 2-D pooling";
  if (auto g = windowOfNchw(n); !g) return g.error().message();
  return "";
}

std::string checkGlobal(const Node &n) {
  if (n.inputs.size() != 1 || !n.inputs[0] || n.outputs.size() != 1) return "expects one input";
  if (std::string w = checkFloatNode(n); !w.empty()) return w;
  if (n.inputs[0]->type.hasRank && n.inputs[0]->type.rank() < 3) return "needs spatial dims";
  return "";
}

Status lowerWindow(GpuLowerContext &ctx) {
  const Node &n = ctx.node();
  const bool isMax = n.opType == "MaxPool";
  std::vector<int64_t> xd = staticDims(ctx.inValue(0)), yd = staticDims(ctx.outValue(0));
  const bool twoD = xd.size() == 4;
  EDGEC_ASSIGN_OR_RETURN(WindowGeometry win, windowOfNchw(n));
  const size_t last = win.rank() - 1;
  const int64_t ih = twoD ? xd[2] : 1, iw = xd.back(), oh = twoD ? yd[2] : 1, ow = yd.back();
  const int64_t kh = twoD ? win.kernel[0] : 1, kw = win.kernel[last];
  const int64_t sh = twoD ? win.stride[0] : 1, sw = win.stride[last];
  const int64_t dh = twoD ? win.dilation[0] : 1, dw = win.dilation[last];
  const int64_t ph = twoD ? win.padBegin[0] : 0, pw = win.padBegin[last];
  const int64_t peh = twoD ? win.padEnd[0] : 0, pew = win.padEnd[last];
  const bool includePad = n.attrInt("count_include_pad", 0) != 0;
  KernelDesc k = ctx.newKernel(isMax ? "max pool" : "average pool");
  k.args = {{"x"}, {"y", true}};
  k.threads = elementCount(ctx.outValue(0));
  std::vector<std::string> &s = k.body;
  decompose(s, "gid", {yd[0] * yd[1], oh, ow}, {"nc", "oy", "ox"});
  s.push_back("const int base = nc * " + kInt(ih * iw) + ";");
  s.push_back(std::string("float acc = ") + (isMax ? "-INFINITY" : "0.0f") + ";");
  if (!isMax) s.push_back("int cnt = 0;");
  s.push_back("for (int ky = 0; ky < " + kInt(kh) + "; ++ky) {");
  s.push_back("  const int iy = oy * " + kInt(sh) + " - " + kInt(ph) + " + ky * " + kInt(dh) + ";");
  if (includePad) // the padded extent counts, the ceil_mode overhang does not
    s.push_back("  if (iy < " + kInt(-ph) + " || iy >= " + kInt(ih + peh) + ") continue;");
  s.push_back("  for (int kx = 0; kx < " + kInt(kw) + "; ++kx) {");
  s.push_back("    const int ix = ox * " + kInt(sw) + " - " + kInt(pw) + " + kx * " + kInt(dw) + ";");
  if (includePad) {
    s.push_back("    if (ix < " + kInt(-pw) + " || ix >= " + kInt(iw + pew) + ") continue;");
    s.push_back("    ++cnt;");
  }
  s.push_back("    if (iy < 0 || iy >= " + kInt(ih) + " || ix < 0 || ix >= " + kInt(iw) + ") continue;");
  if (isMax) {
    s.push_back("    acc = fmax(acc, x[base + iy * " + kInt(iw) + " + ix]);");
  } else {
    s.push_back("    acc += x[base + iy * " + kInt(iw) + " + ix];");
    if (!includePad) s.push_back("    ++cnt;");
  }
  s.push_back("  }");
  s.push_back("}");
  if (!isMax) s.push_back("acc = cnt > 0 ? acc / (float)cnt : 0.0f;");
  s.push_back("y[gid] = " + activationExpr(n, "acc") + ";");
  ctx.launch(std::move(k), {ctx.in(0), ctx.out(0)});
  return Status::ok();
}

Status lowerGlobal(GpuLowerContext &ctx) {
  const Node &n = ctx.node();
  const bool isMax = n.opType == "GlobalMaxPool";
  std::vector<int64_t> xd = staticDims(ctx.inValue(0));
  int64_t hw = 1;
  for (size_t i = 2; i < xd.size(); ++i) hw *= xd[i];
  KernelDesc k = ctx.newKernel(isMax ? "global max pool" : "global average pool");
  k.args = {{"x"}, {"y", true}};
  k.threads = xd[0] * xd[1];
  std::vector<std::string> &s = k.body;
  s.push_back("const int base = gid * " + kInt(hw) + ";");
  s.push_back(std::string("float acc = ") + (isMax ? "-INFINITY" : "0.0f") + ";");
  s.push_back("for (int i = 0; i < " + kInt(hw) + "; ++i)");
  s.push_back(std::string("  acc = ") + (isMax ? "fmax(acc, x[base + i]);" : "acc + x[base + i];"));
  if (!isMax) s.push_back("acc = acc / " + kFloat(float(hw)) + ";");
  s.push_back("y[gid] = " + activationExpr(n, "acc") + ";");
  ctx.launch(std::move(k), {ctx.in(0), ctx.out(0)});
  return Status::ok();
}

} // namespace

void registerPool(std::vector<GpuLowering> &out) {
  const char *note = "1-D/2-D NCHW, strides, dilations, pads, ceil_mode; no Indices output";
  out.push_back({"MaxPool", checkWindow, lowerWindow, note});
  out.push_back({"AveragePool", checkWindow, lowerWindow,
                 std::string(note) + "; count_include_pad"});
  out.push_back({"GlobalAveragePool", checkGlobal, lowerGlobal, "any rank >= 3"});
  out.push_back({"GlobalMaxPool", checkGlobal, lowerGlobal, "any rank >= 3"});
}

} // namespace edgec::gpu
