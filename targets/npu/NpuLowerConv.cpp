// CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED on the NPU (see
// NpuLowering.h): the weights in OHWI put into the hardware order
// (npu/weights/WeightReorder.h) for the chosen block depth and MLW-encoded;
// one 10-byte scale/bias entry per output channel: the raw int32 bias, and
// TFLite's per-channel multiplier (s_in * s_w[c] / s_out as
// QuantizeMultiplier gives it, M * 2^(e - 31)) as scale M with shift 31 - e,
// which the output stage's TFL rounding applies as TFLite does. The fused
// activation is the ACTIVATION_MIN/MAX clamp.
#include "targets/npu/NpuLowering.h"

#include "ir/Annotations.h"
#include "npu/estimate/CycleEstimate.h"
#include "npu/weights/MlwEncoder.h"
#include "npu/weights/ScaleBias.h"
#include "npu/weights/WeightReorder.h"
#include "qmath/KernelParams.h"
#include "shape/NodeContext.h"
#include "shape/Window.h"

namespace edgec::ethosu {

namespace {

Error unsupported(const std::string &m) { return Error(ErrorCode::Unsupported, m); }

/// Weights (OHWI int8) and bias of one convolution-like op.
struct ConvWeights {
  std::vector<int8_t> ohwi;
  int ofmDepth = 1, kh = 1, kw = 1, ifmDepth = 1;
  const Value *weights = nullptr, *bias = nullptr;
  int64_t weightAxis = 0; ///< the output-channel axis of the stored weights
};

/// The output stage, block, weights and scales of `op`, appended.
Status finishConv(const Node &n, const npu::AcceleratorConfig &c, NpuProgram &p,
                  npu::Operation &op, const ConvWeights &w) {
  const Value *x = n.inputs[0], *y = n.outputs[0];
  EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ xq, qmath::perTensorParams(x, x->type.dtype, "input 0"));
  EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ yq, qmath::perTensorParams(y, y->type.dtype, "output 0"));
  EDGEC_ASSIGN_OR_RETURN(qmath::ChannelQ wq, qmath::channelParams(w.weights, DataType::Int8,
                                                                  w.ofmDepth, w.weightAxis, "weights"));
  const std::optional<float> leaky = qmath::fusedLeakyReluAlpha(n);
  if (leaky && !(*leaky > 0.0f && *leaky < 1.0f))
    return unsupported("a fused LeakyRelu with alpha outside (0, 1)");
  if (leaky && !p.temps.count(&n)) return Error(ErrorCode::Internal, "no arena space for the LeakyRelu");
  EDGEC_TRY(finishOperation(n, c, op));
  if (p.memory) {
    // Part-kernel-first order for shallow inputs when it estimates faster
    // (Vela chooses the same way), then the block search.
    const uint32_t raw = uint32_t(w.ohwi.size());
    if (op.type == npu::OpType::Conv && op.ifm.depth < 16) {
      npu::Operation pkf = op;
      pkf.partKernelFirst = true;
      EDGEC_TRY(searchBlockConfig(pkf, c, *p.memory, raw));
      EDGEC_TRY(searchBlockConfig(op, c, *p.memory, raw));
      pkf.weightLength = op.weightLength = raw;
      if (npu::estimateNetwork({pkf}, c, *p.memory).totalCycles <
          npu::estimateNetwork({op}, c, *p.memory).totalCycles)
        op = pkf;
      op.weightLength = 0;
    } else {
      EDGEC_TRY(searchBlockConfig(op, c, *p.memory, raw));
    }
  }
  npu::WeightReorderParams rp;
  rp.ofmDepth = w.ofmDepth;
  rp.kernelHeight = w.kh;
  rp.kernelWidth = w.kw;
  rp.ifmDepth = op.type == npu::OpType::Depthwise ? 1 : w.ifmDepth;
  rp.ofmBlockDepth = op.blockD;
  rp.ofmUblockDepth = c.ofmMicroBlock.depth;
  rp.traversal = op.type == npu::OpType::Depthwise ? npu::WeightTraversal::Depthwise
                  : op.partKernelFirst                 ? npu::WeightTraversal::PartKernelFirst
                                                       : npu::WeightTraversal::DepthFirst;
  rp.dilationX = op.dilationX;
  rp.dilationY = op.dilationY;
  EDGEC_TRY(npu::checkWeightReorderParams(rp));
  std::vector<int32_t> zps(wq.zeroPoint.begin(), wq.zeroPoint.end());
  EDGEC_ASSIGN_OR_RETURN(std::vector<int16_t> values, npu::reorderWeights(rp, w.ohwi.data(), zps));
  const std::vector<uint8_t> stream = npu::encodeWeightStream(values);

