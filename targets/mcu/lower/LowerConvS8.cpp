// Integer Conv, Gemm and MatMul (constant weights) -> runtime/kernels/
// reference/conv_s8.c and fc_s8.c, or their Cortex-M DSP variants in
// runtime/kernels/cortexm/. Everything is computed here: repacked weights
// (DspWeightPacking.h), bias with the input zero point folded in,
// per-channel multipliers and shifts (the interpreter's arithmetic,
// interp/kernels/quant/QConv.cpp and QFullyConnected.cpp), the fused
// activation clamp.
//
// Kernel choice: channels-last 1x1 stride-1 convolutions and fully
// connected layers are a matrix product (ec_gemm_s8); other ungrouped
// convolutions (any layout) use im2col + the same product (ec_conv_s8_dsp;
// fully connected layers with column counts and depths multiples of 4:
// ec_fc_s8_dsp_w4, weights grouped by four columns, still one byte each),
// channels-last depthwise
// ones (multiplier 1) ec_dwconv_s8_dsp; everything else the portable direct
// ec_conv_s8 (the depthwise kernel takes the raw bias, the others the
// bias with the zero point folded in). The _dsp variants are used when
// optimized kernels are on and the core has the DSP extension (or on the
// host, where their plain-C emulation runs); they are bit-identical to the
// portable code (test/runtime/kernels/).
//
// Weight layout: one byte per int8 weight by default (the DSP kernels pair
// them at run time with SXTB16); layers that --option flash-budget chose
// (ctx.pairLayout(), FlashBudget.h) get the 16-bit pair layout the kernels
// read without unpacking (ec_pack_gemm_wx, ec_pack_dw_w), twice the bytes.
#include "qmath/KernelParams.h"
#include "targets/mcu/lower/DspWeightPacking.h"
#include "targets/mcu/lower/Lowering.h"

#include <algorithm>
#include <cmath>

