// Hand-computed edge cases of the generator kernels (Constant forms,
// ConstantOfShape, Range, EyeLike).
#include "KernelTestUtil.h"

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

} // namespace

TEST(GeneratorTest, ConstantAttributeForms) {
  SingleNode n("Constant", {});
  n.node->attrs["value_ints"] = Attribute::makeInts({3, -4});
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].dtype(), DataType::Int64);
  EXPECT_EQ(values<int64_t>((*r)[0]), (std::vector<int64_t>{3, -4}));

  SingleNode f("Constant", {});
  f.node->attrs["value_float"] = Attribute::makeFloat(2.5f);
  r = f.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].rank(), 0u);
  EXPECT_EQ(values<float>((*r)[0]), (std::vector<float>{2.5f}));

  // No value attribute at all, or two of them, is invalid.
  EXPECT_FALSE(SingleNode("Constant", {}).run().isOk());
  f.node->attrs["value_int"] = Attribute::makeInt(1);
  EXPECT_FALSE(f.run().isOk());
}

TEST(GeneratorTest, ConstantOfShapeUsesValueType) {
  SingleNode n("ConstantOfShape", {vec<int64_t>({2}, {2, 1})});
  n.node->attrs["value"] = Attribute::makeTensor(vec<int32_t>({1}, {7}));
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].dtype(), DataType::Int32);
  EXPECT_EQ(values<int32_t>((*r)[0]), (std::vector<int32_t>{7, 7}));

  EXPECT_FALSE(
      SingleNode("ConstantOfShape", {vec<int64_t>({1}, {-2})}).run().isOk());
}

TEST(GeneratorTest, RangeCountsAndRejectsZeroDelta) {
  auto r = SingleNode("Range", {vec<int32_t>({}, {10}), vec<int32_t>({}, {3}),
                                vec<int32_t>({}, {-3})})
               .run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int32_t>((*r)[0]), (std::vector<int32_t>{10, 7, 4}));

  // Extreme int64 bounds must not overflow (the count is just too large).
  const int64_t lo = std::numeric_limits<int64_t>::min();
  const int64_t hi = std::numeric_limits<int64_t>::max();
  EXPECT_FALSE(SingleNode("Range", {vec<int64_t>({}, {lo}),
                                    vec<int64_t>({}, {hi}),
                                    vec<int64_t>({}, {1})})
                   .run()
                   .isOk());
  EXPECT_FALSE(SingleNode("Range", {vec<float>({}, {0}), vec<float>({}, {1}),
                                    vec<float>({}, {0})})
                   .run()
                   .isOk());
}

TEST(GeneratorTest, EyeLikeOffDiagonalWithDtype) {
  SingleNode n("EyeLike", {vec<float>({2, 3}, {9, 9, 9, 9, 9, 9})});
  n.node->attrs["k"] = Attribute::makeInt(1);
  n.node->attrs["dtype"] = Attribute::makeInt(6); // int32
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].dtype(), DataType::Int32);
  EXPECT_EQ(values<int32_t>((*r)[0]), (std::vector<int32_t>{0, 1, 0, 0, 0, 1}));
}
