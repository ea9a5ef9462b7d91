// Convolutions and pools: Conv as CONV_2D or DEPTHWISE_CONV_2D,
// ConvTranspose as TRANSPOSE_CONV, MaxPool / AveragePool / LpPool as
// MAX_POOL_2D / AVERAGE_POOL_2D / L2_POOL_2D, GlobalAveragePool /
// GlobalMaxPool as MEAN / REDUCE_MAX over H and W. All NHWC
// (edgec.layout); ONNX padding as SAME, VALID or a PAD in front.
#include "tflite/write/SubgraphWriter.h"

#include "ir/Annotations.h"

#include <algorithm>

namespace edgec::tflite {
namespace {

struct Padding2D {
  fb::Padding mode = fb::Padding::VALID;
  /// Explicit [top, left, bottom, right] pads to write as a PAD operator
  /// (mode is then VALID); empty when the mode alone matches.
  std::vector<int64_t> pads;
};

/// TFLite padding for a window op with the node's auto_pad / pads.
Expected<Padding2D> planPadding(const Node &n, int64_t inH, int64_t inW,
                                int64_t kH, int64_t kW, int64_t sH, int64_t sW,
                                int64_t dH, int64_t dW, int64_t outH,
                                int64_t outW) {
  const std::string ap = attrStr(n, "auto_pad", "NOTSET");
  const int64_t in[2] = {inH, inW}, k[2] = {kH, kW}, s[2] = {sH, sW},
                d[2] = {dH, dW}, outv[2] = {outH, outW};
  int64_t same[4];
  for (int i = 0; i < 2; ++i) {
    const int64_t o = (in[i] + s[i] - 1) / s[i];
    const int64_t total =
        std::max<int64_t>((o - 1) * s[i] + (k[i] - 1) * d[i] + 1 - in[i], 0);
    same[i] = total / 2;
    same[i + 2] = total - total / 2;
  }
  std::vector<int64_t> pads(4, 0);
  if (ap == "SAME_UPPER") {
    pads.assign(same, same + 4);
  } else if (ap == "SAME_LOWER") {
    for (int i = 0; i < 2; ++i) {
      pads[(size_t)i] = same[i + 2];
      pads[(size_t)i + 2] = same[i];
    }
  } else if (ap == "VALID") {
  } else {
    pads = attrInts(n, "pads", {0, 0, 0, 0});
    if (pads.size() != 4) return Error(ErrorCode::Unsupported, "pads must have 4 entries");
  }
  Padding2D r;
  bool zero = true, isSame = true;
  for (int i = 0; i < 4; ++i) {
    zero = zero && pads[(size_t)i] == 0;
    isSame = isSame && pads[(size_t)i] == same[i];
  }
  for (int i = 0; i < 2; ++i)
    isSame = isSame && outv[i] == (in[i] + s[i] - 1) / s[i];
  if (zero) {
    r.mode = fb::Padding::VALID;
  } else if (isSame) {
    r.mode = fb::Padding::SAME;
  } else {
    for (int64_t p : pads)
      if (p < 0) return Error(ErrorCode::Unsupported, "negative pads");
    r.mode = fb::Padding::VALID;
    r.pads = pads;
  }
  // The output size must be what TFLite computes.
  for (int i = 0; i < 2; ++i) {
    const int64_t padded = in[i] + (r.pads.empty() ? 0 : r.pads[(size_t)i] + r.pads[(size_t)i + 2]);
    const int64_t expect = r.mode == fb::Padding::SAME
                               ? (in[i] + s[i] - 1) / s[i]
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
  const int64_t group = attrInt(n, "group", 1);
  const int64_t cin = xs[3], cout = wt.dim(0);
  const bool depthwise = group > 1 && group == cin && wt.dim(1) == 1;
  if (group > 1 && !depthwise && wt.dim(1) * group != cin)
    return unsupported("group does not fit the weights");
  std::vector<int64_t> strides = attrInts(n, "strides", {1, 1});
  std::vector<int64_t> dil = attrInts(n, "dilations", {1, 1});
  if (strides.size() != 2 || dil.size() != 2) return unsupported("2-D strides/dilations expected");
  EDGEC_ASSIGN_OR_RETURN(Padding2D pp, planPadding(n, xs[1], xs[2], wt.dim(2), wt.dim(3), strides[0],
                                                   strides[1], dil[0], dil[1], ys[1], ys[2]));
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
  if (attrInt(n, "group", 1) != 1) return unsupported("grouped ConvTranspose");
  for (int64_t d : attrInts(n, "dilations", {1, 1}))
    if (d != 1) return unsupported("dilated ConvTranspose");
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(x));
  EDGEC_ASSIGN_OR_RETURN(TensorShape ys, shapeOf(n.outputs[0]));
  const Tensor &wt = *wv->constant;
  if (xs.size() != 4 || wt.rank() != 4) return unsupported("only 2-D ConvTranspose is written");
  std::vector<int64_t> s = attrInts(n, "strides", {1, 1});
  std::vector<int64_t> pads = attrInts(n, "pads", {0, 0, 0, 0});
  if (attrStr(n, "auto_pad", "NOTSET") != "NOTSET") return unsupported("auto_pad on ConvTranspose");
  // TFLite: total = (in - 1) * s + k - out, split as total / 2 before.
  fb::Padding mode = fb::Padding::VALID;
  bool zero = true, same = true;
  for (int i = 0; i < 2; ++i) {
    const int64_t total = (xs[(size_t)i + 1] - 1) * s[(size_t)i] + wt.dim((size_t)i + 2) - ys[(size_t)i + 1];
    if (total < 0) return unsupported("output_padding");
    zero = zero && total == 0;
    same = same && pads[(size_t)i] == total / 2 && pads[(size_t)i + 2] == total - total / 2 &&
           ys[(size_t)i + 1] == xs[(size_t)i + 1] * s[(size_t)i];
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
  std::vector<int64_t> k = attrInts(n, "kernel_shape", {});
  std::vector<int64_t> s = attrInts(n, "strides", {1, 1});
  std::vector<int64_t> d = attrInts(n, "dilations", {1, 1});
  if (k.size() != 2 || s.size() != 2) return unsupported("2-D kernel expected");
  if (d[0] != 1 || d[1] != 1) return unsupported("dilated pooling");
  EDGEC_ASSIGN_OR_RETURN(Padding2D pp, planPadding(n, xs[1], xs[2], k[0], k[1], s[0], s[1], 1, 1,
                                                   ys[1], ys[2]));
  if (!pp.pads.empty()) return unsupported("pool padding TFLite cannot express");
  BO code = n.opType == "MaxPool" ? BO::MAX_POOL_2D
            : n.opType == "LpPool" ? BO::L2_POOL_2D
                                   : BO::AVERAGE_POOL_2D;
  if (code == BO::L2_POOL_2D && attrInt(n, "p", 2) != 2) return unsupported("LpPool with p != 2");
  if (code == BO::AVERAGE_POOL_2D && pp.mode == fb::Padding::SAME &&
      attrInt(n, "count_include_pad", 0) != 0) {
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
