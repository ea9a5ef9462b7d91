// Unit tests for the pooling kernels (Pool.cpp).
#include "KernelTestUtil.h"
#include "interp/ConstantEvaluation.h"
#include "shape/ShapeInference.h"

namespace edgec::test {
namespace {

TEST(MaxPoolTest, IndicesInColumnMajorStorageOrder) {
  Tensor x = Tensor::fromVector<float>({1, 1, 2, 2}, {1, 4, 3, 2});
  SingleNode t("MaxPool", {x}, 2);
  t.node->attrs["kernel_shape"] = Attribute::makeInts({2, 2});
  t.node->attrs["storage_order"] = Attribute::makeInt(1);
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].data<float>()[0], 4.0f);
  // Element (0, 1) is at column-major offset 0 + 1 * 2.
  EXPECT_EQ((*r)[1].data<int64_t>()[0], 2);
}

TEST(AveragePoolTest, CeilModeDropsWindowStartingInPadding) {
  // in 3, k 2, s 2, pad end 1: ceil gives 3 windows, but the third would
  // start at 4 >= in + padBegin and is dropped.
  Tensor x = Tensor::fromVector<float>({1, 1, 4}, {1, 2, 3, 4});
  SingleNode t("AveragePool", {x});
  t.node->attrs["kernel_shape"] = Attribute::makeInts({2});
  t.node->attrs["strides"] = Attribute::makeInts({2});
  t.node->attrs["pads"] = Attribute::makeInts({0, 1});
  t.node->attrs["ceil_mode"] = Attribute::makeInt(1);
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  ASSERT_EQ((*r)[0].shape(), (TensorShape{1, 1, 2}));
  EXPECT_EQ((*r)[0].data<float>()[1], 3.5f);
}

TEST(AveragePoolTest, CountIncludePad) {
  Tensor x = Tensor::fromVector<float>({1, 1, 2}, {2, 4});
  SingleNode t("AveragePool", {x});
  t.node->attrs["kernel_shape"] = Attribute::makeInts({2});
  t.node->attrs["pads"] = Attribute::makeInts({1, 0});
  t.node->attrs["count_include_pad"] = Attribute::makeInt(1);
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].data<float>()[0], 1.0f); // (0 + 2) / 2
  EXPECT_EQ((*r)[0].data<float>()[1], 3.0f);
}

TEST(PoolTest, KernelLargerThanInputIsAnError) {
  Tensor x(DataType::Float32, {1, 1, 2, 2});
  SingleNode t("MaxPool", {x});
  t.node->attrs["kernel_shape"] = Attribute::makeInts({3, 3});
  EXPECT_FALSE(t.run().isOk());
}

TEST(PoolTest, MissingKernelShapeIsAnError) {
  Tensor x(DataType::Float32, {1, 1, 2, 2});
  SingleNode t("AveragePool", {x});
  EXPECT_FALSE(t.run().isOk());
}

TEST(GlobalLpPoolTest, PNorm) {
  Tensor x = Tensor::fromVector<float>({1, 1, 2}, {3, -4});
  SingleNode t("GlobalLpPool", {x});
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  ASSERT_EQ((*r)[0].shape(), (TensorShape{1, 1, 1}));
  EXPECT_FLOAT_EQ((*r)[0].data<float>()[0], 5.0f);
}

TEST(MaxUnpoolTest, OutOfRangeIndexIsAnError) {
  Tensor x = Tensor::fromVector<float>({1, 1, 1, 1}, {7});
  Tensor i = Tensor::fromVector<int64_t>({1, 1, 1, 1}, {99});
  SingleNode t("MaxUnpool", {x, i});
  t.node->attrs["kernel_shape"] = Attribute::makeInts({2, 2});
  t.node->attrs["strides"] = Attribute::makeInts({2, 2});
  EXPECT_FALSE(t.run().isOk());
}

TEST(MaxPoolTest, InferenceWithCeilModeAndSymbolicBatch) {
  Tensor x(DataType::Float32, {1, 2, 5, 5});
  SingleNode t("MaxPool", {x});
  t.node->attrs["kernel_shape"] = Attribute::makeInts({2, 2});
  t.node->attrs["strides"] = Attribute::makeInts({2, 2});
  t.node->attrs["ceil_mode"] = Attribute::makeInt(1);
  t.node->inputs[0]->type =
      TensorType(DataType::Float32, {Dim::symbolic("B"), Dim::fixed(2),
                                     Dim::fixed(5), Dim::unknown()});
  ASSERT_TRUE(inferShapes(t.model, interpreterShapeInference()).isOk());
  EXPECT_EQ(t.node->outputs[0]->type.str(), "f32[B,2,3,?]");
}

} // namespace
} // namespace edgec::test
