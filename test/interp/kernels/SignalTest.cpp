// Hand-computed DFT / STFT / window cases and argument validation.
#include "KernelTestUtil.h"

using namespace edgec;
using edgec::test::SingleNode;

namespace {

Tensor f32(TensorShape s, std::vector<float> v) {
  return Tensor::fromVector<float>(std::move(s), v);
}

void expectValues(const Tensor &t, const std::vector<double> &want) {
  std::vector<double> got = t.toDoubleVector();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 1e-5) << "element " << i;
}

} // namespace

TEST(SignalTest, DftOfConstantIsImpulse) {
  // Opset 20: axis defaults to -2 (the signal axis of [1, 4, 1]).
  SingleNode n("DFT", {f32({1, 4, 1}, {1, 1, 1, 1})}, 1, 20);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{1, 4, 2}));
  expectValues((*r)[0], {4, 0, 0, 0, 0, 0, 0, 0});
}

TEST(SignalTest, OnesidedDftAndInverseRoundTrip) {
  SingleNode fwd("DFT", {f32({1, 4, 1}, {1, 2, 3, 4})}, 1, 17);
  fwd.node->attrs["onesided"] = Attribute::makeInt(1);
  auto r = fwd.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  // X[0] = 10, X[1] = -2 + 2i, X[2] = -2.
  expectValues((*r)[0], {10, 0, -2, 2, -2, 0});

  SingleNode inv("DFT", {(*r)[0]}, 1, 20);
  inv.node->attrs["onesided"] = Attribute::makeInt(1);
  inv.node->attrs["inverse"] = Attribute::makeInt(1);
  auto back = inv.run();
  ASSERT_TRUE(back.isOk()) << back.error().message();
  expectValues((*back)[0], {1, 2, 3, 4});
}

TEST(SignalTest, DftAxisOnComplexDimIsRejected) {
  SingleNode n("DFT", {f32({1, 4, 1}, {1, 1, 1, 1})}, 1, 17);
  n.node->attrs["axis"] = Attribute::makeInt(2);
  EXPECT_FALSE(n.run().isOk());
}

TEST(SignalTest, HannWindowPeriodicAndSymmetric) {
  SingleNode p("HannWindow", {Tensor::scalar<int64_t>(4)}, 1, 17);
  auto r = p.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectValues((*r)[0], {0, 0.5, 1, 0.5});

  SingleNode s("HannWindow", {Tensor::scalar<int64_t>(3)}, 1, 17);
  s.node->attrs["periodic"] = Attribute::makeInt(0);
  r = s.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectValues((*r)[0], {0, 1, 0});
}

TEST(SignalTest, StftFrameCount) {
  // Length 6, frame 4, step 2 -> 2 frames of 3 one-sided bins.
  SingleNode n("STFT",
               {f32({1, 6, 1}, {1, 1, 1, 1, 1, 1}), Tensor::scalar<int64_t>(2),
                f32({4}, {1, 1, 1, 1})},
               1, 17);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{1, 2, 3, 2}));
  expectValues((*r)[0], {4, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0});
}

TEST(SignalTest, NegativeWindowSizeIsRejected) {
  SingleNode n("HammingWindow", {Tensor::scalar<int64_t>(-3)}, 1, 17);
  EXPECT_FALSE(n.run().isOk());
}
