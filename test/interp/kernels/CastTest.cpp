// Hand-computed edge cases of Cast / CastLike.
#include "KernelTestUtil.h"

#include <cmath>
#include <limits>

using namespace edgec;
using edgec::test::SingleNode;

namespace {

template <typename T> std::vector<T> values(const Tensor &t) {
  return std::vector<T>(t.data<T>(), t.data<T>() + t.numElements());
}

Expected<std::vector<Tensor>> cast(const Tensor &x, int64_t to,
                                   int64_t saturate = 1) {
  SingleNode n("Cast", {x});
  n.node->attrs["to"] = Attribute::makeInt(to);
  n.node->attrs["saturate"] = Attribute::makeInt(saturate);
  return n.run();
}

} // namespace

TEST(CastTest, FloatToIntTruncatesAndClampsWithoutUB) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  auto r = cast(Tensor::fromVector<float>({4}, {-2.7f, 2.7f, 1e20f, nan}),
                6 /* INT32 */);
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(
      values<int32_t>((*r)[0]),
      (std::vector<int32_t>{-2, 2, std::numeric_limits<int32_t>::max(), 0}));
}

TEST(CastTest, IntNarrowingWrapsAndBoolIsNonZero) {
  auto r = cast(Tensor::fromVector<int32_t>({3}, {300, -1, 0}), 2 /*UINT8*/);
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<uint8_t>((*r)[0]), (std::vector<uint8_t>{44, 255, 0}));
  r = cast(Tensor::fromVector<float>({3}, {0.f, -0.5f, 2.f}), 9 /*BOOL*/);
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<bool>((*r)[0]), (std::vector<bool>{false, true, true}));
}

TEST(CastTest, Float8SaturateAttribute) {
  Tensor x = Tensor::fromVector<float>({1}, {1e6f});
  auto sat = cast(x, 17 /* FLOAT8E4M3FN */, 1);
  ASSERT_TRUE(sat.isOk()) << sat.error().message();
  EXPECT_EQ((*sat)[0].getDouble(0), 448.0);
  auto nosat = cast(x, 17, 0);
  ASSERT_TRUE(nosat.isOk()) << nosat.error().message();
  EXPECT_TRUE(std::isnan((*nosat)[0].getDouble(0)));
}

TEST(CastTest, CastLikeTakesTargetType) {
  SingleNode n("CastLike", {Tensor::fromVector<double>({2}, {1.5, -1.5}),
                            Tensor::fromVector<int64_t>({1}, {0})});
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int64_t>((*r)[0]), (std::vector<int64_t>{1, -1}));
}

TEST(CastTest, UnknownTargetTypeIsAnError) {
  auto r = cast(Tensor::fromVector<float>({1}, {1}), 1000);
  EXPECT_FALSE(r.isOk());
}

TEST(CastTest, SubByteIntegersWrapLikeTheReference) {
  auto r = cast(Tensor::fromVector<float>({3}, {-9, 7, 8}), 22 /* INT4 */);
  ASSERT_TRUE(r.isOk()) << r.error().message();
  const Tensor &t = (*r)[0];
  EXPECT_EQ(t.getInt64(0), 7);
  EXPECT_EQ(t.getInt64(1), 7);
  EXPECT_EQ(t.getInt64(2), -8);
}
