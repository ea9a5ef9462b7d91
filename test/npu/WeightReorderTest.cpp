// The hardware weight order: hand-derived small layouts, and
// reorder -> inverse identity over many parameter combinations.
#include "npu/weights/WeightReorder.h"

#include <gtest/gtest.h>

#include <random>

using namespace edgec;
using namespace edgec::npu;

namespace {

std::vector<int8_t> randomWeights(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<int8_t> w(n);
  for (int8_t &x : w)
    x = int8_t(int(rng() % 256) - 128);
  return w;
}

size_t volume(const WeightReorderParams &p) {
  return size_t(p.ofmDepth) * p.kernelHeight * p.kernelWidth * p.ifmDepth;
}

} // namespace

TEST(NpuWeightReorder, DepthFirstOneByOne) {
  // 8 OFM x 1x1 x 8 IFM, block 8: depth-first fetches IFM in blocks of 32 for
  // int8, so each OFM micro-block element carries 8 real IFM values, then
  // three micro-blocks of padding.
  WeightReorderParams p;
  p.ofmDepth = 8;
  p.ifmDepth = 8;
  p.ofmBlockDepth = 8;
  std::vector<int8_t> w = randomWeights(64, 1);
  std::vector<int16_t> s = *reorderWeights(p, w.data(), {3});
  ASSERT_EQ(s.size(), 256u);
  for (int o = 0; o < 8; ++o)
    for (int i = 0; i < 8; ++i)
      EXPECT_EQ(s[size_t(o * 8 + i)], w[size_t(o * 8 + i)] - 3);
  for (size_t k = 64; k < s.size(); ++k)
    EXPECT_EQ(s[k], 0);
}

TEST(NpuWeightReorder, DepthwiseThreeByThree) {
  // 16 channels, 3x3, block 16, micro-block 8: per micro-block of 8
  // channels, the 9 kernel elements padded to 12, channel innermost.
  WeightReorderParams p;
  p.ofmDepth = 16;
  p.kernelHeight = p.kernelWidth = 3;
  p.ofmBlockDepth = 16;
  p.traversal = WeightTraversal::Depthwise;
  std::vector<int8_t> w = randomWeights(16 * 9, 2);
  std::vector<int16_t> s = *reorderWeights(p, w.data(), {0});
  ASSERT_EQ(s.size(), 2u * 12 * 8);
  for (int ub = 0; ub < 2; ++ub)
    for (int e = 0; e < 12; ++e)
      for (int c = 0; c < 8; ++c) {
        int16_t expect = e < 9 ? w[size_t((ub * 8 + c) * 9 + e)] : 0;
        EXPECT_EQ(s[size_t((ub * 12 + e) * 8 + c)], expect) << ub << " " << e << " " << c;
      }
}

TEST(NpuWeightReorder, PartKernelFirstSmallIfm) {
  // 8 OFM, 2x2 kernel, 3 IFM: IFM block 16 clipped to 3, one IFM
  // micro-block; kernel elements 4 (already a multiple of 4); per element
  // 8 OFM x 8 IFM with IFM 3..7 padding.
  WeightReorderParams p;
  p.ofmDepth = 8;
  p.kernelHeight = p.kernelWidth = 2;
  p.ifmDepth = 3;
  p.ofmBlockDepth = 8;
  p.traversal = WeightTraversal::PartKernelFirst;
  std::vector<int8_t> w = randomWeights(8 * 4 * 3, 3);
  std::vector<int16_t> s = *reorderWeights(p, w.data(), {0});
  ASSERT_EQ(s.size(), 4u * 8 * 8);
  for (int e = 0; e < 4; ++e)
    for (int o = 0; o < 8; ++o)
      for (int i = 0; i < 8; ++i) {
        int16_t expect = i < 3 ? w[size_t((o * 4 + e) * 3 + i)] : 0;
        EXPECT_EQ(s[size_t((e * 8 + o) * 8 + i)], expect);
      }
}

