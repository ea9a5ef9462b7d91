// Float pooling: MaxPool, AveragePool (1-D/2-D; pads, auto_pad, strides,
// dilations, ceil_mode, count_include_pad), GlobalAveragePool and
// GlobalMaxPool, NCHW or edgec.layout = NHWC -> ec_pool_f32
// (runtime/kernels/pool_f32.c).
#include "targets/mcu/lower/Lowering.h"

#include <algorithm>

namespace edgec::mcu {

namespace {

bool isGlobal(const Node &n) { return n.opType.rfind("Global", 0) == 0; }

std::string check(const Node &n, const McuOptions &) {
  if (n.inputs.empty() || !n.inputs[0] || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  if (n.inputs[0]->type.dtype != DataType::Float32 ||
      n.outputs[0]->type.dtype != DataType::Float32)
    return "only float32";
  if (n.outputs.size() > 1 && n.outputs[1]) return "the Indices output is not supported";
  size_t r = n.inputs[0]->type.dims.size();
  if (r != 3 && r != 4)
    return "only 1-D and 2-D pooling (input rank " + std::to_string(r) + ")";
  const Attribute *lay = n.attr(kLayoutAttr);
  if (lay && lay->s != "NHWC") return "layout '" + lay->s + "' is not supported";
  if (!isGlobal(n) && n.inputs[0]->type.isStatic())
    if (auto w = windowOf(n); !w) return w.error().message();
  return checkFusedActivationF32(n);
}

Status lower(LowerContext &ctx) {
  const Node &n = ctx.node();
  const bool nhwc = isChannelsLast(n);
  std::vector<int64_t> xd = staticDims(ctx.inValue(0)), yd = staticDims(ctx.outValue(0));
  const size_t sp = xd.size() - 2;
  Geo gi = geometry(xd, nhwc), go = geometry(yd, nhwc);
  bool avg = n.opType == "AveragePool" || n.opType == "GlobalAveragePool";
  int64_t kh = gi.h, kw = gi.w, sh = 1, sw = 1, dh = 1, dw = 1;
  int64_t pt = 0, pl = 0, pbm = 0, pr = 0, cip = 0;
  if (!isGlobal(n)) {
    EDGEC_ASSIGN_OR_RETURN(WindowGeometry win, windowOf(n));
    const std::vector<int64_t> &ks = win.kernel, &st = win.stride, &dl = win.dilation,
                               &b = win.padBegin, &e = win.padEnd;
    kh = sp == 2 ? ks[0] : 1;
    kw = ks[sp - 1];
    sh = sp == 2 ? st[0] : 1;
    sw = st[sp - 1];
    dh = sp == 2 ? dl[0] : 1;
    dw = dl[sp - 1];
    pt = sp == 2 ? b[0] : 0;
    pbm = sp == 2 ? e[0] : 0;
    pl = b[sp - 1];
    pr = e[sp - 1];
    if (avg) {
      cip = n.attrInt("count_include_pad", 0);
    }
  }
  EDGEC_ASSIGN_OR_RETURN(Fields act, fusedActivationF32(n));
  Operand p = ctx.params("ec_pool_f32_params", "pool_" + n.name,
                         Fields()
                             .sym("kind", avg ? "EC_POOL_AVG" : "EC_POOL_MAX")
                             .i("n", gi.n).i("c", gi.c).i("ih", gi.h).i("iw", gi.w)
                             .i("oh", go.h).i("ow", go.w).i("kh", kh).i("kw", kw)
                             .i("sh", sh).i("sw", sw).i("dh", dh).i("dw", dw)
                             .i("pt", pt).i("pl", pl).i("pb", pbm).i("pr", pr)
                             .i("count_include_pad", cip)
                             .i("in_sn", gi.sn).i("in_sc", gi.sc).i("in_sh", gi.sh).i("in_sw", gi.sw)
                             .i("out_sn", go.sn).i("out_sc", go.sc).i("out_sh", go.sh).i("out_sw", go.sw)
                             .sub("act", act));
  ctx.useRuntime("kernels/reference/pool_f32.h");
  ctx.call("ec_pool_f32", {p, ctx.in(0), ctx.out(0)});
  ctx.setKernel(std::string("pool_f32 (") + (avg ? "avg" : "max") +
                (nhwc ? ", NHWC" : "") + ")");
  ctx.addMacs(go.n * go.c * go.h * go.w * kh * kw);
  return Status::ok();
}

} // namespace

void registerPoolF32(std::vector<Lowering> &out) {
  for (const char *op : {"MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool"})
    out.push_back({op, Lowering::Float, check, lower, {"float32"},
                   "1-D/2-D, NCHW or NHWC; no Indices output"});
}

} // namespace edgec::mcu
