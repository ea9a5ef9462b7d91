// Unit tests for the quantization kernels (Quantize.cpp).
#include "KernelTestUtil.h"

namespace edgec::test {
namespace {

TEST(QuantizeLinearTest, RoundHalfToEvenAndSaturate) {
  Tensor x = Tensor::fromVector<float>({5}, {0.5f, 1.5f, 2.5f, -300, 300});
  Tensor s = Tensor::scalar<float>(1.0f);
  Tensor z = Tensor::scalar<int8_t>(0);
  SingleNode t("QuantizeLinear", {x, s, z});
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  std::vector<int8_t> want{0, 2, 2, -128, 127};
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_EQ((*r)[0].data<int8_t>()[i], want[i]) << i;
}

TEST(QuantizeLinearTest, PerAxisDefaultsToUInt8) {
  Tensor x = Tensor::fromVector<float>({2, 2}, {1, 1, 1, 1});
  Tensor s = Tensor::fromVector<float>({2}, {0.5f, 0.25f});
  SingleNode t("QuantizeLinear", {x, s});
  t.node->attrs["axis"] = Attribute::makeInt(0);
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  ASSERT_EQ((*r)[0].dtype(), DataType::UInt8);
  std::vector<uint8_t> want{2, 2, 4, 4};
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_EQ((*r)[0].data<uint8_t>()[i], want[i]);
}

TEST(QuantizeLinearTest, WrongScaleLengthIsAnError) {
  Tensor x(DataType::Float32, {2, 3});
  Tensor s = Tensor::fromVector<float>({2}, {1, 1});
  SingleNode t("QuantizeLinear", {x, s});
  t.node->attrs["axis"] = Attribute::makeInt(1);
  EXPECT_FALSE(t.run().isOk());
}

TEST(DequantizeLinearTest, BlockedScales) {
  Tensor x = Tensor::fromVector<int8_t>({1, 4}, {1, 2, 3, 4});
  Tensor s = Tensor::fromVector<float>({1, 2}, {1.0f, 10.0f});
  Tensor z = Tensor::fromVector<int8_t>({1, 2}, {0, 1});
  SingleNode t("DequantizeLinear", {x, s, z});
  t.node->attrs["axis"] = Attribute::makeInt(1);
  t.node->attrs["block_size"] = Attribute::makeInt(2);
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  std::vector<float> want{1, 2, 20, 30};
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_EQ((*r)[0].data<float>()[i], want[i]);
}

TEST(DynamicQuantizeLinearTest, AllZerosGivesZeroScale) {
  Tensor x(DataType::Float32, {3});
  SingleNode t("DynamicQuantizeLinear", {x}, 3);
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[1].data<float>()[0], 0.0f);
  EXPECT_EQ((*r)[2].data<uint8_t>()[0], 0);
  EXPECT_EQ((*r)[0].data<uint8_t>()[0], 0);
}

TEST(DynamicQuantizeLinearTest, RangeIncludesZero) {
  Tensor x = Tensor::fromVector<float>({2}, {1.0f, 2.55f});
  SingleNode t("DynamicQuantizeLinear", {x}, 3);
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_FLOAT_EQ((*r)[1].data<float>()[0], 0.01f);
  EXPECT_EQ((*r)[2].data<uint8_t>()[0], 0);
  EXPECT_EQ((*r)[0].data<uint8_t>()[1], 255);
}

} // namespace
} // namespace edgec::test