TEST(NpuWeightReorder, InverseIsIdentity) {
  std::mt19937 rng(7);
  int cases = 0;
  for (WeightTraversal t :
       {WeightTraversal::DepthFirst, WeightTraversal::PartKernelFirst, WeightTraversal::Depthwise})
    for (int k : {1, 3, 5, 9, 10})
      for (int ifm : {1, 3, 8, 17, 40})
        for (int ofm : {1, 5, 16, 24, 33})
          for (int variant = 0; variant < 3; ++variant) {
            WeightReorderParams p;
            p.traversal = t;
            p.ofmDepth = ofm;
            p.kernelHeight = k;
            p.kernelWidth = variant == 1 ? 1 : k + (variant == 2 ? 2 : 0);
            p.ifmDepth = t == WeightTraversal::Depthwise ? 1 : ifm;
            if (t == WeightTraversal::Depthwise && ifm != 1)
              continue;
            p.ofmBlockDepth = std::array<int, 3>{8, 16, 32}[size_t(variant)];
            p.ofmUblockDepth = variant == 2 ? 4 : 8;
            p.ifmBits = variant == 1 && t != WeightTraversal::Depthwise ? 16 : 8;
            p.dilationX = variant == 2 ? 2 : 1;
            p.dilationY = variant == 1 ? 2 : 1;
            p.cores = variant == 0 && ofm > 1 ? 2 : 1;
            ASSERT_TRUE(checkWeightReorderParams(p).isOk());
            std::vector<int8_t> w = randomWeights(volume(p), rng());
            std::vector<int32_t> zps(static_cast<size_t>(ofm), 0);
            for (int32_t &z : zps)
              z = int32_t(rng() % 7) - 3;
            std::vector<int16_t> back(volume(p), int16_t(999));
            for (int core = 0; core < p.cores; ++core) {
              auto r = reorderWeights(p, w.data(), zps, core);
              ASSERT_TRUE(r.isOk()) << r.error().message();
              std::vector<int16_t> s = r.take();
              ASSERT_EQ(s.size(), reorderedLength(p, core));
              Status st = unreorderWeights(p, s, back, core);
              ASSERT_TRUE(st.isOk()) << st.error().message();
            }
            const size_t per = volume(p) / size_t(ofm);
            for (size_t i = 0; i < back.size(); ++i)
              ASSERT_EQ(back[i], w[i] - zps[i / per]) << "case " << cases << " index " << i;
            ++cases;
          }
  EXPECT_GT(cases, 500);
}

TEST(NpuWeightReorder, RejectsBadInput) {
  WeightReorderParams p;
  p.ofmDepth = 8;
  p.ifmDepth = 8;
  std::vector<int16_t> out;
  EXPECT_FALSE(unreorderWeights(p, std::vector<int16_t>(10), out).isOk());
  std::vector<int16_t> s(reorderedLength(p), 0);
  s.back() = 5; // a padding position
  Status st = unreorderWeights(p, s, out);
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(st.error().message().find("padding"), std::string::npos);
  WeightReorderParams bad = p;
  bad.dilationX = 3;
  EXPECT_FALSE(checkWeightReorderParams(bad).isOk());
  bad = p;
  bad.traversal = WeightTraversal::Depthwise;
  EXPECT_FALSE(checkWeightReorderParams(bad).isOk());
  bad = p;
  bad.ofmDepth = 0;
  EXPECT_FALSE(unreorderWeights(bad, {}, out).isOk());
  bad = p;
  bad.ifmUblockDepth = 0; // would never advance: refused, not a hang
  EXPECT_EQ(reorderedLength(bad), 0u);
  std::vector<int8_t> w(64, 1);
  EXPECT_FALSE(reorderWeights(bad, w.data(), {}).isOk());
  EXPECT_FALSE(reorderWeights(p, w.data(), {1, 2, 3}).isOk()); // 3 zero points, 8 channels
  EXPECT_FALSE(reorderWeights(p, w.data(), {}, 1).isOk());     // core 1 of 1
  std::vector<int8_t> lo(64, -128);
  auto range = reorderWeights(p, lo.data(), {200});             // -328
  ASSERT_FALSE(range.isOk());
  EXPECT_NE(range.error().message().find("-255..255"), std::string::npos);
}
