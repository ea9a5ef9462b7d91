// Integer AveragePool, MaxPool, GlobalAveragePool, GlobalMaxPool and
// ReduceMean -> runtime/kernels/pool_s8.c, with the interpreter's
// arithmetic (interp/kernels/quant/QPool.cpp, QReduce.cpp and
// qmath::quantizedMean): count multipliers, requantization tables and the
// folded 1/n multiplier of TFLite's MEAN are computed here.
#include "qmath/KernelParams.h"
#include "targets/mcu/lower/Lowering.h"

#include <algorithm>
#include <bit>

namespace edgec::mcu {
namespace s8 {
Expected<qmath::TensorQ> tensorQ(const Value *v, const std::string &what);
Expected<qmath::QRange> fusedRange(const Node &n);
Expected<qmath::QuantizedMultiplier> requantMultiplier(double real, const std::string &what);
Expected<std::vector<int8_t>> requantTableS8(qmath::TensorQ inQ, qmath::TensorQ outQ, qmath::QRange clamp);
bool isS8(const Value *v);
} // namespace s8

namespace {
using namespace s8;


std::string checkPool(const Node &n, const McuOptions &) {
  if (n.inputs.empty() || !isS8(n.inputs[0]) || !isS8(n.outputs.at(0))) return "only int8";
  if (n.outputs.size() > 1 && n.outputs[1]) return "the Indices output";
  size_t r = staticDims(*n.inputs[0]).size();
  if (r != 3 && r != 4) return "only 1-D and 2-D pooling";
  if (auto q = tensorQ(n.inputs[0], "input"); !q) return q.error().message();
  if (auto q = tensorQ(n.outputs[0], "output"); !q) return q.error().message();
  if (auto a = fusedRange(n); !a) return a.error().message();
  if (n.opType == "AveragePool" || n.opType == "MaxPool")
    if (auto w = windowOf(n); !w) return w.error().message();
  if (n.opType == "ReduceMean") {
    if (isChannelsLast(n)) return "channels-last ReduceMean";
    if (n.inputs.size() > 1 && n.inputs[1] && !n.inputs[1]->constant) return "axes must be constant";
  }
  return "";
}

Status lowerPool(LowerContext &ctx) {
  const Node &n = ctx.node();
  EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ xq, tensorQ(n.inputs[0], "input"));
  EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ yq, tensorQ(n.outputs[0], "output"));
  EDGEC_ASSIGN_OR_RETURN(qmath::QRange act, fusedRange(n));
  std::vector<int64_t> xd = staticDims(*n.inputs[0]), yd = staticDims(*n.outputs[0]);
  const size_t r = xd.size();
  const bool nhwc = isChannelsLast(n);
  const bool average = n.opType == "AveragePool";
  int64_t N = xd[0], C = nhwc ? xd[r - 1] : xd[1];
  std::vector<int64_t> sp = nhwc ? std::vector<int64_t>(xd.begin() + 1, xd.end() - 1)
                                 : std::vector<int64_t>(xd.begin() + 2, xd.end());
  std::vector<int64_t> osp = nhwc ? std::vector<int64_t>(yd.begin() + 1, yd.end() - 1)
                                  : std::vector<int64_t>(yd.begin() + 2, yd.end());
  const size_t s = sp.size();
  EDGEC_ASSIGN_OR_RETURN(WindowGeometry win, windowOf(n));
  const std::vector<int64_t> &k = win.kernel, &st = win.stride, &dl = win.dilation,
                             &pb = win.padBegin, &pe = win.padEnd;
  // (h, w) with h = 1 for 1-D.
  auto at = [&](const std::vector<int64_t> &v, int d, int64_t dflt) {
    return s == 1 ? (d == 0 ? dflt : v[0]) : v[size_t(d)];
  };
  int64_t H = at(sp, 0, 1), W = at(sp, 1, 1), OH = at(osp, 0, 1), OW = at(osp, 1, 1);
  int64_t isn = C * H * W, osn = C * OH * OW, isc, ish, isw, osc, osh, osw;
  if (nhwc) {
    isc = 1, isw = C, ish = W * C, osc = 1, osw = C, osh = OW * C;
  } else {
    isw = 1, ish = W, isc = H * W, osw = 1, osh = OW, osc = OH * OW;
  }
  const bool includePad = average && n.attrInt("count_include_pad", 0) != 0;
  std::string mode = "EC_POOL_S8_MAX";
  Operand cm, cs, rq;
  const int64_t ksize = k[0] * (s > 1 ? k[1] : 1);
  if (average && xq == yq) {
    mode = "EC_POOL_S8_AVG";
  } else if (average) {
    mode = "EC_POOL_S8_AVG_RESCALE";
    std::vector<int32_t> m(size_t(ksize + 1), 0), sh(size_t(ksize + 1), 0);
    for (int64_t c = 1; c <= ksize; ++c) {
      EDGEC_ASSIGN_OR_RETURN(
          qmath::QuantizedMultiplier q,
          requantMultiplier((double)xq.scale / ((double)yq.scale * (double)c), "average"));
      m[size_t(c)] = q.multiplier;
      sh[size_t(c)] = q.shift;
    }
    cm = ctx.constantArray("count_mult", m);
    cs = ctx.constantArray("count_shift", sh);
  } else if (!(xq == yq)) {
    EDGEC_ASSIGN_OR_RETURN(std::vector<int8_t> t, requantTableS8(xq, yq, {-128, 127}));
    rq = ctx.constantArray("requant", t);
  }
  int64_t kh = s > 1 ? k[0] : 1, kw = k[s - 1];
  int64_t sh_ = s > 1 ? st[0] : 1, sw = st[s - 1], dh = s > 1 ? dl[0] : 1, dw = dl[s - 1];
  int64_t pt = s > 1 ? pb[0] : 0, pl = pb[s - 1];
  int64_t limH = s > 1 ? H + pe[0] : 1, limW = W + pe[s - 1];
  Operand pid = ctx.params(
      "ec_pool_s8_params", "pool_" + n.name,
      Fields()
          .sym("mode", mode).i("include_pad", includePad).i("batch", N).i("channels", C)
          .i("in_h", H).i("in_w", W).i("out_h", OH).i("out_w", OW).i("k_h", kh).i("k_w", kw)
          .i("stride_h", sh_).i("stride_w", sw).i("dil_h", dh).i("dil_w", dw).i("pad_t", pt)
          .i("pad_l", pl).i("lim_h", limH).i("lim_w", limW)
          .i("in_sn", isn).i("in_sc", isc).i("in_sh", ish).i("in_sw", isw)
          .i("out_sn", osn).i("out_sc", osc).i("out_sh", osh).i("out_sw", osw)
          .i("in_zp", xq.zeroPoint).i("out_zp", yq.zeroPoint).i("act_min", act.min)
          .i("act_max", act.max).ptr("count_mult", cm).ptr("count_shift", cs).ptr("requant", rq));
  ctx.useRuntime("kernels/reference/pool_s8.h");
  ctx.call("ec_pool_s8", {pid, ctx.in(0), ctx.out(0)});
  ctx.setKernel(average ? "avgpool_s8" : "maxpool_s8");
  return Status::ok();
}

