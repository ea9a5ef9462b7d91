#include "npu/Registers.h"

#include <algorithm>
#include <array>

namespace edgec::npu {

namespace {

constexpr CommandKind O = CommandKind::Operation, R = CommandKind::Register;

// Every command the Ethos-U55/U65 accepts (Vela's cmd0 and cmd1 enums).
constexpr std::array<CommandInfo, 97> kCommands = {{
    {op0::Stop, false, O, "NPU_OP_STOP"},
    {op0::Irq, false, O, "NPU_OP_IRQ"},
    {op0::Conv, false, O, "NPU_OP_CONV"},
    {op0::Depthwise, false, O, "NPU_OP_DEPTHWISE"},
    {op0::Pool, false, O, "NPU_OP_POOL"},
    {op0::Elementwise, false, O, "NPU_OP_ELEMENTWISE"},
    {op0::DmaStart, false, O, "NPU_OP_DMA_START"},
    {op0::DmaWait, false, O, "NPU_OP_DMA_WAIT"},
    {op0::KernelWait, false, O, "NPU_OP_KERNEL_WAIT"},
    {op0::PmuMask, false, O, "NPU_OP_PMU_MASK"},
    {op0::IfmPadTop, false, R, "NPU_SET_IFM_PAD_TOP"},
    {op0::IfmPadLeft, false, R, "NPU_SET_IFM_PAD_LEFT"},
    {op0::IfmPadRight, false, R, "NPU_SET_IFM_PAD_RIGHT"},
    {op0::IfmPadBottom, false, R, "NPU_SET_IFM_PAD_BOTTOM"},
    {op0::IfmDepthM1, false, R, "NPU_SET_IFM_DEPTH_M1"},
    {op0::IfmPrecision, false, R, "NPU_SET_IFM_PRECISION"},
    {op0::IfmUpscale, false, R, "NPU_SET_IFM_UPSCALE"},
    {op0::IfmZeroPoint, false, R, "NPU_SET_IFM_ZERO_POINT"},
    {op0::IfmWidth0M1, false, R, "NPU_SET_IFM_WIDTH0_M1"},
    {op0::IfmHeight0M1, false, R, "NPU_SET_IFM_HEIGHT0_M1"},
    {op0::IfmHeight1M1, false, R, "NPU_SET_IFM_HEIGHT1_M1"},
    {op0::IfmIbEnd, false, R, "NPU_SET_IFM_IB_END"},
    {op0::IfmRegion, false, R, "NPU_SET_IFM_REGION"},
    {op0::OfmWidthM1, false, R, "NPU_SET_OFM_WIDTH_M1"},
    {op0::OfmHeightM1, false, R, "NPU_SET_OFM_HEIGHT_M1"},
    {op0::OfmDepthM1, false, R, "NPU_SET_OFM_DEPTH_M1"},
    {op0::OfmPrecision, false, R, "NPU_SET_OFM_PRECISION"},
    {op0::OfmBlkWidthM1, false, R, "NPU_SET_OFM_BLK_WIDTH_M1"},
    {op0::OfmBlkHeightM1, false, R, "NPU_SET_OFM_BLK_HEIGHT_M1"},
    {op0::OfmBlkDepthM1, false, R, "NPU_SET_OFM_BLK_DEPTH_M1"},
    {op0::OfmZeroPoint, false, R, "NPU_SET_OFM_ZERO_POINT"},
    {op0::OfmWidth0M1, false, R, "NPU_SET_OFM_WIDTH0_M1"},
    {op0::OfmHeight0M1, false, R, "NPU_SET_OFM_HEIGHT0_M1"},
    {op0::OfmHeight1M1, false, R, "NPU_SET_OFM_HEIGHT1_M1"},
    {op0::OfmRegion, false, R, "NPU_SET_OFM_REGION"},
    {op0::KernelWidthM1, false, R, "NPU_SET_KERNEL_WIDTH_M1"},
    {op0::KernelHeightM1, false, R, "NPU_SET_KERNEL_HEIGHT_M1"},
    {op0::KernelStride, false, R, "NPU_SET_KERNEL_STRIDE"},
    {op0::ParallelMode, false, R, "NPU_SET_PARALLEL_MODE"},
    {op0::AccFormat, false, R, "NPU_SET_ACC_FORMAT"},
    {op0::Activation, false, R, "NPU_SET_ACTIVATION"},
    {op0::ActivationMin, false, R, "NPU_SET_ACTIVATION_MIN"},
    {op0::ActivationMax, false, R, "NPU_SET_ACTIVATION_MAX"},
    {op0::WeightRegion, false, R, "NPU_SET_WEIGHT_REGION"},
    {op0::ScaleRegion, false, R, "NPU_SET_SCALE_REGION"},
    {op0::AbStart, false, R, "NPU_SET_AB_START"},
    {op0::BlockDep, false, R, "NPU_SET_BLOCKDEP"},
    {op0::Dma0SrcRegion, false, R, "NPU_SET_DMA0_SRC_REGION"},
    {op0::Dma0DstRegion, false, R, "NPU_SET_DMA0_DST_REGION"},
    {op0::Dma0Size0, false, R, "NPU_SET_DMA0_SIZE0"},
    {op0::Dma0Size1, false, R, "NPU_SET_DMA0_SIZE1"},
    {op0::Ifm2Broadcast, false, R, "NPU_SET_IFM2_BROADCAST"},
    {op0::Ifm2Scalar, false, R, "NPU_SET_IFM2_SCALAR"},
    {op0::Ifm2Precision, false, R, "NPU_SET_IFM2_PRECISION"},
    {op0::Ifm2ZeroPoint, false, R, "NPU_SET_IFM2_ZERO_POINT"},
    {op0::Ifm2Width0M1, false, R, "NPU_SET_IFM2_WIDTH0_M1"},
    {op0::Ifm2Height0M1, false, R, "NPU_SET_IFM2_HEIGHT0_M1"},
    {op0::Ifm2Height1M1, false, R, "NPU_SET_IFM2_HEIGHT1_M1"},
    {op0::Ifm2IbStart, false, R, "NPU_SET_IFM2_IB_START"},
    {op0::Ifm2Region, false, R, "NPU_SET_IFM2_REGION"},
    {op1::IfmBase0, true, R, "NPU_SET_IFM_BASE0"},
    {op1::IfmBase1, true, R, "NPU_SET_IFM_BASE1"},
    {op1::IfmBase2, true, R, "NPU_SET_IFM_BASE2"},
    {op1::IfmBase3, true, R, "NPU_SET_IFM_BASE3"},
    {op1::IfmStrideX, true, R, "NPU_SET_IFM_STRIDE_X"},
    {op1::IfmStrideY, true, R, "NPU_SET_IFM_STRIDE_Y"},
    {op1::IfmStrideC, true, R, "NPU_SET_IFM_STRIDE_C"},
    {op1::OfmBase0, true, R, "NPU_SET_OFM_BASE0"},
    {op1::OfmBase1, true, R, "NPU_SET_OFM_BASE1"},
    {op1::OfmBase2, true, R, "NPU_SET_OFM_BASE2"},
    {op1::OfmBase3, true, R, "NPU_SET_OFM_BASE3"},
    {op1::OfmStrideX, true, R, "NPU_SET_OFM_STRIDE_X"},
    {op1::OfmStrideY, true, R, "NPU_SET_OFM_STRIDE_Y"},
    {op1::OfmStrideC, true, R, "NPU_SET_OFM_STRIDE_C"},
    {op1::WeightBase, true, R, "NPU_SET_WEIGHT_BASE"},
    {op1::WeightLength, true, R, "NPU_SET_WEIGHT_LENGTH"},
    {op1::ScaleBase, true, R, "NPU_SET_SCALE_BASE"},
    {op1::ScaleLength, true, R, "NPU_SET_SCALE_LENGTH"},
    {op1::OfmScale, true, R, "NPU_SET_OFM_SCALE"},
    {op1::OpaScale, true, R, "NPU_SET_OPA_SCALE"},
    {op1::OpbScale, true, R, "NPU_SET_OPB_SCALE"},
    {op1::Dma0Src, true, R, "NPU_SET_DMA0_SRC"},
    {op1::Dma0Dst, true, R, "NPU_SET_DMA0_DST"},
    {op1::Dma0Len, true, R, "NPU_SET_DMA0_LEN"},
    {op1::Dma0Skip0, true, R, "NPU_SET_DMA0_SKIP0"},
    {op1::Dma0Skip1, true, R, "NPU_SET_DMA0_SKIP1"},
    {op1::Ifm2Base0, true, R, "NPU_SET_IFM2_BASE0"},
    {op1::Ifm2Base1, true, R, "NPU_SET_IFM2_BASE1"},
    {op1::Ifm2Base2, true, R, "NPU_SET_IFM2_BASE2"},
    {op1::Ifm2Base3, true, R, "NPU_SET_IFM2_BASE3"},
    {op1::Ifm2StrideX, true, R, "NPU_SET_IFM2_STRIDE_X"},
    {op1::Ifm2StrideY, true, R, "NPU_SET_IFM2_STRIDE_Y"},
    {op1::Ifm2StrideC, true, R, "NPU_SET_IFM2_STRIDE_C"},
    {op1::Weight1Base, true, R, "NPU_SET_WEIGHT1_BASE"},
    {op1::Weight1Length, true, R, "NPU_SET_WEIGHT1_LENGTH"},
    {op1::Scale1Base, true, R, "NPU_SET_SCALE1_BASE"},
    {op1::Scale1Length, true, R, "NPU_SET_SCALE1_LENGTH"},
}};

template <size_t N>
std::string_view nameAt(const std::array<std::string_view, N> &names, unsigned v) {
  return v < N ? names[v] : std::string_view("?");
}

} // namespace

const CommandInfo *findCommand(bool cmd1, uint16_t opcode) {
  auto it = std::find_if(kCommands.begin(), kCommands.end(), [&](const CommandInfo &c) {
    return c.cmd1 == cmd1 && c.opcode == opcode;
  });
  return it == kCommands.end() ? nullptr : &*it;
}

std::string_view elementwiseModeName(unsigned mode) {
  static constexpr std::array<std::string_view, 10> names = {
      "MUL", "ADD", "SUB", "MIN", "MAX", "LRELU", "ABS", "CLZ", "SHR", "SHL"};
  return nameAt(names, mode);
}

std::string_view poolingModeName(unsigned mode) {
  static constexpr std::array<std::string_view, 3> names = {"MAX", "AVERAGE", "REDUCE_SUM"};
  return nameAt(names, mode);
}

std::string_view roundingName(unsigned mode) {
  static constexpr std::array<std::string_view, 3> names = {"TFL", "TRUNCATE", "NATURAL"};
  return nameAt(names, mode);
}

} // namespace edgec::npu
