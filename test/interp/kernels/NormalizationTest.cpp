// Hand-computed edge cases of the Normalization family.
#include "KernelTestUtil.h"

#include <cmath>

using namespace edgec;
using edgec::test::SingleNode;

namespace {

Tensor f32(TensorShape s, std::vector<float> v) {
  return Tensor::fromVector<float>(std::move(s), v);
}

void expectNear(const Tensor &t, const std::vector<double> &want,
                double tol = 1e-5) {
  std::vector<double> got = t.toDoubleVector();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], tol) << "element " << i;
}

} // namespace

TEST(NormalizationTest, LayerNormWithStatsOutputs) {
  // Row {1, 3}: mean 2, var 1 -> xhat {-1, 1}; eps 0.
  SingleNode n("LayerNormalization",
               {f32({1, 2}, {1, 3}), f32({2}, {2, 1}), f32({2}, {0, 10})}, 3,
               17);
  n.node->attrs["epsilon"] = Attribute::makeFloat(0);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectNear((*r)[0], {-2, 11});
  EXPECT_EQ((*r)[1].shape(), (TensorShape{1, 1}));
  expectNear((*r)[1], {2});
  expectNear((*r)[2], {1});
}

TEST(NormalizationTest, GroupNormScaleIsPerGroupBeforeOpset21) {
  // 1 batch, 2 channels, 1 group of both channels: xhat {-1, 1}.
  Tensor x = f32({1, 2, 1}, {1, 3});
  SingleNode v18("GroupNormalization", {x, f32({1}, {2}), f32({1}, {1})}, 1,
                 18);
  v18.node->attrs["num_groups"] = Attribute::makeInt(1);
  v18.node->attrs["epsilon"] = Attribute::makeFloat(0);
  auto r = v18.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectNear((*r)[0], {-1, 3});

  SingleNode v21("GroupNormalization", {x, f32({2}, {2, 3}), f32({2}, {0, 1})},
                 1, 21);
  v21.node->attrs["num_groups"] = Attribute::makeInt(1);
  v21.node->attrs["epsilon"] = Attribute::makeFloat(0);
  r = v21.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectNear((*r)[0], {-2, 4});

  // A per-group scale is wrong at opset 21.
  SingleNode bad("GroupNormalization", {x, f32({1}, {2}), f32({1}, {1})}, 1,
                 21);
  bad.node->attrs["num_groups"] = Attribute::makeInt(1);
  EXPECT_FALSE(bad.run().isOk());
}

TEST(NormalizationTest, BatchNormRejectsBadParameterSize) {
  Tensor x = f32({1, 2, 1}, {1, 2});
  SingleNode n("BatchNormalization",
               {x, f32({3}, {1, 1, 1}), f32({2}, {0, 0}), f32({2}, {0, 0}),
                f32({2}, {1, 1})},
               1, 15);
  auto r = n.run();
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidInput);
}

TEST(NormalizationTest, BatchNormInference) {
  Tensor x = f32({1, 2, 1}, {1, 2});
  SingleNode n("BatchNormalization",
               {x, f32({2}, {2, 1}), f32({2}, {1, 0}), f32({2}, {0, 1}),
                f32({2}, {4, 1})},
               1, 15);
  n.node->attrs["epsilon"] = Attribute::makeFloat(0);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectNear((*r)[0], {(1 - 0) / 2.0 * 2 + 1, (2 - 1) / 1.0 * 1 + 0});
}

TEST(NormalizationTest, LpNormOfZeroVectorIsZero) {
  SingleNode n("LpNormalization", {f32({2, 2}, {0, 0, 3, 4})}, 1, 22);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectNear((*r)[0], {0, 0, 0.6, 0.8});
}

TEST(NormalizationTest, RmsNorm) {
  // mean(x^2) of {3, 4} is 12.5.
  SingleNode n("RMSNormalization", {f32({2}, {3, 4}), f32({2}, {1, 2})}, 1, 23);
  n.node->attrs["epsilon"] = Attribute::makeFloat(0);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  double d = std::sqrt(12.5);
  expectNear((*r)[0], {3 / d, 8 / d});
}

TEST(NormalizationTest, LrnSizeOne) {
  // size 1, alpha 1, beta 1, bias 0: y = x / x^2.
  SingleNode n("LRN", {f32({1, 2, 1, 1}, {1, 2})}, 1, 13);
  n.node->attrs["size"] = Attribute::makeInt(1);
  n.node->attrs["alpha"] = Attribute::makeFloat(1);
  n.node->attrs["beta"] = Attribute::makeFloat(1);
  n.node->attrs["bias"] = Attribute::makeFloat(0);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectNear((*r)[0], {1, 0.5});
}

TEST(NormalizationTest, MissingRequiredInputIsError) {
  SingleNode n("LayerNormalization", {f32({2}, {3, 4}), f32({2}, {1, 2})}, 1,
               17);
  n.node->inputs[1] = nullptr; // Scale omitted
  auto r = n.run();
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.error().message().find("missing required input 1"),
            std::string::npos)
      << r.error().message();
}

TEST(NormalizationTest, MvnDefaultAxesNeedRank4) {
  SingleNode n("MeanVarianceNormalization", {f32({2}, {3, 4})}, 1, 13);
  EXPECT_FALSE(n.run().isOk());
}

TEST(NormalizationTest, BatchNormTrainingModeUpdatesRunningStats) {
  // One channel, batch {1, 3}: batch mean 2, population var 1.
  SingleNode n("BatchNormalization",
               {f32({2, 1}, {1, 3}), f32({1}, {1}), f32({1}, {0}),
                f32({1}, {0}), f32({1}, {3})},
               3, 15);
  n.node->attrs["training_mode"] = Attribute::makeInt(1);
  n.node->attrs["momentum"] = Attribute::makeFloat(0.5f);
  n.node->attrs["epsilon"] = Attribute::makeFloat(0);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectNear((*r)[0], {-1, 1});
  expectNear((*r)[1], {1});
  expectNear((*r)[2], {2});
}
