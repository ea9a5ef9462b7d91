// The command-stream decoder and the register-state machine: commands decode
// by Vela's encoding; every malformed stream is an error naming the offset;
// descriptors carry the fields the registers hold.
#include "NpuTestStreams.h"
#include "npu/CommandStream.h"
#include "npu/Listing.h"
#include "npu/Operation.h"

#include <gtest/gtest.h>

namespace edgec::npu {
namespace {

std::string decodeError(const std::vector<uint32_t> &w) {
  auto r = decodeCommandStream(w);
  EXPECT_FALSE(r.isOk());
  return r.isOk() ? "" : r.error().message();
}

TEST(NpuCommandStream, DecodesCmd0AndCmd1) {
  // NPU_SET_IFM_PAD_TOP 4, NPU_SET_DMA0_SRC 0x1ba0, NPU_OP_STOP.
  auto r = decodeCommandStream({0x00040100u, 0x00004030u, 0x1ba0u, 0xFFFF0000u});
  ASSERT_TRUE(r.isOk()) << r.error().message();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].info->name, "NPU_SET_IFM_PAD_TOP");
  EXPECT_EQ((*r)[0].param, 4);
  EXPECT_TRUE((*r)[1].cmd1);
  EXPECT_EQ((*r)[1].info->name, "NPU_SET_DMA0_SRC");
  EXPECT_EQ((*r)[1].data, 0x1ba0u);
  EXPECT_EQ((*r)[2].offset, 12u);
  EXPECT_EQ((*r)[2].info->name, "NPU_OP_STOP");
}

TEST(NpuCommandStream, MalformedStreamsAreErrors) {
  EXPECT_NE(decodeError({0x0000003Fu, 0xFFFF0000u}).find("unknown cmd0 opcode 63"), std::string::npos);
  EXPECT_NE(decodeError({0x00004030u}).find("without its payload"), std::string::npos);
  EXPECT_NE(decodeError({0x00040100u}).find("no NPU_OP_STOP"), std::string::npos);
  EXPECT_NE(decodeError({0xFFFF0000u, 0x00040100u}).find("after NPU_OP_STOP"), std::string::npos);
  EXPECT_NE(decodeError({0x00008100u, 0xFFFF0000u}).find("reserved payload mode"), std::string::npos);
  EXPECT_NE(decodeError({0x00000500u, 0xFFFF0000u}).find("must-be-zero"), std::string::npos);
  EXPECT_NE(decodeError({0x00004099u, 0, 0xFFFF0000u}).find("unknown cmd1 opcode"), std::string::npos);
}

TEST(NpuCommandStream, DescriptorFromRegisters) {
  test::StreamBuilder s;
  test::featureMap(s, false, 0x40, 16);
  s.c0(op0::IfmPrecision, 1 | 1 << 6); // S8, NHCWB16
  test::featureMap(s, true, 0x80, 16);
  s.c0(op0::OfmPrecision, 5 | 2 << 14); // S32, NATURAL rounding
  s.c0(op0::KernelHeightM1, 9);
  s.c0(op0::KernelWidthM1, 2);
  // Vela's KERNEL_STRIDE: bit 1 stride y - 1, bit 2 part-kernel-first,
  // bits 6+ the x stride's upper bits.
  s.c0(op0::KernelStride, 2 | 4 | 1 << 6);
  s.c0(op0::IfmPadTop, 4);
  s.c0(op0::IfmPadBottom, 5);
  s.c0(op0::IfmPadLeft, 1);
  s.c0(op0::IfmPadRight, 1);
  s.c0(op0::Activation, 16 | 3 << 12);
  s.c0(op0::ActivationMin, 0xFF80);
  s.c1(op1::WeightBase, 0x2ec0);
  s.c1(op1::WeightLength, 0x3c0);
  s.c0(op0::Conv);
  s.c0(op0::Stop, 0xFFFF);
  auto cmds = decodeCommandStream(s.words);
  ASSERT_TRUE(cmds.isOk()) << cmds.error().message();
  auto ops = buildOperations(*cmds);
  ASSERT_TRUE(ops.isOk()) << ops.error().message();
  ASSERT_EQ(ops->size(), 1u);
  const Operation &op = (*ops)[0];
  EXPECT_EQ(op.type, OpType::Conv);
  EXPECT_TRUE(op.ifm.brick16);
  EXPECT_EQ(op.ifm.elemBytes, 1);
  EXPECT_EQ(op.ofm.elemBytes, 4);
  EXPECT_TRUE(op.ofm.isSigned);
  EXPECT_EQ(op.rounding, 2u);
  EXPECT_EQ(op.kernelH, 10);
  EXPECT_EQ(op.kernelW, 3);
  EXPECT_EQ(op.strideY, 2);
  EXPECT_EQ(op.strideX, 3);
  EXPECT_TRUE(op.partKernelFirst);
  EXPECT_EQ(op.activation, 16u);
  EXPECT_EQ(op.clipRange, 3u);
  EXPECT_EQ(op.activationMin, -128);
  EXPECT_EQ(op.weightBase, 0x2ec0u);
  EXPECT_EQ(op.weightLength, 0x3c0u);
  // IFM rows the 1-row OFM reads: (1 - 1) * 2 + 10 - 4 - 5.
  EXPECT_EQ(op.ifm.height, 1);
  EXPECT_EQ(op.ofm.base[0], 0x80u);
  const std::string listing = commandListing(*cmds, *ops);
  EXPECT_NE(listing.find("NPU_SET_KERNEL_STRIDE"), std::string::npos);
  EXPECT_NE(listing.find("kernel 10x3 stride 2x3"), std::string::npos) << listing;
}

TEST(NpuCommandStream, BadDescriptorsAreErrors) {
  test::StreamBuilder s;
  s.c0(op0::IfmPrecision, 3); // reserved precision
  s.c0(op0::Pool, 0);
  s.c0(op0::Stop, 0xFFFF);
  auto cmds = decodeCommandStream(s.words);
  ASSERT_TRUE(cmds.isOk());
  auto ops = buildOperations(*cmds);
  ASSERT_FALSE(ops.isOk());
  EXPECT_NE(ops.error().message().find("reserved IFM precision"), std::string::npos);
  s = {};
  s.c0(op0::Pool, 7);
  s.c0(op0::Stop, 0xFFFF);
  ops = buildOperations(*decodeCommandStream(s.words));
  ASSERT_FALSE(ops.isOk());
  EXPECT_NE(ops.error().message().find("unknown pooling mode 7"), std::string::npos);
}

} // namespace
} // namespace edgec::npu
