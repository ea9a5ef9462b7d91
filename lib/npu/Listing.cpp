#include "npu/Listing.h"

#include <cstdio>
#include <sstream>

namespace edgec::npu {

namespace {

std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%llx", (unsigned long long)v);
  return b;
}

std::string fmText(const char *name, const FeatureMap &f) {
  std::ostringstream s;
  s << "    " << name << ": h=" << f.height << " w=" << f.width << " c=" << f.depth << " region "
    << f.region << " " << (f.brick16 ? "NHCWB16" : "NHWC") << " "
    << (f.isSigned ? "int" : "uint") << f.elemBytes * 8 << " zero_point " << f.zeroPoint
    << " base [" << hex(f.base[0]) << ", " << hex(f.base[1]) << ", " << hex(f.base[2]) << ", "
    << hex(f.base[3]) << "] tiles h0=" << f.height0 << " h1=" << f.height1 << " w0=" << f.width0
    << " strides x=" << f.strideX << " y=" << f.strideY << " c=" << f.strideC << "\n";
  return s.str();
}

} // namespace

std::string describeOperation(const Operation &op) {
  std::ostringstream s;
  s << "  op " << op.index << ": " << operationName(op) << "\n";
  if (op.type == OpType::DmaStart) {
    auto region = [](unsigned r) {
      return (r & kDmaInternalBit) ? std::string("internal buffer") : "region " + std::to_string(r & 0xFF);
    };
    s << "    " << region(op.dmaSrcRegion) << " " << hex(op.dmaSrc) << " -> " << region(op.dmaDstRegion)
      << " " << hex(op.dmaDst) << ", " << op.dmaLength << " bytes\n";
    return s.str();
  }
  s << fmText("ifm ", op.ifm);
  if (op.hasIfm2) {
    if (op.ifm2IsScalar)
      s << "    ifm2: scalar " << op.ifm2Scalar << " zero_point " << op.ifm2.zeroPoint << "\n";
    else
      s << fmText("ifm2", op.ifm2);
    s << "    broadcast h=" << op.broadcastH << " w=" << op.broadcastW << " c=" << op.broadcastC
      << " reversed=" << op.reversedOperands << "\n";
  }
  s << fmText("ofm ", op.ofm);
  if (op.type != OpType::Elementwise)
    s << "    kernel " << op.kernelH << "x" << op.kernelW << " stride " << op.strideY << "x"
      << op.strideX << " dilation " << op.dilationY << "x" << op.dilationX << " padding t"
      << op.padTop << " l" << op.padLeft << " b" << op.padBottom << " r" << op.padRight
      << (op.partKernelFirst ? " part-kernel-first" : " depth-first")
      << (op.upscale ? " upscale " + std::to_string(op.upscale) : std::string()) << "\n";
  if (op.type == OpType::Conv || op.type == OpType::Depthwise)
    s << "    weights region " << op.weightRegion << " " << hex(op.weightBase) << " +"
      << op.weightLength << ", scales region " << op.scaleRegion << " " << hex(op.scaleBase)
      << " +" << op.scaleLength << "\n";
  s << "    output stage: " << (op.globalScale ? "scale " + std::to_string(op.ofmScale) + " shift " +
                                                     std::to_string(op.ofmShift)
                                               : std::string("per-channel scales"))
    << ", rounding " << roundingName(op.rounding);
  if (op.type == OpType::Elementwise)
    s << ", opa " << op.opaScale << " shift " << op.opaShift << ", opb " << op.opbScale
      << ", scale mode " << op.ifmScaleMode;
  s << ", activation " << op.activation;
  if (op.activation >= 16 && op.activation <= 23) s << " (LUT " << op.activation - 16 << ")";
  s << " clip " << op.clipRange << " [" << op.activationMin << ", " << op.activationMax << "]\n";
  s << "    block " << op.blockH << "x" << op.blockW << "x" << op.blockD << " ib_end " << op.ibEnd
    << " ab_start " << op.abStart << " acc_format " << op.accFormat << " blockdep "
    << op.blockDep << "\n";
  return s.str();
}

std::string commandListing(const std::vector<Command> &cmds, const std::vector<Operation> &ops) {
  std::ostringstream s;
  s << "  Offset: Payload  Param Code - Command                        Param\n";
  size_t next = 0;
  for (const Command &c : cmds) {
    char line[160];
    char payload[12] = "        ";
    if (c.cmd1) std::snprintf(payload, sizeof payload, "%08x", c.data);
    std::snprintf(line, sizeof line, "0x%06zx: %s %04x %04x - %-30s %5u\n", c.offset, payload,
                  c.param, unsigned(c.opcode | (c.cmd1 ? kCmd1Flag : 0)),
                  std::string(c.info->name).c_str(), unsigned(c.param));
    s << line;
    if (next < ops.size() && ops[next].streamOffset == c.offset) s << describeOperation(ops[next++]);
  }
  return s.str();
}

} // namespace edgec::npu
