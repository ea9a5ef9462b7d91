// The cycle estimator's formulas on hand-made descriptors, each expected
// figure derived by hand below (NPU-EDGETPU.md A.8).
#include "npu/estimate/CycleEstimate.h"
#include "npu/estimate/EstimateReport.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace edgec::npu;

namespace {

const AcceleratorConfig &acc(const char *name) { return **findAcceleratorConfig(name); }

/// SRAM: full clock, 32-byte bursts, 32-cycle latencies; off-chip flash:
/// 1/8 clock (1 byte/cycle on a U55), 128-byte bursts, 64-cycle latencies.
MemorySystem memory() {
  MemorySystem m;
  m.coreClockHz = 500e6;
  m.timing[size_t(Memory::Sram)] = {1.0, 32, 32, 32};
  m.timing[size_t(Memory::OffChipFlash)] = {0.125, 128, 64, 64};
  return m; // regions: 0 off-chip flash, 1 and 2 SRAM
}

/// 1x1 conv, IFM 8x8x32 -> OFM 8x8x32 int8 NHWC in region 1, OFM block
/// 4x8x16 (H x W x D), 1024 weight bytes and 320 scale bytes in region 2.
Operation conv1x1() {
  Operation op;
  op.type = OpType::Conv;
  for (FeatureMap *f : {&op.ifm, &op.ofm}) {
    f->region = 1;
    f->height = 8, f->width = 8, f->depth = 32;
    f->elemBytes = 1;
  }
  op.ofm.base[0] = 4096;
  op.blockH = 4, op.blockW = 8, op.blockD = 16;
  op.weightRegion = 2, op.weightBase = 0, op.weightLength = 1024;
  op.scaleRegion = 2, op.scaleBase = 1024, op.scaleLength = 320;
  op.activationMin = -128, op.activationMax = 127; // no activation
  return op;
}

} // namespace

// U55-128 micro-block 2 wide, 1 high, 8 deep:
//   micro-blocks x = 8/2 = 4, y = 4/1 = 4 (xy 16), z = 16/8 = 2
//   DPU per block = max(weight decode 32*8/8 = 32, 4*16 = 64) * 1 step * 2 = 128
//     (IFM block depth 32 = the whole IFM depth, so x1; no delay: x > 1)
//   output per block = 0.5 cycles/element * 4*8*16 = 256 (bias: 10*16*32/256 = 20)
//   command floor = (32 + IFM block 4*8*32 B / 8 + 128 + 256 + 32 + OFM block 512 B / 8) / 4
//                 = (32 + 128 + 384 + 32 + 64) / 4 = 160
//   blocks = 2 (y) * 1 (x) * 2 (z) = 4: total = 256 * 4 + 160 = 1184
TEST(NpuCycleEstimate, Conv1x1ComputeByHand) {
  EXPECT_DOUBLE_EQ(estimateComputeCycles(conv1x1(), acc("ethos-u55-128"), memory()), 1184.0);
  EXPECT_EQ(operationMacs(conv1x1()), 8 * 8 * 32 * 32);
}

// SRAM bytes: IFM 4x8x32 per block x 4 blocks = 4096 (bursts of 256 B, full
// efficiency); OFM 2048 written in 16-byte runs (depth 16 of 32): x32/16 =
// 4096; weights 1024 x 2 block positions = 2048; scales 320. 10560 / 8 B
// per cycle = 1320 access cycles > 1184 NPU cycles: total 1320.
TEST(NpuCycleEstimate, Conv1x1AccessByHand) {
  const NetworkEstimate n = estimateNetwork({conv1x1()}, acc("ethos-u55-128"), memory());
  ASSERT_EQ(n.ops.size(), 1u);
  const OpEstimate &e = n.ops[0];
  EXPECT_DOUBLE_EQ(e.npuCycles, 1184.0);
  EXPECT_DOUBLE_EQ(e.accessCycles[size_t(Memory::Sram)], 1320.0);
  EXPECT_DOUBLE_EQ(e.accessCycles[size_t(Memory::OffChipFlash)], 0.0);
  EXPECT_DOUBLE_EQ(e.totalCycles, 1320.0);
  EXPECT_DOUBLE_EQ(e.utilisation, 65536.0 / (1320.0 * 128));
  EXPECT_DOUBLE_EQ(n.traffic[size_t(Memory::Sram)].featureMapRead, 4096.0);
  EXPECT_DOUBLE_EQ(n.traffic[size_t(Memory::Sram)].featureMapWrite, 2048.0);
  EXPECT_DOUBLE_EQ(n.traffic[size_t(Memory::Sram)].weightRead, 2048.0 + 320);
  EXPECT_DOUBLE_EQ(n.inferencesPerSecond(), 500e6 / 1320.0);
}