namespace edgec::mcu {
namespace s8 {
// LowerCommonS8.cpp
Expected<qmath::TensorQ> tensorQ(const Value *v, const std::string &what);
Expected<qmath::ChannelQ> channelQ(const Value *v, int64_t channels, int64_t axis);
Expected<qmath::QRange> fusedRange(const Node &n);
std::optional<float> leakyAlpha(const Node &n);
Expected<qmath::QuantizedMultiplier> requantMultiplier(double real, const std::string &what);
bool isS8(const Value *v);
bool useDsp(LowerContext &ctx);
} // namespace s8

namespace {

using namespace s8;

/// The report's mark of a layer whose weights are in the pair layout.
const char *const kPairsNote = " [int16 pairs]";
/// Arena scratch for the column groups ec_gemm_s8_dsp_paired pairs at a time
/// (fewer passes over the input rows; RAM against instructions).
const int64_t kPairScratchBytes = 1024;
/// Weights from which a fully connected layer gets ec_fc_s8_dsp_w4 (about
/// 1 KB of code; a classifier head of a few hundred MACs saves less than
/// that costs when the model links ec_gemm_s8_dsp anyway).
const int64_t kFcW4MinWeights = 1024;
/// The most arena scratch ec_fc_s8_dsp_w4 gets for its sign-extended input
/// row (2 bytes per input; wider rows are extended per column group).
const int64_t kFcW4PairsMaxBytes = 512;

struct ConvGeom {
  int64_t n = 1, c = 1, h = 1, w = 1, m = 1, oh = 1, ow = 1;
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1, pt = 0, pl = 0;
  int64_t group = 1;
  bool nhwc = false;
};

/// The geometry of a 1-D or 2-D Conv (the window from shape/Window.h).
Expected<ConvGeom> convGeom(const Node &n) {
  ConvGeom g;
  const Value *x = n.inputs.at(0), *w = n.inputs.at(1);
  std::vector<int64_t> xd = staticDims(*x), wd = staticDims(*w);
  size_t r = xd.size();
  if ((r != 3 && r != 4) || wd.size() != r)
    return Error(ErrorCode::Unsupported, "only 1-D and 2-D convolutions");
  g.nhwc = isChannelsLast(n);
  std::vector<int64_t> sp;
  g.n = xd[0];
  if (g.nhwc) {
    g.c = xd[r - 1];
    sp.assign(xd.begin() + 1, xd.end() - 1);
  } else {
    g.c = xd[1];
    sp.assign(xd.begin() + 2, xd.end());
  }
  g.m = wd[0];
  g.group = n.attrInt("group", 1);
  if (g.group <= 0 || g.c % g.group || g.m % g.group || wd[1] != g.c / g.group)
    return Error(ErrorCode::Unsupported, "weights do not match the input");
  size_t s = sp.size();
  EDGEC_ASSIGN_OR_RETURN(WindowGeometry win,
                         windowOf(n, std::vector<int64_t>(wd.begin() + 2, wd.end())));
  const std::vector<int64_t> &k = win.kernel, &st = win.stride, &dl = win.dilation,
                             &pb = win.padBegin, &out = win.out;
  if (s == 1) {
    g.h = 1;
    g.w = sp[0];
    g.kh = 1;
    g.kw = k[0];
    g.sw = st[0];
    g.dw = dl[0];
    g.pl = pb[0];
    g.oh = 1;
    g.ow = out[0];
  } else {
    g.h = sp[0];
    g.w = sp[1];
    g.kh = k[0];
    g.kw = k[1];
    g.sh = st[0];
    g.sw = st[1];
    g.dh = dl[0];
    g.dw = dl[1];
    g.pt = pb[0];
    g.pl = pb[1];
    g.oh = out[0];
    g.ow = out[1];
  }
  return g;
}

/// What the product kernels share: folded and raw bias, multipliers.
struct GemmPlan {
  qmath::TensorQ xq, yq;
  std::vector<int32_t> rawBias, foldedBias, mult, shift, multNeg, shiftNeg;
  qmath::QRange act;
  /// ec_requant_fast applies: |acc| < 2^30 in both the raw and the folded
  /// form, every shift <= -1, no LeakyRelu.
  bool fastOk = false;
};

/// w is [cols][depth] int8 (zero points already checked to be 0).
/// The kernels' slow requantization (fc_s8.h ec_requant_s8_apply without
/// LeakyRelu), exactly.
int32_t kernelRequant(int64_t acc, int32_t m, int32_t shift, int32_t zp, qmath::QRange act) {
  const int32_t left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  const int64_t prod = int64_t(int32_t(uint32_t(int32_t(acc)) << left)) * int64_t(m);
  const int32_t h = int32_t((prod + (int64_t(1) << 30)) >> 31);
  const int32_t mask = int32_t((uint32_t(1) << right) - 1u);
  const int32_t rem = h & mask, thr = (mask >> 1) + (h < 0 ? 1 : 0);
  int32_t r = (h >> right) + (rem > thr ? 1 : 0);
  const int32_t lo = act.min - zp, hi = act.max - zp;
  r = r < lo ? lo : (r > hi ? hi : r);
  return r + zp;
}

Expected<GemmPlan> gemmPlan(const Node &n, std::vector<int8_t> &w, int64_t cols,
                            int64_t depth, const Value *wv, int64_t wAxis, const Value *bias) {
  GemmPlan p;
  EDGEC_ASSIGN_OR_RETURN(p.xq, tensorQ(n.inputs[0], "input 0"));
  EDGEC_ASSIGN_OR_RETURN(p.yq, tensorQ(n.outputs[0], "output 0"));
  EDGEC_ASSIGN_OR_RETURN(qmath::ChannelQ wq, channelQ(wv, cols, wAxis));
  for (int32_t z : wq.zeroPoint)
    if (z != 0) return Error(ErrorCode::Unsupported, "weights with a nonzero zero point");
  EDGEC_ASSIGN_OR_RETURN(p.act, fusedRange(n));
  std::optional<float> leaky = leakyAlpha(n);
  std::vector<int64_t> b(size_t(cols), 0);
  if (bias) {
    if (!bias->constant || (bias->type.dtype != DataType::Int32) ||
        bias->constant->numElements() != cols)
      return Error(ErrorCode::Unsupported, "bias must be a constant int32 [" + std::to_string(cols) + "]");
    for (int64_t c = 0; c < cols; ++c) b[size_t(c)] = bias->constant->getInt64(c);
  }
  p.fastOk = !leaky;
  for (int64_t c = 0; c < cols; ++c) {
    int64_t sum = 0, sumAbs = 0;
    for (int64_t k = 0; k < depth; ++k) {
      sum += w[size_t(c * depth + k)];
      sumAbs += std::abs(int64_t(w[size_t(c * depth + k)]));
    }
    p.rawBias.push_back(int32_t(b[size_t(c)]));
    p.foldedBias.push_back(int32_t(uint32_t(b[size_t(c)] - int64_t(p.xq.zeroPoint) * sum)));
    double real = (double)p.xq.scale * (double)wq.scale[size_t(c)] / (double)p.yq.scale;
    EDGEC_ASSIGN_OR_RETURN(qmath::QuantizedMultiplier m, requantMultiplier(real, "output channel"));
    if (m.multiplier == INT32_MIN) return Error(ErrorCode::Unsupported, "multiplier -2^31");
    p.mult.push_back(m.multiplier);
    p.shift.push_back(m.shift);
    {
      const int64_t folded = b[size_t(c)] - int64_t(p.xq.zeroPoint) * sum;
      const int64_t bound = std::max(std::abs(b[size_t(c)]) + 256 * sumAbs,
                                     std::abs(folded) + 128 * sumAbs);
      const bool ok = bound < (int64_t(1) << 30) && m.shift <= -1 && m.shift >= -31 &&
                      m.multiplier >= 0;
      if (!ok && !leaky) {
        // A channel whose output is the same for every input (dead channels:
        // a huge bias) becomes zero weights, bias 4 (y - zp), multiplier
        // 2^30, shift -1, which gives that output exactly in every kernel.
        const int64_t zx = p.xq.zeroPoint;
        int64_t lo = b[size_t(c)], hi = b[size_t(c)];
        for (int64_t k = 0; k < depth; ++k) {
          const int64_t wv = w[size_t(c * depth + k)];
          lo += std::min(wv * (-128 - zx), wv * (127 - zx));
          hi += std::max(wv * (-128 - zx), wv * (127 - zx));
        }
        const int32_t left = m.shift > 0 ? m.shift : 0;
        const int64_t lim = (int64_t(1) << 31) >> left;
        bool constant = false;
        int32_t y = 0;
        if (m.multiplier >= 0 && lo > -lim && hi < lim) {
          y = kernelRequant(lo, m.multiplier, m.shift, p.yq.zeroPoint, p.act);
          constant = y == kernelRequant(hi, m.multiplier, m.shift, p.yq.zeroPoint, p.act);
        }
        if (constant) {
          for (int64_t k = 0; k < depth; ++k) w[size_t(c * depth + k)] = 0;
          p.rawBias.back() = p.foldedBias.back() = 4 * (y - p.yq.zeroPoint);
          p.mult.back() = int32_t(1) << 30;
          p.shift.back() = -1;
        } else {
          p.fastOk = false;
        }
      } else if (!ok) {
        p.fastOk = false;
      }
    }
    if (leaky) {
      EDGEC_ASSIGN_OR_RETURN(qmath::QuantizedMultiplier mn,
                             requantMultiplier(real * (double)*leaky, "fused LeakyRelu"));
      if (mn.multiplier == INT32_MIN) return Error(ErrorCode::Unsupported, "multiplier -2^31");
      p.multNeg.push_back(mn.multiplier);
      p.shiftNeg.push_back(mn.shift);
    }
  }
  return p;
}

/// The ec_gemm_s8_params fields.
Fields gemmFields(LowerContext &ctx, const GemmPlan &p, const std::vector<int8_t> &w,
                  int64_t cols, int64_t depth, int64_t outColStride, bool folded,
                  bool fast = false, bool expand = false) {
  fast = fast && p.fastOk;
  Operand wid = expand ? Operand::null() : ctx.constantArray("w", w, "[cols][depth]");
  Operand bid = ctx.constantArray("bias", folded ? p.foldedBias : p.rawBias);
  Operand mid = ctx.constantArray("mult", p.mult);
  // One byte per shift (|shift| <= 31).
  std::vector<int8_t> sh;
  for (int32_t v : p.shift) sh.push_back(int8_t(fast ? -v : v)); // fast: the right shift
  Operand sid = ctx.constantArray("shift", sh);
  Operand mn, sn;
  if (!p.multNeg.empty()) {
    mn = ctx.constantArray("mult_neg", p.multNeg);
    sn = ctx.constantArray("shift_neg", std::vector<int8_t>(p.shiftNeg.begin(), p.shiftNeg.end()));
  }
  Operand wx;
  if (expand) {
    std::vector<int32_t> e(ec_pack_gemm_wx_words(int32_t(cols), int32_t(depth)));
    ec_pack_gemm_wx(w.data(), int32_t(cols), int32_t(depth), e.data());
    wx = ctx.constantArray("wx", e, "int16 pairs [cols/4][depth/4][4][2]");
  }
  return Fields()
      .i("cols", cols).i("depth", depth).i("out_col_stride", outColStride)
      .i("out_zp", p.yq.zeroPoint).i("act_min", p.act.min).i("act_max", p.act.max)
      .ptr("w", wid).ptr("bias", bid).ptr("mult", mid).ptr("shift", sid)
      .ptr("mult_neg", mn).ptr("shift_neg", sn).i("fast", fast ? 1 : 0).ptr("wx", wx);
}

bool zeroWeightZp(const Value *w) {
  if (!w || !w->quant) return false;
  for (int64_t z : w->quant->zeroPoint)
    if (z != 0) return false;
  return true;
}

std::string checkConv(const Node &n, const McuOptions &) {
  if (n.inputs.size() < 2 || !isS8(n.inputs[0]) || !n.inputs[1] || !isS8(n.inputs[1]) ||
      !isS8(n.outputs.at(0)))
    return "only int8 activations and weights";
  if (!n.inputs[1]->constant) return "weights must be constant";
  if (!zeroWeightZp(n.inputs[1])) return "weights need zero point 0";
  if (n.inputs.size() > 2 && n.inputs[2] &&
      (!n.inputs[2]->constant || n.inputs[2]->type.dtype != DataType::Int32))
    return "bias must be a constant int32";
  auto g = convGeom(n);
  if (!g) return g.error().message();
  if (auto r = fusedRange(n); !r) return r.error().message();
  if ((*g).c / (*g).group * (*g).kh * (*g).kw > 65536) return "receptive field too large";
  return "";
}

Status lowerConv(LowerContext &ctx) {
  const Node &n = ctx.node();
  EDGEC_ASSIGN_OR_RETURN(ConvGeom g, convGeom(n));
  const Tensor &wt = *n.inputs[1]->constant;
  const int64_t cg = g.c / g.group, ksz = g.kh * g.kw * cg;
  // [m][cg][kh][kw] -> [m][kh][kw][cg]
  std::vector<int8_t> w(size_t(g.m * ksz));
  for (int64_t o = 0; o < g.m; ++o)
    for (int64_t ic = 0; ic < cg; ++ic)
      for (int64_t k = 0; k < g.kh * g.kw; ++k)
        w[size_t(o * ksz + k * cg + ic)] =
            int8_t(wt.getInt64(((o * cg + ic) * g.kh * g.kw) + k));
  const Value *bias = n.inputs.size() > 2 ? n.inputs[2] : nullptr;
  EDGEC_ASSIGN_OR_RETURN(GemmPlan p, gemmPlan(n, w, g.m, ksz, n.inputs[1], 0, bias));
  ctx.addMacs(g.n * g.oh * g.ow * g.m * ksz);
  const bool dsp = useDsp(ctx), pairs = dsp && ctx.pairLayout();
  // Element strides (n, c, h, w).
  int64_t isn = g.c * g.h * g.w, osn = g.m * g.oh * g.ow, isc, ish, isw, osc, osh, osw;
  if (g.nhwc) {
    isc = 1, isw = g.c, ish = g.w * g.c;
    osc = 1, osw = g.m, osh = g.ow * g.m;
  } else {
    isw = 1, ish = g.w, isc = g.h * g.w;
    osw = 1, osh = g.ow, osc = g.oh * g.ow;
  }
  const bool pointwise = g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.pt == 0 &&
                         g.pl == 0 && g.oh == g.h && g.ow == g.w;
  if (g.nhwc && g.group == 1 && pointwise) {
    Operand pid = ctx.params("ec_gemm_s8_params", "fc_" + n.name,
                             gemmFields(ctx, p, w, g.m, ksz, 1, true, dsp, pairs));
    ctx.useRuntime(dsp && !pairs ? "kernels/cortexm/gemm_s8_dsp_paired.h"
                   : dsp         ? "kernels/cortexm/fc_s8_dsp.h"
                                 : "kernels/reference/fc_s8.h");
    std::vector<Operand> args = {pid, ctx.in(0), Operand::integer(g.n * g.h * g.w),
                                 Operand::integer(g.c), ctx.out(0), Operand::integer(g.m)};
    if (dsp && !pairs) {
      // One byte per weight: each column group paired at run time into
      // scratch and run over every pixel (ec_gemm_s8_dsp_paired).
      // Up to kPairScratchBytes of column groups at a time (at least one).
      const int64_t group = int64_t(ec_pack_gemm_wx_words(4, int32_t(ksz))) * 4;
      const int64_t groups = std::max<int64_t>(
          1, std::min<int64_t>((g.m + 3) / 4, kPairScratchBytes / group));
      args.push_back(ctx.scratch(groups * group));
      args.push_back(Operand::integer(groups * group));
      ctx.call("ec_gemm_s8_dsp_paired", args);
    } else {
      ctx.call(dsp ? "ec_gemm_s8_dsp" : "ec_gemm_s8", args);
    }
    ctx.setKernel(std::string(dsp ? "conv1x1_s8_dsp" : "conv1x1_s8") + (pairs ? kPairsNote : ""));
    return Status::ok();
  }
  enum { Portable, Im2col, Depthwise } kind = Portable;
  if (dsp && g.group == 1) kind = Im2col;
  else if (dsp && g.nhwc && g.group == g.c && g.m == g.c) kind = Depthwise;
  std::vector<int8_t> wk = w;
  if (kind == Depthwise) // [c][kh][kw] -> [kh][kw][c]
    ec_pack_dw_taps_major(w.data(), int32_t(g.c), int32_t(g.kh * g.kw), wk.data());
  // The depthwise kernel reads the raw bias only without dw_bias or past 16
  // taps; otherwise g.bias is the folded one, the same constant as dw_bias.
  const bool dwFolded = kind == Depthwise && g.c >= 4 && g.kh * g.kw <= 16;
  // ec_conv_s8_dsp's pair path wants a depth that is a multiple of 4: the
  // columns padded with zero weights (a few bytes; EC_CONV_S8_DSP_PAIRS).
  int64_t depth = ksz;
  if (kind == Im2col && !pairs && ksz % 4 != 0 && g.m >= 4) {
    depth = (ksz + 3) / 4 * 4;
    wk.assign(size_t(g.m * depth), 0);
    for (int64_t o = 0; o < g.m; ++o)
      std::copy(w.begin() + o * ksz, w.begin() + (o + 1) * ksz, wk.begin() + o * depth);
  }
  Fields gemm = gemmFields(ctx, p, wk, g.m, depth, kind == Im2col ? osc : 1,
                           kind == Im2col || dwFolded, kind != Portable, kind == Im2col && pairs);
  Operand raw = kind == Portable ? ctx.constantArray("bias_raw", p.rawBias) : Operand::null();
  Operand dwW, dwB;
  if (kind == Depthwise && g.c >= 4) {
    const int32_t taps = int32_t(g.kh * g.kw);
    if (pairs) {
      std::vector<int32_t> ww(ec_pack_dw_w_words(int32_t(g.c), taps));
      ec_pack_dw_w(w.data(), int32_t(g.c), taps, ww.data());
      dwW = ctx.constantArray("dw_w", ww, "int16 pairs [c/4][kh*kw][2]");
    }
    dwB = ctx.constantArray("dw_bias", p.foldedBias);
  }
  Operand pid = ctx.params(
      "ec_conv_s8_params", "conv_" + n.name,
      Fields()
          .sub("g", gemm)
          .i("batch", g.n).i("in_h", g.h).i("in_w", g.w).i("in_c", g.c).i("out_h", g.oh)
          .i("out_w", g.ow).i("k_h", g.kh).i("k_w", g.kw).i("stride_h", g.sh).i("stride_w", g.sw)
          .i("dil_h", g.dh).i("dil_w", g.dw).i("pad_t", g.pt).i("pad_l", g.pl).i("groups", g.group)
          .i("in_sn", isn).i("in_sc", isc).i("in_sh", ish).i("in_sw", isw)
          .i("out_sn", osn).i("out_sc", osc).i("out_sh", osh).i("out_sw", osw)
          .i("in_zp", p.xq.zeroPoint).ptr("raw_bias", raw).ptr("dw_w", dwW).ptr("dw_bias", dwB));
  if (kind == Im2col) {
    ctx.useRuntime("kernels/cortexm/conv_s8_dsp.h");
    // EC_CONV_S8_DSP_SCRATCH (conv_s8_dsp.h): two fields as bytes, and as
    // halfword pairs where the one-byte path pairs them.
    const bool fieldPairs = !pairs && depth % 4 == 0 && g.m >= 4;
    ctx.call("ec_conv_s8_dsp",
             {pid, ctx.in(0), ctx.out(0), ctx.scratch((fieldPairs ? 4 * depth : 0) + 2 * depth)});
    ctx.setKernel(std::string("conv_s8_dsp (im2col)") + (pairs ? kPairsNote : ""));
  } else if (kind == Depthwise) {
    ctx.useRuntime("kernels/cortexm/dwconv_s8_dsp.h");
    Operand sc = dwB.isNull() ? Operand::null() : ctx.scratch((g.c + 3) / 4 * 4);
    ctx.call("ec_dwconv_s8_dsp", {pid, ctx.in(0), ctx.out(0), sc});
    ctx.setKernel(std::string("dwconv_s8_dsp") + (pairs && !dwW.isNull() ? kPairsNote : ""));
  } else {
    ctx.useRuntime("kernels/reference/conv_s8.h");
    ctx.call("ec_conv_s8", {pid, ctx.in(0), ctx.out(0)});
    ctx.setKernel(g.group == 1 ? "conv_s8" : "conv_s8 (grouped)");
  }
  return Status::ok();
}

// ---- Gemm / MatMul ----

struct FcShape {
  int64_t rows = 0, depth = 0, cols = 0;
  bool transB = false;
  int64_t wAxis = 0;
  const Value *bias = nullptr;
};

Expected<FcShape> fcShape(const Node &n) {
  FcShape s;
  std::vector<int64_t> ad = staticDims(*n.inputs[0]), bd = staticDims(*n.inputs[1]);
  if (n.opType == "Gemm") {
    if (n.attr("transA") && n.attr("transA")->i) return Error(ErrorCode::Unsupported, "transA");
    if ((n.attr("alpha") && n.attr("alpha")->f != 1.0f) ||
        (n.inputs.size() > 2 && n.inputs[2] && n.attr("beta") && n.attr("beta")->f != 1.0f))
      return Error(ErrorCode::Unsupported, "alpha or beta other than 1");
    if (ad.size() != 2 || bd.size() != 2) return Error(ErrorCode::Unsupported, "2-D operands");
    s.transB = n.attr("transB") && n.attr("transB")->i;
    s.rows = ad[0];
    s.depth = ad[1];
    s.cols = s.transB ? bd[0] : bd[1];
    if ((s.transB ? bd[1] : bd[0]) != s.depth) return Error(ErrorCode::Unsupported, "inner dims");
    s.wAxis = s.transB ? 0 : 1;
    if (n.inputs.size() > 2) s.bias = n.inputs[2];
  } else {
    if (bd.size() != 2 || ad.empty()) return Error(ErrorCode::Unsupported, "MatMul needs a 2-D constant B");
    s.depth = ad.back();
    s.rows = 1;
    for (size_t i = 0; i + 1 < ad.size(); ++i) s.rows *= ad[i];
    if (bd[0] != s.depth) return Error(ErrorCode::Unsupported, "inner dims");
    s.cols = bd[1];
    s.wAxis = 1;
  }
  return s;
}

std::string checkFc(const Node &n, const McuOptions &) {
  if (n.inputs.size() < 2 || !isS8(n.inputs[0]) || !n.inputs[1] || !isS8(n.inputs[1]) ||
      !isS8(n.outputs.at(0)))
    return "only int8 activations and weights";
  if (!n.inputs[1]->constant) return "B must be constant";
  if (!zeroWeightZp(n.inputs[1])) return "B needs zero point 0";
  auto s = fcShape(n);
  if (!s) return s.error().message();
  if (s->bias && (!s->bias->constant || s->bias->type.dtype != DataType::Int32))
    return "bias must be a constant int32";
  if (auto r = fusedRange(n); !r) return r.error().message();
  return "";
}

Status lowerFc(LowerContext &ctx) {
  const Node &n = ctx.node();
  EDGEC_ASSIGN_OR_RETURN(FcShape s, fcShape(n));
  const Tensor &bt = *n.inputs[1]->constant;
  std::vector<int8_t> w(size_t(s.cols * s.depth));
  for (int64_t c = 0; c < s.cols; ++c)
    for (int64_t k = 0; k < s.depth; ++k)
      w[size_t(c * s.depth + k)] =
          int8_t(bt.getInt64(s.transB ? c * s.depth + k : k * s.cols + c));
  EDGEC_ASSIGN_OR_RETURN(GemmPlan p, gemmPlan(n, w, s.cols, s.depth, n.inputs[1], s.wAxis, s.bias));
  ctx.addMacs(s.rows * s.cols * s.depth);
  const bool dsp = useDsp(ctx), pairs = dsp && ctx.pairLayout();
  if (dsp && !pairs && s.cols % 4 == 0 && s.depth % 4 == 0 &&
      s.cols * s.depth >= kFcW4MinWeights) {
    // One byte per weight grouped by four columns (ec_fc_s8_dsp_w4): the
    // input row sign-extended once into scratch up to kFcW4PairsMaxBytes
    // (RAM for speed), else per group of four columns.
    std::vector<int8_t> w4(w.size());
    ec_pack_fc_w4(w.data(), int32_t(s.cols), int32_t(s.depth), w4.data());
    ctx.useRuntime("kernels/cortexm/fc_s8_dsp_w4.h");
    Operand pid = ctx.params("ec_gemm_s8_params", "fc_" + n.name,
                             gemmFields(ctx, p, w4, s.cols, s.depth, 1, true, true, false));
    ctx.call("ec_fc_s8_dsp_w4", {pid, ctx.in(0), Operand::integer(s.rows),
                                 Operand::integer(s.depth), ctx.out(0), Operand::integer(s.cols),
                                 2 * s.depth <= kFcW4PairsMaxBytes ? ctx.scratch(2 * s.depth)
                                                                   : Operand::null()});
    ctx.setKernel("fc_s8_dsp (4-column groups)");
    return Status::ok();
  }
  ctx.useRuntime(dsp ? "kernels/cortexm/fc_s8_dsp.h" : "kernels/reference/fc_s8.h");
  Operand pid = ctx.params("ec_gemm_s8_params", "fc_" + n.name,
                           gemmFields(ctx, p, w, s.cols, s.depth, 1, true, dsp, pairs));
  ctx.call(dsp ? "ec_gemm_s8_dsp" : "ec_gemm_s8",
           {pid, ctx.in(0), Operand::integer(s.rows), Operand::integer(s.depth), ctx.out(0),
            Operand::integer(s.cols)});
  ctx.setKernel(std::string(dsp ? "fc_s8_dsp" : "fc_s8") + (pairs ? kPairsNote : ""));
  return Status::ok();
}

} // namespace

void registerConvS8(std::vector<Lowering> &out) {
  out.push_back({"Conv", Lowering::Integer, checkConv, lowerConv, {"int8"},
                 "1-D/2-D, per-channel int8 weights (zero point 0), groups, depthwise, "
                 "NCHW or NHWC; fused Relu/Clip/LeakyRelu"});
  out.push_back({"Gemm", Lowering::Integer, checkFc, lowerFc, {"int8"},
                 "constant int8 B (zero point 0), transA = 0, alpha = beta = 1"});
  out.push_back({"MatMul", Lowering::Integer, checkFc, lowerFc, {"int8"},
                 "constant 2-D int8 B (zero point 0)"});
}

} // namespace edgec::mcu
