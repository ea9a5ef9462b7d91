// Hand-computed edge cases of the activation kernels.
#include "KernelTestUtil.h"

#include <cmath>
#include <limits>

using namespace edgec;
using edgec::test::SingleNode;

namespace {

template <typename T> std::vector<T> values(const Tensor &t) {
  return std::vector<T>(t.data<T>(), t.data<T>() + t.numElements());
}

} // namespace

TEST(ActivationTest, ClipLegacyAttributesAndModernInputs) {
  Tensor x = Tensor::fromVector<float>({4}, {-5, 0, 5, 10});
  SingleNode legacy("Clip", {x}, 1, 6);
  legacy.node->attrs["min"] = Attribute::makeFloat(-1);
  legacy.node->attrs["max"] = Attribute::makeFloat(6);
  auto r = legacy.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<float>((*r)[0]), (std::vector<float>{-1, 0, 5, 6}));

  // min > max: everything becomes max.
  SingleNode modern(
      "Clip", {x, Tensor::scalar<float>(3), Tensor::scalar<float>(1)}, 1, 13);
  r = modern.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<float>((*r)[0]), (std::vector<float>{1, 1, 1, 1}));
}

TEST(ActivationTest, ClipOnIntegers) {
  SingleNode n("Clip",
               {Tensor::fromVector<int8_t>({3}, {-128, 0, 127}),
                Tensor::scalar<int8_t>(-1)},
               1, 13);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int8_t>((*r)[0]), (std::vector<int8_t>{-1, 0, 127}));
}

TEST(ActivationTest, PReluBroadcastsSlopePerChannel) {
  SingleNode n("PRelu", {Tensor::fromVector<float>({2, 2}, {-1, 2, -3, 4}),
                         Tensor::fromVector<float>({2}, {0.5f, 2})});
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<float>((*r)[0]), (std::vector<float>{-0.5f, 2, -1.5f, 4}));
}

TEST(ActivationTest, PReluRejectsSlopeWiderThanInput) {
  SingleNode n("PRelu", {Tensor::fromVector<float>({2}, {-1, 2}),
                         Tensor::fromVector<float>({2, 2}, {1, 1, 1, 1})});
  EXPECT_FALSE(n.run().isOk());
}

TEST(ActivationTest, SoftplusAndSigmoidAreStable) {
  SingleNode sp("Softplus", {Tensor::fromVector<float>({2}, {1000, -1000})});
  auto r = sp.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<float>((*r)[0]), (std::vector<float>{1000, 0}));
  SingleNode sg("Sigmoid", {Tensor::fromVector<float>({2}, {1000, -1000})});
  r = sg.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<float>((*r)[0]), (std::vector<float>{1, 0}));
}