Status lowerMean(LowerContext &ctx) {
  const Node &n = ctx.node();
  EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ xq, tensorQ(n.inputs[0], "input"));
  EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ yq, tensorQ(n.outputs[0], "output"));
  EDGEC_ASSIGN_OR_RETURN(qmath::QRange act, fusedRange(n));
  std::vector<int64_t> xd = staticDims(*n.inputs[0]);
  const int64_t r = int64_t(xd.size());
  std::vector<bool> reduce(size_t(r), false);
  const bool isMax = n.opType == "GlobalMaxPool";
  if (n.opType == "ReduceMean") {
    std::vector<int64_t> axes;
    if (n.inputs.size() > 1 && n.inputs[1]) axes = n.inputs[1]->constant->toInt64Vector();
    else axes = n.attrInts("axes", {});
    if (axes.empty()) {
      if (n.attr("noop_with_empty_axes") && n.attr("noop_with_empty_axes")->i)
        return Error(ErrorCode::Unsupported, "noop ReduceMean");
      reduce.assign(size_t(r), true);
    }
    for (int64_t a : axes) reduce[size_t(a < 0 ? a + r : a)] = true;
  } else if (isChannelsLast(n)) {
    for (int64_t d = 1; d + 1 < r; ++d) reduce[size_t(d)] = true;
  } else {
    for (int64_t d = 2; d < r; ++d) reduce[size_t(d)] = true;
  }
  // outer x reduce x inner: reduced dims (ignoring size 1) must be contiguous.
  int64_t outer = 1, red = 1, inner = 1;
  int phase = 0;
  for (int64_t d = 0; d < r; ++d) {
    if (xd[size_t(d)] == 1) continue;
    if (reduce[size_t(d)]) {
      if (phase == 2) return Error(ErrorCode::Unsupported, "non-contiguous reduced axes");
      phase = 1;
      red *= xd[size_t(d)];
    } else {
      if (phase == 1) phase = 2;
      (phase == 0 ? outer : inner) *= xd[size_t(d)];
    }
  }
  std::string mode;
  Operand rq;
  int32_t mult = 0, shift = 0;
  if (isMax) {
    mode = "EC_MEAN_MAX";
    if (!(xq == yq)) {
      EDGEC_ASSIGN_OR_RETURN(std::vector<int8_t> t, requantTableS8(xq, yq, {-128, 127}));
      rq = ctx.constantArray("requant", t);
    }
  } else if (xq == yq) {
    mode = "EC_MEAN_EQUAL";
  } else {
    mode = "EC_MEAN_RESCALE";
    EDGEC_ASSIGN_OR_RETURN(qmath::QuantizedMultiplier m,
                           requantMultiplier((double)xq.scale / (double)yq.scale, "mean"));
    int sh = 63 - std::countl_zero((uint64_t)red);
    sh = std::min(sh, 32);
    sh = std::min(sh, 31 + m.shift);
    sh = std::max(sh, 0);
    mult = (int32_t)(((int64_t)m.multiplier << sh) / red);
    shift = m.shift - sh;
  }
  if (red > (int64_t(1) << 23)) return Error(ErrorCode::Unsupported, "reduction too large");
  Operand pid = ctx.params("ec_mean_s8_params", "mean_" + n.name,
                           Fields().sym("mode", mode).i("outer", outer).i("reduce", red)
                               .i("inner", inner).i("in_zp", xq.zeroPoint).i("out_zp", yq.zeroPoint)
                               .i("mult", mult).i("shift", shift).i("act_min", act.min)
                               .i("act_max", act.max).ptr("requant", rq));
  ctx.useRuntime("kernels/reference/pool_s8.h");
  ctx.call("ec_mean_s8", {pid, ctx.in(0), ctx.out(0)});
  ctx.setKernel(isMax ? "globalmax_s8" : "mean_s8");
  return Status::ok();
}

