// The Ethos-U55/U65 command-stream opcodes and field encodings, as data:
// one table of every cmd0/cmd1 command (opcode, name, kind) that the
// decoder, the listing and the functional model read. Facts: Arm's
// ethos_u55_regs.py and register_command_stream_generator.py in
// ethos-u-vela (restated; ../shared/NPU-EDGETPU.md A.3).
#pragma once

#include <cstdint>
#include <string_view>

namespace edgec::npu {

/// cmd0 opcodes (one word: bits 9:0 opcode, 15:14 zero, 31:16 parameter).
namespace op0 {
inline constexpr uint16_t Stop = 0x000, Irq = 0x001, Conv = 0x002, Depthwise = 0x003,
                          Pool = 0x005, Elementwise = 0x006, DmaStart = 0x010,
                          DmaWait = 0x011, KernelWait = 0x012, PmuMask = 0x013;
inline constexpr uint16_t IfmPadTop = 0x100, IfmPadLeft = 0x101, IfmPadRight = 0x102,
                          IfmPadBottom = 0x103, IfmDepthM1 = 0x104, IfmPrecision = 0x105,
                          IfmUpscale = 0x107, IfmZeroPoint = 0x109, IfmWidth0M1 = 0x10A,
                          IfmHeight0M1 = 0x10B, IfmHeight1M1 = 0x10C, IfmIbEnd = 0x10D,
                          IfmRegion = 0x10F;
inline constexpr uint16_t OfmWidthM1 = 0x111, OfmHeightM1 = 0x112, OfmDepthM1 = 0x113,
                          OfmPrecision = 0x114, OfmBlkWidthM1 = 0x115, OfmBlkHeightM1 = 0x116,
                          OfmBlkDepthM1 = 0x117, OfmZeroPoint = 0x118, OfmWidth0M1 = 0x11A,
                          OfmHeight0M1 = 0x11B, OfmHeight1M1 = 0x11C, OfmRegion = 0x11F;
inline constexpr uint16_t KernelWidthM1 = 0x120, KernelHeightM1 = 0x121, KernelStride = 0x122,
                          ParallelMode = 0x123, AccFormat = 0x124, Activation = 0x125,
                          ActivationMin = 0x126, ActivationMax = 0x127, WeightRegion = 0x128,
                          ScaleRegion = 0x129, AbStart = 0x12D, BlockDep = 0x12F;
inline constexpr uint16_t Dma0SrcRegion = 0x130, Dma0DstRegion = 0x131, Dma0Size0 = 0x132,
                          Dma0Size1 = 0x133;
inline constexpr uint16_t Ifm2Broadcast = 0x180, Ifm2Scalar = 0x181, Ifm2Precision = 0x185,
                          Ifm2ZeroPoint = 0x189, Ifm2Width0M1 = 0x18A, Ifm2Height0M1 = 0x18B,
                          Ifm2Height1M1 = 0x18C, Ifm2IbStart = 0x18D, Ifm2Region = 0x18F;
} // namespace op0

/// cmd1 opcodes (two words: opcode | 0x4000 with a 16-bit parameter, then a
/// 32-bit payload).
namespace op1 {
inline constexpr uint16_t IfmBase0 = 0x000, IfmBase1 = 0x001, IfmBase2 = 0x002, IfmBase3 = 0x003,
                          IfmStrideX = 0x004, IfmStrideY = 0x005, IfmStrideC = 0x006;
inline constexpr uint16_t OfmBase0 = 0x010, OfmBase1 = 0x011, OfmBase2 = 0x012, OfmBase3 = 0x013,
                          OfmStrideX = 0x014, OfmStrideY = 0x015, OfmStrideC = 0x016;
inline constexpr uint16_t WeightBase = 0x020, WeightLength = 0x021, ScaleBase = 0x022,
                          ScaleLength = 0x023, OfmScale = 0x024, OpaScale = 0x025,
                          OpbScale = 0x026;
inline constexpr uint16_t Dma0Src = 0x030, Dma0Dst = 0x031, Dma0Len = 0x032, Dma0Skip0 = 0x033,
                          Dma0Skip1 = 0x034;
inline constexpr uint16_t Ifm2Base0 = 0x080, Ifm2Base1 = 0x081, Ifm2Base2 = 0x082,
                          Ifm2Base3 = 0x083, Ifm2StrideX = 0x084, Ifm2StrideY = 0x085,
                          Ifm2StrideC = 0x086;
inline constexpr uint16_t Weight1Base = 0x090, Weight1Length = 0x091, Scale1Base = 0x092,
                          Scale1Length = 0x093;
} // namespace op1

/// The registers that describe one feature map (IFM, IFM2, OFM): region,
/// tile extents, zero point, the four tile bases and the strides. Read by
/// the decoder (Operation.cpp) and written by the encoder.
struct FeatureMapRegisters {
  uint16_t region, h0, h1, w0, zp; ///< cmd0
  uint16_t base[4], strideX, strideY, strideC; ///< cmd1
};
inline constexpr FeatureMapRegisters kIfmRegisters = {
    op0::IfmRegion, op0::IfmHeight0M1, op0::IfmHeight1M1, op0::IfmWidth0M1, op0::IfmZeroPoint,
    {op1::IfmBase0, op1::IfmBase1, op1::IfmBase2, op1::IfmBase3},
    op1::IfmStrideX, op1::IfmStrideY, op1::IfmStrideC};
inline constexpr FeatureMapRegisters kIfm2Registers = {
    op0::Ifm2Region, op0::Ifm2Height0M1, op0::Ifm2Height1M1, op0::Ifm2Width0M1,
    op0::Ifm2ZeroPoint, {op1::Ifm2Base0, op1::Ifm2Base1, op1::Ifm2Base2, op1::Ifm2Base3},
    op1::Ifm2StrideX, op1::Ifm2StrideY, op1::Ifm2StrideC};
inline constexpr FeatureMapRegisters kOfmRegisters = {
    op0::OfmRegion, op0::OfmHeight0M1, op0::OfmHeight1M1, op0::OfmWidth0M1, op0::OfmZeroPoint,
    {op1::OfmBase0, op1::OfmBase1, op1::OfmBase2, op1::OfmBase3},
    op1::OfmStrideX, op1::OfmStrideY, op1::OfmStrideC};

/// Command word layout.
inline constexpr uint32_t kOpcodeMask = 0x3FF;
inline constexpr uint32_t kPayloadShift = 14; ///< bits 15:14: 0 = cmd0, 1 = cmd1
inline constexpr uint32_t kCmd1Flag = 0x4000;

enum class CommandKind : uint8_t { Operation, Register };

struct CommandInfo {
  uint16_t opcode;
  bool cmd1;
  CommandKind kind;
  std::string_view name; ///< Vela's spelling, "NPU_SET_IFM_BASE0"
};

/// The command `opcode` (cmd0 or cmd1 space), or null for an unknown one.
const CommandInfo *findCommand(bool cmd1, uint16_t opcode);

/// Field encodings (names indexed by value; "?" for reserved values).
std::string_view elementwiseModeName(unsigned mode); ///< MUL, ADD, ... SHL
std::string_view poolingModeName(unsigned mode);     ///< MAX, AVERAGE, REDUCE_SUM
std::string_view roundingName(unsigned mode);        ///< TFL, TRUNCATE, NATURAL

/// The memory region index the DMA uses for the NPU-internal buffer
/// (internal bit 8 set; the LUT lives there).
inline constexpr unsigned kDmaInternalBit = 0x100;

} // namespace edgec::npu
