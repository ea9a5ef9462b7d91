// The register-state machine of the Ethos-U: commands update a register
// file, and each NPU_OP_* command yields one complete operation descriptor
// from it (every field the operation reads, decoded). The functional model
// executes descriptors; the listing prints them.
#pragma once

#include "npu/CommandStream.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace edgec::npu {

enum class OpType : uint8_t { Conv, Depthwise, Pool, Elementwise, DmaStart };

/// A feature map as the registers describe it: up to four tiles (BASE0..3
/// with HEIGHT0/HEIGHT1/WIDTH0), strides, shape, precision and layout.
struct FeatureMap {
  int region = 0;
  std::array<uint64_t, 4> base{};
  int height0 = 1, height1 = 1, width0 = 1; ///< tile extents
  int height = 1, width = 1, depth = 1;     ///< shape (IFM: derived, see Operation)
  int64_t strideX = 0, strideY = 0, strideC = 0;
  int elemBytes = 1; ///< 1, 2 or 4
  bool isSigned = true;
  bool brick16 = false; ///< NHCWB16 instead of NHWC
  int zeroPoint = 0;
  unsigned precisionField = 0; ///< raw precision bits (listing)
  bool operator==(const FeatureMap &) const = default;
};

struct Operation {
  size_t index = 0;        ///< position among the stream's operations
  size_t streamOffset = 0; ///< byte offset of the NPU_OP_* command
  OpType type = OpType::Conv;
  unsigned mode = 0; ///< pooling / elementwise mode (the command parameter)

  FeatureMap ifm, ifm2, ofm;
  bool hasIfm2 = false;
  int padTop = 0, padLeft = 0, padBottom = 0, padRight = 0;
  int kernelH = 1, kernelW = 1, strideY = 1, strideX = 1, dilationY = 1, dilationX = 1;
  bool partKernelFirst = false;
  unsigned upscale = 0; ///< 0 none, 1 nearest, 2 transpose

  int weightRegion = 0, scaleRegion = 0;
  uint64_t weightBase = 0, scaleBase = 0;
  uint32_t weightLength = 0, scaleLength = 0;
  uint64_t weight1Base = 0, scale1Base = 0;
  uint32_t weight1Length = 0, scale1Length = 0;

  // Output stage.
  uint32_t ofmScale = 0;
  int ofmShift = 0;
  uint32_t opaScale = 0;
  int opaShift = 0;
  uint32_t opbScale = 0;
  unsigned ifmScaleMode = 0; ///< 0 16-bit, 1 OPA 32-bit, 2 OPB 32-bit
  unsigned rounding = 0;     ///< 0 TFL, 1 truncate, 2 natural
  bool globalScale = false;  ///< OFM_SCALE instead of the per-channel scale stream
  unsigned activation = 0;   ///< 0 none, 3 tanh, 4 sigmoid, 16..23 LUT slot
  unsigned clipRange = 0;    ///< 0 OFM precision, 2 force U8, 3 force I8, 5 force I16
  int activationMin = 0, activationMax = 0;

  // Elementwise IFM2.
  bool broadcastH = false, broadcastW = false, broadcastC = false;
  bool reversedOperands = false, ifm2IsScalar = false;
  int ifm2Scalar = 0;

  // Blocks and the internal buffer (listing only).
  int blockH = 1, blockW = 1, blockD = 1;
  int ibEnd = 0, abStart = 0, ifm2IbStart = 0, accFormat = 0, blockDep = 0;

  // DMA.
  unsigned dmaSrcRegion = 0, dmaDstRegion = 0; ///< raw fields (bit 8: internal)
  uint64_t dmaSrc = 0, dmaDst = 0, dmaLength = 0;
  unsigned dmaSrcStrideMode = 0, dmaDstStrideMode = 0;

  bool isBlock() const { return type != OpType::DmaStart; }
  bool operator==(const Operation &) const = default;
};

/// "CONV", "DEPTHWISE", "POOL MAX", "ELEMENTWISE ADD", "DMA".
std::string operationName(const Operation &op);

/// The register file: what each set command last wrote.
class RegisterFile {
public:
  void apply(const Command &c);
  uint16_t p0(uint16_t opcode) const { return cmd0_[opcode & kOpcodeMask]; }
  uint16_t p1(uint16_t opcode) const { return cmd1Param_[opcode & kOpcodeMask]; }
  uint32_t d1(uint16_t opcode) const { return cmd1Data_[opcode & kOpcodeMask]; }
  /// Payload plus the parameter's low byte as address bits 39:32.
  uint64_t address(uint16_t opcode) const {
    return uint64_t(d1(opcode)) | uint64_t(p1(opcode) & 0xFF) << 32;
  }

private:
  std::array<uint16_t, 1024> cmd0_{};
  std::array<uint16_t, 1024> cmd1Param_{};
  std::array<uint32_t, 1024> cmd1Data_{};
};

/// The descriptor of the operation command `c` given the register file.
/// Errors: a zero stride/dilation field the hardware cannot encode, an
/// unknown precision.
Expected<Operation> buildOperation(const RegisterFile &regs, const Command &c);

/// Runs the register machine over the stream: one descriptor per
/// CONV/DEPTHWISE/POOL/ELEMENTWISE/DMA_START command, in order.
Expected<std::vector<Operation>> buildOperations(const std::vector<Command> &cmds);

} // namespace edgec::npu