  // The scale/bias stream for the output multipliers times `factor`.
  auto scaleStream = [&](double factor) -> Expected<std::vector<uint8_t>> {
    std::vector<npu::ScaleBiasEntry> entries;
    for (int oc = 0; oc < w.ofmDepth; ++oc) {
      npu::ScaleBiasEntry e;
      if (w.bias) e.bias = w.bias->constant->getInt64(oc);
      const float ws = wq.scale[wq.perChannel ? size_t(oc) : 0];
      const double real = double(xq.scale) * double(ws) / double(yq.scale) * factor;
      EDGEC_ASSIGN_OR_RETURN(qmath::QuantizedMultiplier m,
                             qmath::requantMultiplier(real, "output channel " + std::to_string(oc)));
      const int shift = 31 - m.shift;
      if (m.multiplier < 0 || shift < 0 || shift > 63)
        return unsupported("output channel " + std::to_string(oc) + ": scale " + std::to_string(real) +
                           " outside the NPU's range");
      e.multiplier = uint32_t(m.multiplier);
      e.shift = uint8_t(shift);
      entries.push_back(e);
    }
    return npu::encodeScaleBiasStream(entries);
  };
  EDGEC_ASSIGN_OR_RETURN(std::vector<uint8_t> scales, scaleStream(1.0));
  op.weightRegion = op.scaleRegion = kNpuFlashRegion;
  op.weightBase = uint64_t(appendFlash(p, stream));
  op.weightLength = uint32_t(stream.size());
  op.scaleBase = uint64_t(appendFlash(p, scales));
  op.scaleLength = uint32_t(scales.size());
  if (leaky) {
    // A fused LeakyRelu (alpha in (0, 1)), as the interpreter computes it:
    // each accumulator scaled by M, or by M * alpha when negative. Both
    // scalings are monotonic, so that is the larger of the two: the
    // convolution twice (the second into a scratch feature map of the
    // arena), then an elementwise MAX of the two, in place.
    npu::Operation neg = op;
    neg.ofm.base = {uint64_t(p.temps.at(&n)), 0, 0, 0};
    EDGEC_ASSIGN_OR_RETURN(std::vector<uint8_t> negScales, scaleStream(double(*leaky)));
    neg.scaleBase = uint64_t(appendFlash(p, negScales));
    neg.scaleLength = uint32_t(negScales.size());
    p.ops.push_back(op);
    p.ops.push_back(neg);
    npu::Operation mx;
    mx.type = npu::OpType::Elementwise;
    mx.mode = 4; // MAX
    mx.ifm = op.ofm;
    mx.ifm2 = neg.ofm;
    mx.ofm = op.ofm;
    mx.ifm.zeroPoint = mx.ifm2.zeroPoint = mx.ofm.zeroPoint = 0;
    mx.hasIfm2 = true;
    mx.globalScale = true;
    mx.ofmScale = 1;
    mx.ofmShift = 0;
    mx.activationMin = op.activationMin;
    mx.activationMax = op.activationMax;
    EDGEC_TRY(chooseBlockConfig(mx, c));
    p.ops.push_back(mx);
    return Status::ok();
  }
  p.ops.push_back(op);
  return Status::ok();
}

Expected<const Value *> biasOf(const Node &n, size_t i, int channels) {
  const Value *b = n.input(i);
  if (!b) return nullptr;
  if (!b->constant || b->type.dtype != DataType::Int32 || b->constant->numElements() != channels)
    return unsupported("bias must be a constant int32 [" + std::to_string(channels) + "]");
  return b;
}

} // namespace

