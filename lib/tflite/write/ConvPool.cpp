// Convolutions and pools: Conv as CONV_2D or DEPTHWISE_CONV_2D,
// ConvTranspose as TRANSPOSE_CONV, MaxPool / AveragePool / LpPool as
// MAX_POOL_2D / AVERAGE_POOL_2D / L2_POOL_2D, GlobalAveragePool /
// GlobalMaxPool as MEAN / REDUCE_MAX over H and W. All NHWC
// (edgec.layout); ONNX padding as SAME, VALID or a PAD in front.
#include "tflite/write/SubgraphWriter.h"

#include "ir/Annotations.h"
#include "shape/Window.h"

#include <algorithm>

namespace edgec::tflite {
namespace {

struct Padding2D {
  fb::Padding mode = fb::Padding::VALID;
  /// Explicit [top, left, bottom, right] pads to write as a PAD operator
  /// (mode is then VALID); empty when the mode alone matches.
  std::vector<int64_t> pads;
};

/// TFLite padding for a window op over an inH x inW input with output
/// outH x outW: the node's window (shape/Window.h, auto_pad resolved into
/// pads; `kernel` from the weights, or empty for kernel_shape) written as
/// TFLite SAME (SAME_UPPER's pads and output size), VALID, or explicit pads
/// for a PAD in front. `win` receives the window.
Expected<Padding2D> planPadding(const Node &n, int64_t inH, int64_t inW,
                                const std::vector<int64_t> &kernel, int64_t outH,
                                int64_t outW, WindowGeometry &win) {
  WindowRules rules;
  rules.ceilMode = n.opType != "Conv";
  Expected<WindowGeometry> g = slidingWindow(NodeContext(n), {inH, inW}, kernel, rules);
  if (!g) return Error(ErrorCode::Unsupported, reasonOf(n, g.error()));
  win = *g;
  const int64_t in[2] = {inH, inW}, outv[2] = {outH, outW};
  const std::vector<int64_t> &k = win.kernel, &s = win.stride, &d = win.dilation;
  int64_t same[4], sameOut[2];
  for (size_t i = 0; i < 2; ++i)
    sameOut[i] = windowOutputSize(AutoPad::SameUpper, false, in[i], k[i], s[i], d[i], same[i],
                                  same[i + 2]);
  const std::vector<int64_t> pads{win.padBegin[0], win.padBegin[1], win.padEnd[0],
                                  win.padEnd[1]};
  Padding2D r;
  bool zero = true, isSame = true;
  for (int i = 0; i < 4; ++i) {
    zero = zero && pads[(size_t)i] == 0;
    isSame = isSame && pads[(size_t)i] == same[i];
  }
  for (int i = 0; i < 2; ++i)
    isSame = isSame && outv[i] == sameOut[i];
  if (zero) {
    r.mode = fb::Padding::VALID;
  } else if (isSame) {
    r.mode = fb::Padding::SAME;
  } else {
    r.mode = fb::Padding::VALID;
    r.pads = pads;
  }
  // The output size must be what TFLite computes.
  for (int i = 0; i < 2; ++i) {
    const int64_t padded = in[i] + (r.pads.empty() ? 0 : r.pads[(size_t)i] + r.pads[(size_t)i + 2]);
    const int64_t expect = r.mode == fb::Padding::SAME
                               ? sameOut[i]
                               : (padded - (k[i] - 1) * d[i] - 1) / s[i] + 1;
    if (expect != outv[i])
      return Error(ErrorCode::Unsupported,
                   "output size " + std::to_string(outv[i]) +
                       " differs from TFLite's " + std::to_string(expect) +
                       " (ceil_mode or unusual padding)");
  }
  return r;
}

} // namespace

Status SubgraphWriter::conv(const Node &n) {
  if (!isChannelsLast(n)) return unsupported("channels-first Conv (convert to NHWC first)");
  const Value *x = n.input(0);
  const Value *wv = n.input(1) ? resolve(n.input(1)) : nullptr;
  if (!x || !wv || !wv->constant) return unsupported("weights must be a constant");
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(x));
  EDGEC_ASSIGN_OR_RETURN(TensorShape ys, shapeOf(n.outputs[0]));
  const Tensor &wt = *wv->constant;
  if (xs.size() != 4 || wt.rank() != 4)
    return unsupported("only 2-D convolutions (rank-4 tensors) are written");
  const int64_t group = n.attrInt("group", 1);
  const int64_t cin = xs[3], cout = wt.dim(0);
  const bool depthwise = group > 1 && group == cin && wt.dim(1) == 1;
  if (group > 1 && !depthwise && wt.dim(1) * group != cin)
    return unsupported("group does not fit the weights");
  WindowGeometry win;
  EDGEC_ASSIGN_OR_RETURN(Padding2D pp, planPadding(n, xs[1], xs[2], {wt.dim(2), wt.dim(3)}, ys[1],
                                                   ys[2], win));
  const std::vector<int64_t> &strides = win.stride, &dil = win.dilation;
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  const bool q = isQuantizedNode(n);
  if (!pp.pads.empty()) {
    TensorShape ps{xs[0], xs[1] + pp.pads[0] + pp.pads[2], xs[2] + pp.pads[1] + pp.pads[3], xs[3]};
    int32_t padded = temp(def(xt).name + "/padded", x->type.dtype, ps, def(xt).quant);
    Preparation prep(*this);
    EDGEC_TRY(zeroPad(xt, {0, 0, pp.pads[0], pp.pads[2], pp.pads[1], pp.pads[3], 0, 0}, padded,
                      n.name));
    xt = padded;
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t wtT, weights(n, 1, depthwise ? std::vector<int64_t>{1, 2, 3, 0}
                                                               : std::vector<int64_t>{0, 2, 3, 1}));
  // Bias: always written (zeros when absent), quantized with s_in * s_w.
  // TFLite's integer kernels add the int32 values to the accumulator as
  // they are (so do edgec's), whatever scale the bias tensor carries, but
  // readers that dequantize (Arm NN's reference backend) use the tensor's
  // scale: the values are kept and the scale is always s_in * s_w (the
  // quantizer's own bias scale may differ by a few per cent).
  int32_t bt;
  std::optional<QuantParams> bq;
  if (q) {
    if (!def(xt).quant || !def(wtT).quant)
      return unsupported("quantized Conv needs quantization parameters on input 0 and the weights");
    bq = accumulatorParams(*def(xt).quant, *def(wtT).quant);
  }
  if (const Value *b = n.input(2)) {
    const Value *rb = resolve(b);
    if (rb->constant && q) {
      EDGEC_ASSIGN_OR_RETURN(bt, constTensor(rb->name, *rb->constant, bq));
    } else {
      EDGEC_ASSIGN_OR_RETURN(bt, tensorOf(b));
    }
  } else {
    EDGEC_ASSIGN_OR_RETURN(bt, zeroBias(n, x->type.dtype, cout, bq));
  }
  EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
  if (depthwise) {
    EDGEC_TRY(op(BO::DEPTHWISE_CONV_2D, {xt, wtT, bt}, {ap.write}, x->type.dtype,
                 BOpt::DepthwiseConv2DOptions,
                 fb::CreateDepthwiseConv2DOptions(w.fbb, pp.mode, (int32_t)strides[1],
                                                  (int32_t)strides[0], (int32_t)(cout / cin),
                                                  ap.fused, (int32_t)dil[1], (int32_t)dil[0])
                     .Union()));
  } else {
    EDGEC_TRY(op(BO::CONV_2D, {xt, wtT, bt}, {ap.write}, x->type.dtype, BOpt::Conv2DOptions,
                 fb::CreateConv2DOptions(w.fbb, pp.mode, (int32_t)strides[1], (int32_t)strides[0],
                                         ap.fused, (int32_t)dil[1], (int32_t)dil[0])
                     .Union()));
  }
  return finishAct(ap);
}

