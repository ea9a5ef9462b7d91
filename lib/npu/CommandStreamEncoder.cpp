#include "npu/CommandStreamEncoder.h"

namespace edgec::npu {

void CommandWriter::set0(uint16_t opcode, uint16_t param) {
  if (!init_) {
    cmd0_.fill(-1);
    init_ = true;
  }
  int32_t &shadow = cmd0_[opcode & kOpcodeMask];
  if (shadow == int32_t(param)) {
    ++dropped_;
    return;
  }
  shadow = param;
  words_.push_back(uint32_t(opcode & kOpcodeMask) | uint32_t(param) << 16);
}

void CommandWriter::set1(uint16_t opcode, uint32_t data, uint16_t param) {
  const size_t i = opcode & kOpcodeMask;
  const uint64_t v = uint64_t(param) << 32 | data;
  if (cmd1Written_[i] && cmd1_[i] == v) {
    ++dropped_;
    return;
  }
  cmd1Written_[i] = true;
  cmd1_[i] = v;
  words_.push_back(uint32_t(i) | kCmd1Flag | uint32_t(param) << 16);
  words_.push_back(data);
}

void CommandWriter::op(uint16_t opcode, uint16_t param) {
  words_.push_back(uint32_t(opcode & kOpcodeMask) | uint32_t(param) << 16);
}

namespace {

Error tooBig(const Operation &op, const std::string &field, int64_t v) {
  return Error(ErrorCode::Unsupported, "Ethos-U encoder: operation " + std::to_string(op.index) +
                                           " (" + operationName(op) + "): " + field + " " +
                                           std::to_string(v) + " does not fit its register");
}

// A "minus one" extent field: 1..65536.
Expected<uint16_t> m1(const Operation &op, const char *field, int64_t v) {
  if (v < 1 || v > 65536) return tooBig(op, field, v);
  return uint16_t(v - 1);
}

Expected<uint16_t> s16(const Operation &op, const char *field, int64_t v) {
  if (v < -32768 || v > 65535) return tooBig(op, field, v);
  return uint16_t(v);
}

int log2Bytes(int bytes) { return bytes == 4 ? 2 : bytes == 2 ? 1 : 0; }

Status address(const Operation &op, CommandWriter &w, uint16_t opcode, const char *field,
               uint64_t a) {
  if (a >> 40) return tooBig(op, field, int64_t(a >> 32));
  w.setAddress(opcode, a);
  return Status::ok();
}

Status featureMap(const Operation &op, CommandWriter &w, const FeatureMapRegisters &k,
                  const FeatureMap &fm, const char *what) {
  if (fm.region < 0 || fm.region > 7) return tooBig(op, std::string(what) + " region", fm.region);
  w.set0(k.region, uint16_t(fm.region));
  for (int i = 0; i < 4; ++i)
    EDGEC_TRY(address(op, w, k.base[i], what, fm.base[size_t(i)]));
  EDGEC_ASSIGN_OR_RETURN(uint16_t h0, m1(op, "tile height0", fm.height0));
  EDGEC_ASSIGN_OR_RETURN(uint16_t h1, m1(op, "tile height1", fm.height1));
  EDGEC_ASSIGN_OR_RETURN(uint16_t w0, m1(op, "tile width0", fm.width0));
  w.set0(k.h0, h0);
  w.set0(k.h1, h1);
  w.set0(k.w0, w0);
  EDGEC_TRY(address(op, w, k.strideX, "stride x", uint64_t(fm.strideX)));
  EDGEC_TRY(address(op, w, k.strideY, "stride y", uint64_t(fm.strideY)));
  EDGEC_TRY(address(op, w, k.strideC, "stride c", uint64_t(fm.strideC)));
  EDGEC_ASSIGN_OR_RETURN(uint16_t zp, s16(op, "zero point", fm.zeroPoint));
  w.set0(k.zp, zp);
  return Status::ok();
}

uint16_t ifmPrecision(const FeatureMap &fm, unsigned scaleMode) {
  return uint16_t((fm.isSigned ? 1 : 0) | log2Bytes(fm.elemBytes) << 2 | (fm.brick16 ? 1 : 0) << 6 |
                  (scaleMode & 3) << 8);
}

Status encodeDma(const Operation &op, CommandWriter &w) {
  w.set0(op0::Dma0SrcRegion, uint16_t((op.dmaSrcRegion & 0x1FF) | (op.dmaSrcStrideMode & 3) << 9));
  w.set0(op0::Dma0DstRegion, uint16_t((op.dmaDstRegion & 0x1FF) | (op.dmaDstStrideMode & 3) << 9));
  EDGEC_TRY(address(op, w, op1::Dma0Src, "DMA source", op.dmaSrc));
  EDGEC_TRY(address(op, w, op1::Dma0Dst, "DMA destination", op.dmaDst));
  EDGEC_TRY(address(op, w, op1::Dma0Len, "DMA length", op.dmaLength));
  w.op(op0::DmaStart);
  return Status::ok();
}

} // namespace

Status encodeOperation(const Operation &op, CommandWriter &w) {
  if (op.type == OpType::DmaStart) return encodeDma(op, w);
  // IFM.
  EDGEC_TRY(featureMap(op, w, kIfmRegisters, op.ifm, "IFM"));
  w.set0(op0::IfmPrecision, ifmPrecision(op.ifm, op.ifmScaleMode));
  EDGEC_ASSIGN_OR_RETURN(uint16_t ifmDepth, m1(op, "IFM depth", op.ifm.depth));
  w.set0(op0::IfmDepthM1, ifmDepth);
  w.set0(op0::IfmUpscale, uint16_t(op.upscale & 3));
  // OFM.
  EDGEC_TRY(featureMap(op, w, kOfmRegisters, op.ofm, "OFM"));
  w.set0(op0::OfmPrecision,
         uint16_t((op.ofm.isSigned ? 1 : 0) | log2Bytes(op.ofm.elemBytes) << 1 |
                  (op.ofm.brick16 ? 1 : 0) << 6 | (op.globalScale ? 1 : 0) << 8 |
                  (op.rounding & 3) << 14));
  EDGEC_ASSIGN_OR_RETURN(uint16_t oh, m1(op, "OFM height", op.ofm.height));
  EDGEC_ASSIGN_OR_RETURN(uint16_t ow, m1(op, "OFM width", op.ofm.width));
  EDGEC_ASSIGN_OR_RETURN(uint16_t od, m1(op, "OFM depth", op.ofm.depth));
  w.set0(op0::OfmHeightM1, oh);
  w.set0(op0::OfmWidthM1, ow);
  w.set0(op0::OfmDepthM1, od);
  // Kernel.
  if (op.type != OpType::Elementwise) {
    for (int p : {op.padTop, op.padLeft, op.padBottom, op.padRight})
      if (p < 0 || p > 127) return tooBig(op, "padding", p);
    w.set0(op0::IfmPadTop, uint16_t(op.padTop));
    w.set0(op0::IfmPadLeft, uint16_t(op.padLeft));
    w.set0(op0::IfmPadBottom, uint16_t(op.padBottom));
    w.set0(op0::IfmPadRight, uint16_t(op.padRight));
    if (op.strideX < 1 || op.strideX > 16) return tooBig(op, "stride x", op.strideX);
    if (op.strideY < 1 || op.strideY > 16) return tooBig(op, "stride y", op.strideY);
    if (op.dilationX < 1 || op.dilationX > 2) return tooBig(op, "dilation x", op.dilationX);
    if (op.dilationY < 1 || op.dilationY > 2) return tooBig(op, "dilation y", op.dilationY);
    const unsigned sx = unsigned(op.strideX - 1), sy = unsigned(op.strideY - 1);
    w.set0(op0::KernelStride,
           uint16_t((sx & 1) | (sy & 1) << 1 | (op.partKernelFirst ? 1 : 0) << 2 |
                    unsigned(op.dilationX - 1) << 3 | unsigned(op.dilationY - 1) << 4 |
                    (sx >> 1) << 6 | (sy >> 1) << 9));
    EDGEC_ASSIGN_OR_RETURN(uint16_t kw,
                           m1(op, "kernel width", int64_t(op.kernelW - 1) * op.dilationX + 1));
    EDGEC_ASSIGN_OR_RETURN(uint16_t kh,
                           m1(op, "kernel height", int64_t(op.kernelH - 1) * op.dilationY + 1));
    w.set0(op0::KernelWidthM1, kw);
    w.set0(op0::KernelHeightM1, kh);
  }
  // Weights and scales.
  if (op.type == OpType::Conv || op.type == OpType::Depthwise) {
    w.set0(op0::WeightRegion, uint16_t(op.weightRegion & 0xFF));
    w.set0(op0::ScaleRegion, uint16_t(op.scaleRegion & 0xFF));
    EDGEC_TRY(address(op, w, op1::WeightBase, "weight base", op.weightBase));
    w.set1(op1::WeightLength, op.weightLength);
    EDGEC_TRY(address(op, w, op1::ScaleBase, "scale base", op.scaleBase));
    w.set1(op1::ScaleLength, op.scaleLength);
    EDGEC_TRY(address(op, w, op1::Weight1Base, "weight1 base", op.weight1Base));
    w.set1(op1::Weight1Length, op.weight1Length);
    EDGEC_TRY(address(op, w, op1::Scale1Base, "scale1 base", op.scale1Base));
    w.set1(op1::Scale1Length, op.scale1Length);
  }
  // Output stage.
  w.set1(op1::OfmScale, op.ofmScale, uint16_t(op.ofmShift & 0x3F));
  w.set1(op1::OpaScale, op.opaScale, uint16_t(op.opaShift & 0x3F));
  w.set1(op1::OpbScale, op.opbScale);
  w.set0(op0::Activation, uint16_t((op.activation & 0xFFF) | (op.clipRange & 0xF) << 12));
  EDGEC_ASSIGN_OR_RETURN(uint16_t amin, s16(op, "activation min", op.activationMin));
  EDGEC_ASSIGN_OR_RETURN(uint16_t amax, s16(op, "activation max", op.activationMax));
  w.set0(op0::ActivationMin, amin);
  w.set0(op0::ActivationMax, amax);
  // Block and internal buffer.
  EDGEC_ASSIGN_OR_RETURN(uint16_t bh, m1(op, "block height", op.blockH));
  EDGEC_ASSIGN_OR_RETURN(uint16_t bw, m1(op, "block width", op.blockW));
  EDGEC_ASSIGN_OR_RETURN(uint16_t bd, m1(op, "block depth", op.blockD));
  w.set0(op0::OfmBlkHeightM1, bh);
  w.set0(op0::OfmBlkWidthM1, bw);
  w.set0(op0::OfmBlkDepthM1, bd);
  w.set0(op0::IfmIbEnd, uint16_t(op.ibEnd));
  w.set0(op0::AbStart, uint16_t(op.abStart));
  w.set0(op0::AccFormat, uint16_t(op.accFormat));
  w.set0(op0::BlockDep, uint16_t(op.blockDep));
  // IFM2.
  if (op.hasIfm2) {
    EDGEC_TRY(featureMap(op, w, kIfm2Registers, op.ifm2, "IFM2"));
    w.set0(op0::Ifm2Precision, ifmPrecision(op.ifm2, 0));
    w.set0(op0::Ifm2Broadcast,
           uint16_t((op.broadcastH ? 1 : 0) | (op.broadcastW ? 1 : 0) << 1 |
                    (op.broadcastC ? 1 : 0) << 2 | (op.reversedOperands ? 1 : 0) << 6 |
                    (op.ifm2IsScalar ? 1 : 0) << 7));
    EDGEC_ASSIGN_OR_RETURN(uint16_t sc, s16(op, "IFM2 scalar", op.ifm2Scalar));
    w.set0(op0::Ifm2Scalar, sc);
    w.set0(op0::Ifm2IbStart, uint16_t(op.ifm2IbStart));
  }
  uint16_t opcode = op0::Conv;
  switch (op.type) {
  case OpType::Conv: opcode = op0::Conv; break;
  case OpType::Depthwise: opcode = op0::Depthwise; break;
  case OpType::Pool: opcode = op0::Pool; break;
  case OpType::Elementwise: opcode = op0::Elementwise; break;
  case OpType::DmaStart: break;
  }
  w.op(opcode, uint16_t(op.mode));
  return Status::ok();
}

Expected<std::vector<uint32_t>> encodeOperations(const std::vector<Operation> &ops) {
  CommandWriter w;
  bool dmaPending = false, kernelPending = false;
  for (const Operation &op : ops) {
    if (op.isBlock() && dmaPending) {
      w.op(op0::DmaWait, 0);
      dmaPending = false;
    }
    if (!op.isBlock() && kernelPending) {
      w.op(op0::KernelWait, 0);
      kernelPending = false;
    }
    EDGEC_TRY(encodeOperation(op, w));
    (op.isBlock() ? kernelPending : dmaPending) = true;
  }
  w.op(op0::Stop, 0xFFFF);
  return w.words();
}

} // namespace edgec::npu