std::string checkMean(const Node &n, const McuOptions &o) {
  if (n.inputs.empty() || !isS8(n.inputs[0]) || !isS8(n.outputs.at(0))) return "only int8";
  if (auto q = tensorQ(n.inputs[0], "input"); !q) return q.error().message();
  if (auto q = tensorQ(n.outputs[0], "output"); !q) return q.error().message();
  if (auto a = fusedRange(n); !a) return a.error().message();
  if (n.opType == "ReduceMean") {
    if (isChannelsLast(n)) return "channels-last ReduceMean";
    if (n.inputs.size() > 1 && n.inputs[1] && !n.inputs[1]->constant) return "axes must be constant";
  } else if (staticDims(*n.inputs[0]).size() < 3) {
    return "needs rank >= 3";
  }
  (void)o;
  return "";
}

} // namespace

void registerPoolS8(std::vector<Lowering> &out) {
  out.push_back({"AveragePool", Lowering::Integer, checkPool, lowerPool, {"int8"}, "1-D/2-D"});
  out.push_back({"MaxPool", Lowering::Integer, checkPool, lowerPool, {"int8"}, "1-D/2-D"});
  out.push_back({"GlobalAveragePool", Lowering::Integer, checkMean, lowerMean, {"int8"}, ""});
  out.push_back({"GlobalMaxPool", Lowering::Integer, checkMean, lowerMean, {"int8"}, ""});
  out.push_back({"ReduceMean", Lowering::Integer, checkMean, lowerMean, {"int8"},
                 "reduced axes contiguous"});
}

} // namespace edgec::mcu