Status SubgraphWriter::convTranspose(const Node &n) {
  if (!isChannelsLast(n)) return unsupported("channels-first ConvTranspose (convert to NHWC first)");
  const Value *x = n.input(0);
  const Value *wv = n.input(1) ? resolve(n.input(1)) : nullptr;
  if (!x || !wv || !wv->constant) return unsupported("weights must be a constant");
  if (n.attrInt("group", 1) != 1) return unsupported("grouped ConvTranspose");
  for (int64_t d : n.attrInts("dilations", {1, 1}))
    if (d != 1) return unsupported("dilated ConvTranspose");
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(x));
  EDGEC_ASSIGN_OR_RETURN(TensorShape ys, shapeOf(n.outputs[0]));
  const Tensor &wt = *wv->constant;
  if (xs.size() != 4 || wt.rank() != 4) return unsupported("only 2-D ConvTranspose is written");
  // The window (strides, pads with auto_pad resolved) as shape/Window.h
  // reads it; TFLite pads total = (in - 1) * s + k - out, total / 2 before.
  Expected<WindowGeometry> g =
      transposedWindow(NodeContext(n), {xs[1], xs[2]}, {wt.dim(2), wt.dim(3)});
  if (!g) return unsupported(reasonOf(n, g.error()));
  const std::vector<int64_t> &s = g->stride;
  fb::Padding mode = fb::Padding::VALID;
  bool zero = true, same = true;
  for (size_t i = 0; i < 2; ++i) {
    const int64_t total = (xs[i + 1] - 1) * s[i] + wt.dim(i + 2) - ys[i + 1];
    if (total < 0) return unsupported("output_padding");
    zero = zero && total == 0;
    same = same && g->padBegin[i] == total / 2 && g->padEnd[i] == total - total / 2 &&
           ys[i + 1] == xs[i + 1] * s[i];
  }
  if (!zero) {
    if (!same) return unsupported("ConvTranspose padding TFLite cannot express");
    mode = fb::Padding::SAME;
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  EDGEC_ASSIGN_OR_RETURN(int32_t wtT, weights(n, 1, {1, 2, 3, 0}));
  int32_t shapeT = int32Const(n.name + "/output_shape", ys);
  std::vector<int32_t> ins{shapeT, wtT, xt};
  if (n.input(2)) {
    EDGEC_ASSIGN_OR_RETURN(int32_t bt, tensorOf(n.input(2)));
    ins.push_back(bt);
  }
  EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
  EDGEC_TRY(op(BO::TRANSPOSE_CONV, ins, {ap.write}, x->type.dtype, BOpt::TransposeConvOptions,
               fb::CreateTransposeConvOptions(w.fbb, mode, (int32_t)s[1], (int32_t)s[0], ap.fused)
                   .Union()));
  return finishAct(ap);
}