// A DMA of the 1024 weight bytes from off-chip flash (region 0) just
// before the conv: 64 latency + 1024 B at 1 B/cycle = 1088 cycles (the SRAM
// write side, 32 + 128, is shorter). The conv waits for it: NPU cycles
// 1184 + 1088 = 2272. The DMA's bytes are weight traffic on both memories.
TEST(NpuCycleEstimate, WeightDmaStallCountsAsNpuCycles) {
  Operation dma;
  dma.type = OpType::DmaStart;
  dma.dmaSrcRegion = 0, dma.dmaDstRegion = 2, dma.dmaDst = 0, dma.dmaLength = 1024;
  Operation conv = conv1x1();
  conv.index = 1;
  const NetworkEstimate n = estimateNetwork({dma, conv}, acc("ethos-u55-128"), memory());
  ASSERT_EQ(n.ops.size(), 1u);
  EXPECT_EQ(n.dmaCount, 1u);
  EXPECT_DOUBLE_EQ(n.ops[0].npuCycles, 2272.0);
  EXPECT_DOUBLE_EQ(n.totalCycles, 2272.0);
  EXPECT_DOUBLE_EQ(n.traffic[size_t(Memory::OffChipFlash)].weightRead, 1024.0);
  EXPECT_DOUBLE_EQ(n.traffic[size_t(Memory::Sram)].weightWrite, 1024.0);
  // A DMA elsewhere does not stall it.
  dma.dmaDst = 8192;
  EXPECT_DOUBLE_EQ(estimateNetwork({dma, conv}, acc("ethos-u55-128"), memory()).ops[0].npuCycles, 1184.0);
}

// Elementwise ADD, 8x8x32 int8 with equal input scales (simple add, 1
// cycle/element on U55-128), OFM block 4x8x16 = 512 elements:
//   command floor = (32 + 512/8 + 512 + 32 + 512/8) / 4 = 176 < 512
//   so 2048 elements x 1 = 2048 cycles. No MACs.
TEST(NpuCycleEstimate, ElementwiseAddByHand) {
  Operation op = conv1x1();
  op.type = OpType::Elementwise;
  op.mode = 1; // ADD
  op.hasIfm2 = true;
  op.ifm2 = op.ifm;
  op.opaScale = op.opbScale = 1 << 20;
  op.weightLength = op.scaleLength = 0;
  EXPECT_DOUBLE_EQ(estimateComputeCycles(op, acc("ethos-u55-128"), memory()), 2048.0);
  EXPECT_EQ(operationMacs(op), 0);
  op.opbScale = 3 << 19; // different scales: advanced add, 1.5 cycles/element
  EXPECT_DOUBLE_EQ(estimateComputeCycles(op, acc("ethos-u55-128"), memory()), 3072.0);
}

// More MACs per cycle, fewer cycles: the same conv on the larger configurations.
TEST(NpuCycleEstimate, ScalesWithConfiguration) {
  Operation op = conv1x1();
  op.ifm.depth = 256, op.ofm.depth = 256; // compute-bound
  const double u64 = estimateComputeCycles(op, acc("ethos-u55-64"), memory());
  const double u128 = estimateComputeCycles(op, acc("ethos-u55-128"), memory());
  const double u256 = estimateComputeCycles(op, acc("ethos-u55-256"), memory());
  EXPECT_GT(u64, u128);
  EXPECT_GT(u128, u256);
  EXPECT_LE(estimateComputeCycles(op, acc("ethos-u65-512"), memory()), u256);
}

TEST(NpuCycleEstimate, ReportsAreDeterministicAndLabelled) {
  const NetworkEstimate n = estimateNetwork({conv1x1()}, acc("ethos-u55-128"), memory());
  EstimateContext c;
  c.network = "net";
  c.accelerator = "Ethos_U55_128";
  c.memoryPresent[size_t(Memory::Sram)] = true;
  const std::string text = estimateSummaryText(n, memory(), c);
  EXPECT_NE(text.find("edgec estimate"), std::string::npos);
  EXPECT_NE(text.find("Total cycles                                     1320 cycles/batch"), std::string::npos);
  EXPECT_EQ(text, estimateSummaryText(n, memory(), c));
  const std::string csv = estimateSummaryCsv(n, memory(), c);
  EXPECT_EQ(csv.substr(0, csv.find(',')), "experiment");
  EXPECT_NE(csv.find("\nedgec_estimate,net,"), std::string::npos);
  const std::string layers = estimatePerLayerCsv(n);
  EXPECT_EQ(std::count(layers.begin(), layers.end(), '\n'), 2);
}
