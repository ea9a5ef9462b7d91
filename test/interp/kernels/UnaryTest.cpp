// Hand-computed edge cases of the unary kernels.
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

TEST(UnaryTest, RoundHalfToEven) {
  SingleNode n("Round", {Tensor::fromVector<float>(
                            {6}, {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.6f})});
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<float>((*r)[0]), (std::vector<float>{0, 2, 2, -0.f, -2, 3}));
}

TEST(UnaryTest, AbsAndNegWrapAtIntMin) {
  int32_t mn = std::numeric_limits<int32_t>::min();
  Tensor x = Tensor::fromVector<int32_t>({3}, {mn, -3, 4});
  SingleNode a("Abs", {x});
  auto r = a.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int32_t>((*r)[0]), (std::vector<int32_t>{mn, 3, 4}));
  SingleNode ng("Neg", {x});
  r = ng.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int32_t>((*r)[0]), (std::vector<int32_t>{mn, 3, -4}));
}

TEST(UnaryTest, IsInfHonoursDirection) {
  float inf = std::numeric_limits<float>::infinity();
  SingleNode n("IsInf", {Tensor::fromVector<float>({3}, {inf, -inf, 1})});
  n.node->attrs["detect_positive"] = Attribute::makeInt(0);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].dtype(), DataType::Bool);
  EXPECT_EQ(values<bool>((*r)[0]), (std::vector<bool>{false, true, false}));
}

TEST(UnaryTest, SqrtOfIntegerIsAnError) {
  SingleNode n("Sqrt", {Tensor::fromVector<int32_t>({1}, {4})});
  EXPECT_FALSE(n.run().isOk());
}