Status SubgraphWriter::pool(const Node &n) {
  if (!isChannelsLast(n)) return unsupported("channels-first pool (convert to NHWC first)");
  const Value *x = n.input(0);
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(x));
  EDGEC_ASSIGN_OR_RETURN(TensorShape ys, shapeOf(n.outputs[0]));
  if (xs.size() != 4) return unsupported("only 2-D pools are written");
  if (n.outputs.size() > 1 && n.outputs[1]) return unsupported("MaxPool Indices output");
  WindowGeometry win;
  EDGEC_ASSIGN_OR_RETURN(Padding2D pp, planPadding(n, xs[1], xs[2], {}, ys[1], ys[2], win));
  const std::vector<int64_t> &k = win.kernel, &s = win.stride;
  if (win.dilation[0] != 1 || win.dilation[1] != 1) return unsupported("dilated pooling");
  if (!pp.pads.empty()) return unsupported("pool padding TFLite cannot express");
  BO code = n.opType == "MaxPool" ? BO::MAX_POOL_2D
            : n.opType == "LpPool" ? BO::L2_POOL_2D
                                   : BO::AVERAGE_POOL_2D;
  if (code == BO::L2_POOL_2D && n.attrInt("p", 2) != 2) return unsupported("LpPool with p != 2");
  if (code == BO::AVERAGE_POOL_2D && pp.mode == fb::Padding::SAME &&
      n.attrInt("count_include_pad", 0) != 0) {
    bool anyPad = false;
    for (int i = 0; i < 2; ++i) anyPad = anyPad || (ys[(size_t)i + 1] - 1) * s[(size_t)i] + k[(size_t)i] > xs[(size_t)i + 1];
    if (anyPad) return unsupported("AveragePool with count_include_pad = 1 over padding");
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
  OutPlan o = sameParamsOut(ap.write, def(xt).quant);
  EDGEC_TRY(op(code, {xt}, {o.write}, x->type.dtype, BOpt::Pool2DOptions,
               fb::CreatePool2DOptions(w.fbb, pp.mode, (int32_t)s[1], (int32_t)s[0], (int32_t)k[1],
                                       (int32_t)k[0], ap.fused)
                   .Union()));
  finishOut(o);
  return finishAct(ap);
}

Status SubgraphWriter::globalPool(const Node &n) {
  if (!isChannelsLast(n)) return unsupported("channels-first global pool (convert to NHWC first)");
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  std::vector<int64_t> axes;
  for (size_t i = 1; i + 1 < xs.size(); ++i) axes.push_back((int64_t)i);
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  int32_t at = int32Const(n.name + "/axes", axes);
  const bool mx = n.opType == "GlobalMaxPool";
  OutPlan o = mx ? sameParamsOut(yt, def(xt).quant) : OutPlan{yt, yt};
  EDGEC_TRY(op(mx ? BO::REDUCE_MAX : BO::MEAN, {xt, at}, {o.write}, inType(n),
               BOpt::ReducerOptions, fb::CreateReducerOptions(w.fbb, true).Union()));
  finishOut(o);
  return Status::ok();
}

} // namespace edgec::tflite