Status lowerConvolution(const Node &n, const npu::AcceleratorConfig &c, NpuProgram &p) {
  if (!isChannelsLast(n)) return unsupported("channels-first Conv");
  const Value *wv = n.input(1);
  if (!wv || !wv->constant || wv->constant->rank() != 4 || wv->constant->dtype() != DataType::Int8)
    return unsupported("weights must be a constant int8 [O,I,H,W]");
  npu::Operation op;
  EDGEC_ASSIGN_OR_RETURN(op.ifm, featureMapOf(p, n.inputs[0]));
  EDGEC_ASSIGN_OR_RETURN(op.ofm, featureMapOf(p, n.outputs[0]));
  const Tensor &wt = *wv->constant;
  ConvWeights w;
  w.weights = wv;
  w.ofmDepth = int(wt.dim(0));
  w.kh = int(wt.dim(2));
  w.kw = int(wt.dim(3));
  const int64_t group = n.attrInt("group", 1);
  const int cin = op.ifm.depth;
  const bool depthwise = group > 1 && group == cin && wt.dim(1) == 1 && w.ofmDepth == cin;
  if (group != 1 && !depthwise) return unsupported("grouped convolution (depthwise multiplier 1 only)");
  if (!depthwise && wt.dim(1) != cin) return unsupported("weights do not match the input depth");
  w.ifmDepth = depthwise ? 1 : cin;
  op.type = depthwise ? npu::OpType::Depthwise : npu::OpType::Conv;
  EDGEC_ASSIGN_OR_RETURN(WindowGeometry win, slidingWindow(NodeContext(n), {op.ifm.height, op.ifm.width},
                                                           {w.kh, w.kw}, WindowRules{}));
  op.kernelH = w.kh;
  op.kernelW = w.kw;
  op.strideY = op.ofm.height == 1 ? 1 : int(win.stride[0]); // unused with one row
  op.strideX = op.ofm.width == 1 ? 1 : int(win.stride[1]);
  op.dilationY = int(win.dilation[0]);
  op.dilationX = int(win.dilation[1]);
  if (win.out[0] != op.ofm.height || win.out[1] != op.ofm.width)
    return unsupported("output size differs from the window's");
  op.padTop = int(win.padBegin[0]);
  op.padLeft = int(win.padBegin[1]);
  // The bottom/right padding the last window needs (rows past it unread).
  op.padBottom = std::max(0, (op.ofm.height - 1) * op.strideY + (w.kh - 1) * op.dilationY + 1 -
                                 op.ifm.height - op.padTop);
  op.padRight = std::max(0, (op.ofm.width - 1) * op.strideX + (w.kw - 1) * op.dilationX + 1 -
                                op.ifm.width - op.padLeft);
  // OIHW -> OHWI.
  const int64_t ci = wt.dim(1);
  w.ohwi.resize(size_t(wt.numElements()));
  const int8_t *src = wt.data<int8_t>();
  for (int o = 0; o < w.ofmDepth; ++o)
    for (int i = 0; i < ci; ++i)
      for (int h = 0; h < w.kh; ++h)
        for (int x = 0; x < w.kw; ++x)
          w.ohwi[size_t(((o * w.kh + h) * w.kw + x) * ci + i)] =
              src[size_t(((o * ci + i) * w.kh + h) * w.kw + x)];
  EDGEC_ASSIGN_OR_RETURN(w.bias, biasOf(n, 2, w.ofmDepth));
  return finishConv(n, c, p, op, w);
}

Status lowerFullyConnected(const Node &n, const npu::AcceleratorConfig &c, NpuProgram &p) {
  const Value *wv = n.input(1);
  if (!wv || !wv->constant || wv->constant->rank() != 2 || wv->constant->dtype() != DataType::Int8)
    return unsupported("weights must be a constant int8 matrix");
  if (n.opType == "Gemm" && (n.attrInt("transA", 0) != 0 || n.attrFloat("alpha", 1.0f) != 1.0f ||
                             n.attrFloat("beta", 1.0f) != 1.0f))
    return unsupported("Gemm with transA, alpha or beta");
  npu::Operation op;
  op.type = npu::OpType::Conv;
  EDGEC_ASSIGN_OR_RETURN(op.ifm, featureMapOf(p, n.inputs[0]));
  EDGEC_ASSIGN_OR_RETURN(op.ofm, featureMapOf(p, n.outputs[0]));
  if (op.ifm.height != 1 || op.ifm.width != 1) return unsupported("input must be [1,K]");
  const Tensor &wt = *wv->constant;
  const bool transB = n.opType == "Gemm" && n.attrInt("transB", 0) != 0;
  ConvWeights w;
  w.weights = wv;
  w.ofmDepth = int(transB ? wt.dim(0) : wt.dim(1));
  w.ifmDepth = int(transB ? wt.dim(1) : wt.dim(0));
  w.weightAxis = transB ? 0 : 1;
  if (w.ifmDepth != op.ifm.depth || w.ofmDepth != op.ofm.depth)
    return unsupported("weights do not match the input and output");
  const int8_t *src = wt.data<int8_t>();
  w.ohwi.resize(size_t(wt.numElements()));
  for (int o = 0; o < w.ofmDepth; ++o)
    for (int i = 0; i < w.ifmDepth; ++i)
      w.ohwi[size_t(o * w.ifmDepth + i)] =
          transB ? src[size_t(o * w.ifmDepth + i)] : src[size_t(i * w.ofmDepth + o)];
  if (n.opType == "Gemm") {
    EDGEC_ASSIGN_OR_RETURN(w.bias, biasOf(n, 2, w.ofmDepth));
  }
  return finishConv(n, c, p, op, w);
}

} // namespace edgec::ethosu
