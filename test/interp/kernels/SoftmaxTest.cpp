// Hand-computed edge cases of the Softmax family: legacy (opset < 13) 2-D
// coercion, numerical stability, Hardmax ties and the losses.
#include "KernelTestUtil.h"

#include <cmath>

using namespace edgec;
using edgec::test::SingleNode;

namespace {

Tensor f32(TensorShape s, std::vector<float> v) {
  return Tensor::fromVector<float>(std::move(s), v);
}

void expectNear(const Tensor &t, const std::vector<double> &want) {
  std::vector<double> got = t.toDoubleVector();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 1e-6) << "element " << i;
}

} // namespace

TEST(SoftmaxTest, LegacyOpsetFlattensTrailingDims) {
  // Opset 11, axis 1 on [1, 2, 2]: softmax over all 4 values.
  Tensor x = f32({1, 2, 2}, {0, 0, 0, 0});
  SingleNode legacy("Softmax", {x}, 1, 11);
  auto r = legacy.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectNear((*r)[0], {0.25, 0.25, 0.25, 0.25});

  // Opset 13, default axis -1: softmax over pairs.
  SingleNode modern("Softmax", {x}, 1, 13);
  r = modern.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectNear((*r)[0], {0.5, 0.5, 0.5, 0.5});
}

TEST(SoftmaxTest, LogSoftmaxIsStableForLargeInputs) {
  SingleNode n("LogSoftmax", {f32({2}, {1000, 1000})}, 1, 13);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectNear((*r)[0], {-std::log(2.0), -std::log(2.0)});
}

TEST(SoftmaxTest, HardmaxPicksFirstMaximum) {
  SingleNode n("Hardmax", {f32({2, 3}, {1, 3, 3, 2, 2, 2})}, 1, 13);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectNear((*r)[0], {0, 1, 0, 1, 0, 0});
}

TEST(SoftmaxTest, IntegerInputIsRejected) {
  SingleNode n("Softmax", {Tensor::fromVector<int32_t>({2}, {1, 2})}, 1, 13);
  EXPECT_FALSE(n.run().isOk());
}

TEST(SoftmaxTest, NllLossWeightedMeanWithIgnoreIndex) {
  // N=3, C=2; targets {0, 1, -1 (ignored)}; weights {1, 3}.
  Tensor x = f32({3, 2}, {-1, -2, -3, -4, -5, -6});
  Tensor t = Tensor::fromVector<int64_t>({3}, {0, 1, -1});
  Tensor w = f32({2}, {1, 3});
  SingleNode n("NegativeLogLikelihoodLoss", {x, t, w}, 1, 13);
  n.node->attrs["ignore_index"] = Attribute::makeInt(-1);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  // (1*1 + 4*3) / (1 + 3)
  expectNear((*r)[0], {13.0 / 4.0});
}

TEST(SoftmaxTest, NllLossTargetOutOfRangeIsError) {
  Tensor x = f32({1, 2}, {-1, -2});
  Tensor t = Tensor::fromVector<int64_t>({1}, {2});
  SingleNode n("NegativeLogLikelihoodLoss", {x, t}, 1, 13);
  auto r = n.run();
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidInput);
}

TEST(SoftmaxTest, SoftmaxCrossEntropyNoneReturnsLogProb) {
  Tensor x = f32({1, 2}, {0, 0});
  Tensor t = Tensor::fromVector<int32_t>({1}, {1});
  SingleNode n("SoftmaxCrossEntropyLoss", {x, t}, 2, 13);
  n.node->attrs["reduction"] = Attribute::makeString("none");
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{1}));
  expectNear((*r)[0], {std::log(2.0)});
  expectNear((*r)[1], {-std::log(2.0), -std::log(2.0)});
}
