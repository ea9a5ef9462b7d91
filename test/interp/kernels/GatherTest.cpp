// Hand-computed edge cases of the gather/scatter kernels: negative and
// out-of-range indices, batch dims, reductions with duplicates, OneHot,
// Trilu with extreme k, NonZero.
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

TEST(GatherTest, GatherNegativeIndicesAndRangeError) {
  Tensor x = vec<int32_t>({2, 3}, {1, 2, 3, 4, 5, 6});
  SingleNode n("Gather", {x, vec<int64_t>({2}, {-1, 0})});
  n.node->attrs["axis"] = Attribute::makeInt(1);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int32_t>((*r)[0]), (std::vector<int32_t>{3, 1, 6, 4}));

  r = SingleNode("Gather", {x, vec<int64_t>({1}, {2})}).run();
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidInput);
}

TEST(GatherTest, GatherNDWithBatchDims) {
  Tensor x = vec<int32_t>({2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
  SingleNode n("GatherND", {x, vec<int64_t>({2, 1}, {1, 0})});
  n.node->attrs["batch_dims"] = Attribute::makeInt(1);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{2, 2}));
  EXPECT_EQ(values<int32_t>((*r)[0]), (std::vector<int32_t>{2, 3, 4, 5}));
}

TEST(GatherTest, ScatterReductionsAccumulateDuplicates) {
  SingleNode n("ScatterND", {vec<int64_t>({3}, {1, 1, 1}),
                             vec<int64_t>({3, 1}, {0, 0, 2}),
                             vec<int64_t>({3}, {5, 6, 7})});
  n.node->attrs["reduction"] = Attribute::makeString("add");
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int64_t>((*r)[0]), (std::vector<int64_t>{12, 1, 8}));

  // int8 multiplication wraps instead of overflowing.
  SingleNode m("ScatterElements", {vec<int8_t>({2}, {100, 3}),
                                   vec<int64_t>({2}, {0, 0}),
                                   vec<int8_t>({2}, {2, 2})});
  m.node->attrs["reduction"] = Attribute::makeString("mul");
  r = m.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int8_t>((*r)[0]), (std::vector<int8_t>{(int8_t)400, 3}));

  SingleNode bad("ScatterElements", {vec<int8_t>({2}, {1, 2}),
                                     vec<int64_t>({1}, {5}),
                                     vec<int8_t>({1}, {0})});
  EXPECT_FALSE(bad.run().isOk());
}

TEST(GatherTest, OneHotWrapsNegativeAndSkipsOutOfRange) {
  auto r = SingleNode("OneHot", {vec<int64_t>({3}, {-1, 5, 0}),
                                 vec<float>({}, {3}),
                                 vec<int32_t>({2}, {0, 9})})
               .run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{3, 3}));
  EXPECT_EQ(values<int32_t>((*r)[0]),
            (std::vector<int32_t>{0, 0, 9, 0, 0, 0, 9, 0, 0}));
}

TEST(GatherTest, TriluExtremeKAndNonZero) {
  Tensor x = vec<int32_t>({2, 2}, {1, 2, 3, 4});
  auto r = SingleNode("Trilu", {x, vec<int64_t>(
                                       {}, {std::numeric_limits<int64_t>::min()})})
               .run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int32_t>((*r)[0]), (std::vector<int32_t>{1, 2, 3, 4}));

  SingleNode lower("Trilu", {x});
  lower.node->attrs["upper"] = Attribute::makeInt(0);
  r = lower.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int32_t>((*r)[0]), (std::vector<int32_t>{1, 0, 3, 4}));

  r = SingleNode("NonZero", {vec<int32_t>({2, 2}, {0, 7, 8, 0})}).run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{2, 2}));
  EXPECT_EQ(values<int64_t>((*r)[0]), (std::vector<int64_t>{0, 1, 1, 0}));
}
