// Hand-computed edge cases of the binary kernels: integer division and
// modulo semantics, division by zero, wrapping, broadcasting, Where.
#include "KernelTestUtil.h"

#include <cmath>
#include <limits>

using namespace edgec;
using edgec::test::SingleNode;

namespace {

template <typename T> Tensor vec(TensorShape s, std::vector<T> v) {
  return Tensor::fromVector<T>(std::move(s), v);
}

template <typename T> std::vector<T> values(const Tensor &t) {
  return std::vector<T>(t.data<T>(), t.data<T>() + t.numElements());
}

Expected<std::vector<Tensor>> run1(const std::string &op,
                                   const std::vector<Tensor> &ins,
                                   int64_t opset = 21) {
  SingleNode n(op, ins, 1, opset);
  return n.run();
}

} // namespace

TEST(BinaryTest, IntDivTruncatesTowardZeroAndZeroDivisorIsZero) {
  auto r =
      run1("Div",
           {vec<int32_t>({4}, {7, -7, 7, std::numeric_limits<int32_t>::min()}),
            vec<int32_t>({4}, {-2, 2, 0, -1})});
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(
      values<int32_t>((*r)[0]),
      (std::vector<int32_t>{-3, -3, 0, std::numeric_limits<int32_t>::min()}));
}

TEST(BinaryTest, ModFollowsDivisorSignUnlessFmod) {
  Tensor a = vec<int32_t>({4}, {-4, 7, 5, -5});
  Tensor b = vec<int32_t>({4}, {3, -3, 0, -1});
  auto r = run1("Mod", {a, b});
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int32_t>((*r)[0]), (std::vector<int32_t>{2, -2, 0, 0}));

  SingleNode f("Mod", {a, b});
  f.node->attrs["fmod"] = Attribute::makeInt(1);
  r = f.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int32_t>((*r)[0]), (std::vector<int32_t>{-1, 1, 0, 0}));
}

TEST(BinaryTest, AddBroadcastsAndWraps) {
  auto r =
      run1("Add", {vec<int8_t>({2, 1}, {127, 1}), vec<int8_t>({3}, {1, 2, 3})});
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{2, 3}));
  EXPECT_EQ(values<int8_t>((*r)[0]),
            (std::vector<int8_t>{-128, -127, -126, 2, 3, 4}));
}

TEST(BinaryTest, MaxPropagatesNaNAndBroadcastsVariadic) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  auto r = run1("Max", {vec<float>({2}, {1, nan}), vec<float>({1}, {3}),
                        vec<float>({2, 1}, {0, 5})});
  ASSERT_TRUE(r.isOk()) << r.error().message();
  std::vector<float> v = values<float>((*r)[0]);
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0], 3);
  EXPECT_TRUE(std::isnan(v[1]));
  EXPECT_EQ(v[2], 5);
  EXPECT_TRUE(std::isnan(v[3]));
}

TEST(BinaryTest, PowMixedTypesKeepsBaseType) {
  auto r = run1("Pow",
                {vec<int64_t>({3}, {2, 3, -2}), vec<float>({3}, {3, 0.5f, 2})});
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].dtype(), DataType::Int64);
  EXPECT_EQ(values<int64_t>((*r)[0]), (std::vector<int64_t>{8, 1, 4}));
}

TEST(BinaryTest, WhereBroadcastsThreeWays) {
  auto r = run1("Where", {vec<bool>({2, 1}, {true, false}),
                          vec<int64_t>({2}, {1, 2}), vec<int64_t>({}, {9})});
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int64_t>((*r)[0]), (std::vector<int64_t>{1, 2, 9, 9}));
}

TEST(BinaryTest, BitShiftByWidthGivesZero) {
  SingleNode n("BitShift",
               {vec<uint8_t>({2}, {1, 128}), vec<uint8_t>({2}, {8, 7})});
  n.node->attrs["direction"] = Attribute::makeString("LEFT");
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<uint8_t>((*r)[0]), (std::vector<uint8_t>{0, 0}));
}

TEST(BinaryTest, IncompatibleShapesAreAnError) {
  auto r = run1("Mul", {vec<float>({2}, {1, 2}), vec<float>({3}, {1, 2, 3})});
  EXPECT_FALSE(r.isOk());
}

TEST(BinaryTest, MismatchedTypesAreAnError) {
  auto r = run1("Add", {vec<float>({1}, {1}), vec<int32_t>({1}, {1})});
  EXPECT_FALSE(r.isOk());
}
