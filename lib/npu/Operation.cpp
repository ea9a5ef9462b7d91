#include "npu/Operation.h"

#include <cstdio>

namespace edgec::npu {

namespace {

Error bad(const Command &c, const std::string &msg) {
  char at[32];
  std::snprintf(at, sizeof at, "0x%06zx", c.offset);
  return Error(ErrorCode::InvalidModel, "Ethos-U command stream at " + std::string(at) + " (" +
                                            std::string(c.info ? c.info->name : "?") + "): " + msg);
}

int16_t s16(uint16_t v) { return int16_t(v); }

// IFM/IFM2 precision: bit 0 signed, bits 3:2 size (0 8-bit, 1 16-bit, 2
// 32-bit); bits 7:6 format (1 = NHCWB16).
bool decodeIfmPrecision(uint16_t p, FeatureMap &fm) {
  const unsigned size = (p >> 2) & 3;
  if (size == 3 || (p & 2)) return false;
  fm.isSigned = p & 1;
  fm.elemBytes = 1 << size;
  fm.brick16 = ((p >> 6) & 3) == 1;
  fm.precisionField = p & 0xF;
  return true;
}

// OFM precision: bit 0 signed, bits 2:1 size; bits 7:6 format.
bool decodeOfmPrecision(uint16_t p, FeatureMap &fm) {
  const unsigned size = (p >> 1) & 3;
  if (size == 3) return false;
  fm.isSigned = p & 1;
  fm.elemBytes = 1 << size;
  fm.brick16 = ((p >> 6) & 3) == 1;
  fm.precisionField = p & 7;
  return true;
}

void readFeatureMap(const RegisterFile &r, const FeatureMapRegisters &k, FeatureMap &fm) {
  fm.region = r.p0(k.region) & 0xFF;
  fm.height0 = r.p0(k.h0) + 1;
  fm.height1 = r.p0(k.h1) + 1;
  fm.width0 = r.p0(k.w0) + 1;
  fm.zeroPoint = fm.isSigned || fm.elemBytes > 1 ? s16(r.p0(k.zp)) : r.p0(k.zp);
  for (int i = 0; i < 4; ++i)
    fm.base[size_t(i)] = r.address(k.base[i]);
  fm.strideX = int64_t(r.address(k.strideX));
  fm.strideY = int64_t(r.address(k.strideY));
  fm.strideC = int64_t(r.address(k.strideC));
}

} // namespace

void RegisterFile::apply(const Command &c) {
  if (!c.info || c.info->kind != CommandKind::Register) return;
  if (c.cmd1) {
    cmd1Param_[c.opcode & kOpcodeMask] = c.param;
    cmd1Data_[c.opcode & kOpcodeMask] = c.data;
  } else {
    cmd0_[c.opcode & kOpcodeMask] = c.param;
  }
}

std::string operationName(const Operation &op) {
  switch (op.type) {
  case OpType::Conv: return "CONV";
  case OpType::Depthwise: return "DEPTHWISE";
  case OpType::Pool: return "POOL " + std::string(poolingModeName(op.mode));
  case OpType::Elementwise: return "ELEMENTWISE " + std::string(elementwiseModeName(op.mode));
  case OpType::DmaStart: return "DMA";
  }
  return "?";
}

Expected<Operation> buildOperation(const RegisterFile &r, const Command &c) {
  Operation op;
  op.streamOffset = c.offset;
  op.mode = c.param;
  switch (c.opcode) {
  case op0::Conv: op.type = OpType::Conv; break;
  case op0::Depthwise: op.type = OpType::Depthwise; break;
  case op0::Pool: op.type = OpType::Pool; break;
  case op0::Elementwise: op.type = OpType::Elementwise; break;
  case op0::DmaStart: op.type = OpType::DmaStart; break;
  default: return bad(c, "not an operation that takes a descriptor");
  }
  if (op.type == OpType::DmaStart) {
    const uint16_t s = r.p0(op0::Dma0SrcRegion), d = r.p0(op0::Dma0DstRegion);
    op.dmaSrcRegion = s & 0x1FF;
    op.dmaDstRegion = d & 0x1FF;
    op.dmaSrcStrideMode = (s >> 9) & 3;
    op.dmaDstStrideMode = (d >> 9) & 3;
    op.dmaSrc = r.address(op1::Dma0Src);
    op.dmaDst = r.address(op1::Dma0Dst);
    op.dmaLength = r.address(op1::Dma0Len);
    return op;
  }
  if (op.type == OpType::Pool && op.mode > 2) return bad(c, "unknown pooling mode " + std::to_string(op.mode));
  if (op.type == OpType::Elementwise && op.mode > 9)
    return bad(c, "unknown elementwise mode " + std::to_string(op.mode));

  const uint16_t ip = r.p0(op0::IfmPrecision), opr = r.p0(op0::OfmPrecision);
  if (!decodeIfmPrecision(ip, op.ifm)) return bad(c, "reserved IFM precision " + std::to_string(ip & 0xF));
  if (!decodeOfmPrecision(opr, op.ofm)) return bad(c, "reserved OFM precision " + std::to_string(opr & 7));
  op.ifmScaleMode = (ip >> 8) & 3;
  op.globalScale = (opr >> 8) & 1;
  op.rounding = (opr >> 14) & 3;
  readFeatureMap(r, kIfmRegisters, op.ifm);
  readFeatureMap(r, kOfmRegisters, op.ofm);
  op.ofm.height = r.p0(op0::OfmHeightM1) + 1;
  op.ofm.width = r.p0(op0::OfmWidthM1) + 1;
  op.ofm.depth = r.p0(op0::OfmDepthM1) + 1;
  op.ifm.depth = r.p0(op0::IfmDepthM1) + 1;
  op.upscale = r.p0(op0::IfmUpscale) & 3;

  if (op.type != OpType::Elementwise) {
    op.padTop = r.p0(op0::IfmPadTop);
    op.padLeft = r.p0(op0::IfmPadLeft);
    op.padBottom = r.p0(op0::IfmPadBottom);
    op.padRight = r.p0(op0::IfmPadRight);
    const uint16_t s = r.p0(op0::KernelStride);
    op.strideX = ((s & 1) | ((s >> 6) & 7) << 1) + 1;
    op.strideY = (((s >> 1) & 1) | ((s >> 9) & 7) << 1) + 1;
    op.partKernelFirst = (s >> 2) & 1;
    op.dilationX = ((s >> 3) & 1) + 1;
    op.dilationY = ((s >> 4) & 1) + 1;
    const int wm1 = r.p0(op0::KernelWidthM1), hm1 = r.p0(op0::KernelHeightM1);
    if (wm1 % op.dilationX || hm1 % op.dilationY)
      return bad(c, "kernel extent not a multiple of the dilation");
    op.kernelW = wm1 / op.dilationX + 1;
    op.kernelH = hm1 / op.dilationY + 1;
    // The IFM area the operation reads (the stripe's), from the OFM.
    op.ifm.height = (op.ofm.height - 1) * op.strideY + hm1 + 1 - op.padTop - op.padBottom;
    op.ifm.width = (op.ofm.width - 1) * op.strideX + wm1 + 1 - op.padLeft - op.padRight;
    if (op.upscale != 0) {
      op.ifm.height = (op.ifm.height + 1) / 2;
      op.ifm.width = (op.ifm.width + 1) / 2;
    }
  } else {
    op.ifm.height = op.ofm.height;
    op.ifm.width = op.ofm.width;
  }

  if (op.type == OpType::Conv || op.type == OpType::Depthwise) {
    op.weightRegion = r.p0(op0::WeightRegion) & 0xFF;
    op.scaleRegion = r.p0(op0::ScaleRegion) & 0xFF;
    op.weightBase = r.address(op1::WeightBase);
    op.weightLength = r.d1(op1::WeightLength);
    op.scaleBase = r.address(op1::ScaleBase);
    op.scaleLength = r.d1(op1::ScaleLength);
    op.weight1Base = r.address(op1::Weight1Base);
    op.weight1Length = r.d1(op1::Weight1Length);
    op.scale1Base = r.address(op1::Scale1Base);
    op.scale1Length = r.d1(op1::Scale1Length);
  }
  op.ofmScale = r.d1(op1::OfmScale);
  op.ofmShift = r.p1(op1::OfmScale) & 0x3F;
  op.opaScale = r.d1(op1::OpaScale);
  op.opaShift = r.p1(op1::OpaScale) & 0x3F;
  op.opbScale = r.d1(op1::OpbScale);
  const uint16_t act = r.p0(op0::Activation);
  op.activation = act & 0xFFF;
  op.clipRange = (act >> 12) & 0xF;
  op.activationMin = s16(r.p0(op0::ActivationMin));
  op.activationMax = s16(r.p0(op0::ActivationMax));
  op.blockH = r.p0(op0::OfmBlkHeightM1) + 1;
  op.blockW = r.p0(op0::OfmBlkWidthM1) + 1;
  op.blockD = r.p0(op0::OfmBlkDepthM1) + 1;
  op.ibEnd = r.p0(op0::IfmIbEnd);
  op.abStart = r.p0(op0::AbStart);
  op.accFormat = r.p0(op0::AccFormat);
  op.blockDep = r.p0(op0::BlockDep);

  const bool binary = op.type == OpType::Elementwise && op.mode != 5 && op.mode != 6 && op.mode != 7;
  if (binary) {
    op.hasIfm2 = true;
    const uint16_t p2 = r.p0(op0::Ifm2Precision);
    if (!decodeIfmPrecision(p2, op.ifm2)) return bad(c, "reserved IFM2 precision " + std::to_string(p2 & 0xF));
    readFeatureMap(r, kIfm2Registers, op.ifm2);
    const uint16_t b = r.p0(op0::Ifm2Broadcast);
    op.broadcastH = b & 1;
    op.broadcastW = (b >> 1) & 1;
    op.broadcastC = (b >> 2) & 1;
    op.reversedOperands = (b >> 6) & 1;
    op.ifm2IsScalar = (b >> 7) & 1;
    const uint16_t sc = r.p0(op0::Ifm2Scalar);
    op.ifm2Scalar = op.ifm2.isSigned ? int(s16(sc)) : int(sc);
    op.ifm2.height = op.broadcastH ? 1 : op.ofm.height;
    op.ifm2.width = op.broadcastW ? 1 : op.ofm.width;
    op.ifm2.depth = op.broadcastC ? 1 : op.ofm.depth;
    op.ifm2IbStart = r.p0(op0::Ifm2IbStart);
  }
  if (op.ifm.height <= 0 || op.ifm.width <= 0)
    return bad(c, "padding larger than the area the kernel covers");
  return op;
}

Expected<std::vector<Operation>> buildOperations(const std::vector<Command> &cmds) {
  RegisterFile regs;
  std::vector<Operation> ops;
  for (const Command &c : cmds) {
    if (c.info->kind == CommandKind::Register) {
      regs.apply(c);
      continue;
    }
    if (c.cmd1) continue;
    switch (c.opcode) {
    case op0::Conv:
    case op0::Depthwise:
    case op0::Pool:
    case op0::Elementwise:
    case op0::DmaStart: {
      EDGEC_ASSIGN_OR_RETURN(Operation op, buildOperation(regs, c));
      op.index = ops.size();
      ops.push_back(std::move(op));
      break;
    }
    default: break;
    }
  }
  return ops;
}

} // namespace edgec::npu
