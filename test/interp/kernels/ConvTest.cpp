// Unit tests for the convolution kernels (Conv.cpp).
#include "KernelTestUtil.h"
#include "interp/ConstantEvaluation.h"
#include "shape/ShapeInference.h"

namespace edgec::test {
namespace {

TEST(ConvTest, DepthwiseWithDilationPadAndBias) {
  // 2 channels, group 2, 1x3 kernel dilated by 2, pad 2 on both sides.
  Tensor x = Tensor::fromVector<float>({1, 2, 1, 4},
                                       {1, 2, 3, 4, 10, 20, 30, 40});
  Tensor w = Tensor::fromVector<float>({2, 1, 1, 3}, {1, 1, 1, 0, 1, 0});
  Tensor b = Tensor::fromVector<float>({2}, {0.5f, -1});
  SingleNode t("Conv", {x, w, b});
  t.node->attrs["group"] = Attribute::makeInt(2);
  t.node->attrs["dilations"] = Attribute::makeInts({1, 2});
  t.node->attrs["pads"] = Attribute::makeInts({0, 2, 0, 2});
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  const Tensor &y = (*r)[0];
  ASSERT_EQ(y.shape(), (TensorShape{1, 2, 1, 4}));
  // Channel 0 sums x[i-2], x[i], x[i+2].
  std::vector<float> want{1 + 3 + 0.5f, 2 + 4 + 0.5f, 1 + 3 + 0.5f,
                          2 + 4 + 0.5f, 9, 19, 29, 39};
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_FLOAT_EQ(y.data<float>()[i], want[i]) << i;
}

TEST(ConvTest, SameLowerPadsAtTheStart) {
  Tensor x = Tensor::fromVector<float>({1, 1, 4}, {1, 2, 3, 4});
  Tensor w = Tensor::fromVector<float>({1, 1, 2}, {1, 10});
  SingleNode t("Conv", {x, w});
  t.node->attrs["auto_pad"] = Attribute::makeString("SAME_LOWER");
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  std::vector<float> want{10, 21, 32, 43};
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_EQ((*r)[0].data<float>()[i], want[i]);
}

TEST(ConvTest, ChannelMismatchIsAnError) {
  Tensor x(DataType::Float32, {1, 3, 4, 4});
  Tensor w(DataType::Float32, {2, 2, 3, 3});
  SingleNode t("Conv", {x, w});
  auto r = t.run();
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.error().message().find("weights"), std::string::npos);
}

TEST(ConvTest, ZeroStrideIsAnError) {
  Tensor x(DataType::Float32, {1, 1, 4, 4});
  Tensor w(DataType::Float32, {1, 1, 3, 3});
  SingleNode t("Conv", {x, w});
  t.node->attrs["strides"] = Attribute::makeInts({0, 1});
  EXPECT_FALSE(t.run().isOk());
}

TEST(ConvTransposeTest, StridedOutputWithOutputPadding) {
  Tensor x = Tensor::fromVector<float>({1, 1, 2}, {1, 2});
  Tensor w = Tensor::fromVector<float>({1, 1, 2}, {1, 10});
  SingleNode t("ConvTranspose", {x, w});
  t.node->attrs["strides"] = Attribute::makeInts({2});
  t.node->attrs["output_padding"] = Attribute::makeInts({1});
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  ASSERT_EQ((*r)[0].shape(), (TensorShape{1, 1, 5}));
  std::vector<float> want{1, 10, 2, 20, 0};
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_EQ((*r)[0].data<float>()[i], want[i]);
}

TEST(ConvIntegerTest, SubtractsZeroPointsPerChannel) {
  Tensor x = Tensor::fromVector<uint8_t>({1, 1, 3}, {10, 11, 12});
  Tensor w = Tensor::fromVector<uint8_t>({2, 1, 1}, {3, 5});
  Tensor xz = Tensor::scalar<uint8_t>(10);
  Tensor wz = Tensor::fromVector<uint8_t>({2}, {1, 5});
  SingleNode t("ConvInteger", {x, w, xz, wz});
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  std::vector<int32_t> want{0, 2, 4, 0, 0, 0};
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_EQ((*r)[0].data<int32_t>()[i], want[i]);
}

TEST(ConvTest, InferenceKeepsSymbolicBatch) {
  Tensor x(DataType::Float32, {1, 3, 9, 9});
  Tensor w(DataType::Float32, {8, 3, 3, 3});
  SingleNode t("Conv", {x, w});
  t.node->attrs["strides"] = Attribute::makeInts({2, 2});
  t.node->attrs["auto_pad"] = Attribute::makeString("SAME_UPPER");
  t.node->inputs[0]->type =
      TensorType(DataType::Float32, {Dim::symbolic("N"), Dim::fixed(3),
                                     Dim::fixed(9), Dim::fixed(9)});
  ASSERT_TRUE(inferShapes(t.model, interpreterShapeInference()).isOk());
  EXPECT_EQ(t.node->outputs[0]->type.str(), "f32[N,8,5,5]");
}

} // namespace
} // namespace edgec::test
