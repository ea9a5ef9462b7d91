#include "analysis/ModelStats.h"
#include "onnx/OnnxImporter.h"
#include "ImportOptions.h"

#include <gtest/gtest.h>

using namespace edgec;

TEST(ModelStatsTest, ConvAndGemmMacsParametersAndLargestActivation) {
  auto m = importOnnxText(R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1, 3, 8, 8] x, float[4, 3, 3, 3] w, float[256, 10] wf)
        => (float[1, 10] y) {
      b = Constant<value = float[4] {1, 2, 3, 4}>()
      c = Conv<pads = [1, 1, 1, 1]>(x, w, b)
      f = Flatten(c)
      y = MatMul(f, wf)
    }
  )", test::evaluating());
  ASSERT_TRUE(m.isOk()) << m.error().message();
  ModelStats s = computeModelStats(**m);
  // Conv: 1*4*8*8 outputs x 3*3*3 = 6912; MatMul: 10 outputs x 256 = 2560.
  EXPECT_EQ(s.totalMacs, 6912 + 2560);
  EXPECT_TRUE(s.macsComplete);
  EXPECT_EQ(s.parameterCount, 4);
  EXPECT_EQ(s.parameterBytes, 16);
  EXPECT_EQ(s.largestActivationBytes, 4 * 256);
  EXPECT_EQ(s.opHistogram.at("Constant"), 1);
  EXPECT_TRUE(s.unsupported.empty());
}

TEST(ModelStatsTest, UnknownOpsListedOnceWithCountsAndDynamicMacsFlagged) {
  auto m = importOnnxText(R"(
    <ir_version: 8, opset_import: ["" : 13, "custom" : 1]>
    g (float[N, 4] x, float[4, 4] w) => (float[N, 4] z) {
      a = custom.Frob(x)
      b = custom.Frob(a)
      c = Zap(b)
      z = MatMul(c, w)
    }
  )", test::evaluating());
  ASSERT_TRUE(m.isOk()) << m.error().message();
  ModelStats s = computeModelStats(**m);
  ASSERT_EQ(s.unsupported.size(), 2u);
  EXPECT_EQ(s.unsupported[0].op, "Zap");
  EXPECT_EQ(s.unsupported[1].op, "custom.Frob");
  EXPECT_EQ(s.unsupported[1].count, 2);
  EXPECT_EQ(s.unsupported[1].firstNode, "Frob_0");
  EXPECT_FALSE(s.macsComplete);
}
