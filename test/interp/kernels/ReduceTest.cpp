// Hand-computed edge cases of the Reduce family (reductions, ArgMax/Min,
// CumSum, TopK, Unique) that the ONNX node tests do not cover.
#include "KernelTestUtil.h"
#include "onnx/OnnxImporter.h"
#include "ImportOptions.h"

#include <limits>

using namespace edgec;
using edgec::test::SingleNode;

namespace {

Tensor i64(TensorShape s, std::vector<int64_t> v) {
  return Tensor::fromVector<int64_t>(std::move(s), v);
}
Tensor f32(TensorShape s, std::vector<float> v) {
  return Tensor::fromVector<float>(std::move(s), v);
}
std::vector<int64_t> ints(const Tensor &t) { return t.toInt64Vector(); }

} // namespace

TEST(ReduceTest, AttributeAxesBeforeOpset13) {
  SingleNode n("ReduceSum", {f32({2, 2}, {1, 2, 3, 4})}, 1, 11);
  n.node->attrs["axes"] = Attribute::makeInts({1});
  n.node->attrs["keepdims"] = Attribute::makeInt(0);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{2}));
  EXPECT_EQ((*r)[0].toDoubleVector(), (std::vector<double>{3, 7}));
}

TEST(ReduceTest, NoopWithEmptyAxesIsIdentity) {
  SingleNode n("ReduceSum", {f32({2, 2}, {1, 2, 3, 4}), i64({0}, {})}, 1, 13);
  n.node->attrs["noop_with_empty_axes"] = Attribute::makeInt(1);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{2, 2}));
  EXPECT_EQ((*r)[0].toDoubleVector(), (std::vector<double>{1, 2, 3, 4}));
}

TEST(ReduceTest, EmptyAxesReduceAllWithoutNoop) {
  SingleNode n("ReduceMax", {f32({2, 2}, {1, 9, 3, 4}), i64({0}, {})}, 1, 18);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{1, 1}));
  EXPECT_EQ((*r)[0].getDouble(0), 9.0);
}

TEST(ReduceTest, IntegerMeanTruncatesAndProdWraps) {
  SingleNode mean("ReduceMean", {Tensor::fromVector<int32_t>({2}, {1, 2})}, 1,
                  11);
  auto r = mean.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].getInt64(0), 1);

  // 2^62 * 4 overflows int64: wraps to 0 instead of being UB.
  SingleNode prod("ReduceProd", {i64({2}, {int64_t(1) << 62, 4})}, 1, 11);
  r = prod.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].getInt64(0), 0);
}

TEST(ReduceTest, EmptyIntegerMaxIsLowest) {
  SingleNode n("ReduceMax", {Tensor(DataType::Int32, {2, 0}), i64({1}, {1})}, 1,
               18);
  n.node->attrs["keepdims"] = Attribute::makeInt(0);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(ints((*r)[0]),
            (std::vector<int64_t>{std::numeric_limits<int32_t>::lowest(),
                                  std::numeric_limits<int32_t>::lowest()}));
}

TEST(ReduceTest, BadAxesAreErrors) {
  SingleNode dup("ReduceSum", {f32({2, 2}, {1, 2, 3, 4}), i64({2}, {1, -1})});
  auto r = dup.run();
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.error().message().find("repeated"), std::string::npos);

  SingleNode range("ReduceL2", {f32({2, 2}, {1, 2, 3, 4}), i64({1}, {2})});
  EXPECT_FALSE(range.run().isOk());
}

TEST(ReduceTest, ArgMaxSelectLastIndex) {
  SingleNode n("ArgMax", {f32({1, 4}, {5, 1, 5, 2})}, 1, 13);
  n.node->attrs["axis"] = Attribute::makeInt(1);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(ints((*r)[0]), (std::vector<int64_t>{0}));
  n.node->attrs["select_last_index"] = Attribute::makeInt(1);
  r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{1, 1}));
  EXPECT_EQ(ints((*r)[0]), (std::vector<int64_t>{2}));
}

TEST(ReduceTest, ArgMinOfEmptyAxisIsError) {
  SingleNode n("ArgMin", {Tensor(DataType::Float32, {0, 3})}, 1, 13);
  EXPECT_FALSE(n.run().isOk());
}

TEST(ReduceTest, CumSumExclusiveReverse) {
  SingleNode n("CumSum", {f32({4}, {1, 2, 3, 4}), Tensor::scalar<int32_t>(0)},
               1, 14);
  n.node->attrs["exclusive"] = Attribute::makeInt(1);
  n.node->attrs["reverse"] = Attribute::makeInt(1);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].toDoubleVector(), (std::vector<double>{9, 7, 4, 0}));
}

TEST(ReduceTest, TopKAttributeFormAndTies) {
  // Opset 1: k is an attribute. Ties keep the lower index first.
  SingleNode n("TopK", {f32({5}, {3, 7, 7, 1, 7})}, 2, 1);
  n.node->attrs["k"] = Attribute::makeInt(3);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].toDoubleVector(), (std::vector<double>{7, 7, 7}));
  EXPECT_EQ(ints((*r)[1]), (std::vector<int64_t>{1, 2, 4}));
}

TEST(ReduceTest, TopKSmallestAndBadK) {
  SingleNode n("TopK", {f32({4}, {3, 1, 2, 0}), i64({1}, {2})}, 2, 11);
  n.node->attrs["largest"] = Attribute::makeInt(0);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].toDoubleVector(), (std::vector<double>{0, 1}));
  EXPECT_EQ(ints((*r)[1]), (std::vector<int64_t>{3, 1}));

  SingleNode bad("TopK", {f32({4}, {3, 1, 2, 0}), i64({1}, {5})}, 2, 11);
  EXPECT_FALSE(bad.run().isOk());
}

TEST(ReduceTest, UniqueUnsortedKeepsFirstOccurrenceOrder) {
  SingleNode n("Unique", {f32({6}, {2, 1, 1, 3, 4, 3})}, 4, 11);
  n.node->attrs["sorted"] = Attribute::makeInt(0);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].toDoubleVector(), (std::vector<double>{2, 1, 3, 4}));
  EXPECT_EQ(ints((*r)[1]), (std::vector<int64_t>{0, 1, 3, 4}));
  EXPECT_EQ(ints((*r)[2]), (std::vector<int64_t>{0, 1, 1, 2, 3, 2}));
  EXPECT_EQ(ints((*r)[3]), (std::vector<int64_t>{1, 2, 2, 1}));
}

TEST(ReduceTest, InferenceUsesConstantAxes) {
  auto m = importOnnxText(R"(
    <ir_version: 8, opset_import: ["" : 18]>
    g (float[N, 3, 4] x) => (float[?, ?] y, int64[?, ?, ?] a) {
      axes = Constant<value = int64[1] {-1}>()
      y = ReduceMean<keepdims = 0>(x, axes)
      a = ArgMax<axis = 1>(x)
    }
  )", test::evaluating());
  ASSERT_TRUE(m.isOk()) << m.error().message();
  EXPECT_EQ((*m)->graph->outputs[0]->type.str(), "f32[N,3]");
  EXPECT_EQ((*m)->graph->outputs[1]->type.str(), "i64[N,1,4]");
}
