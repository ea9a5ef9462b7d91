#include "ir/Tensor.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace edgec;

TEST(TensorTest, ZeroFilledWithShape) {
  Tensor t(DataType::Float32, {2, 3});
  EXPECT_EQ(t.numElements(), 6);
  EXPECT_EQ(t.byteSize(), 24u);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(t.data<float>()[i], 0.0f);
}

TEST(TensorTest, CreateRejectsNegativeAndOverflowingShapes) {
  EXPECT_FALSE(Tensor::create(DataType::Float32, {2, -1}).isOk());
  EXPECT_FALSE(
      Tensor::create(DataType::Float32, {int64_t(1) << 40, int64_t(1) << 40})
          .isOk());
  auto big = Tensor::create(DataType::Float32, {int64_t(1) << 33});
  ASSERT_FALSE(big.isOk());
  EXPECT_EQ(big.error().code(), ErrorCode::Runtime);
}

TEST(TensorTest, CopiesShareReshapedKeepsDataCloneIsDeep) {
  Tensor a = Tensor::fromVector<int32_t>({4}, {1, 2, 3, 4});
  Tensor b = a.reshaped({2, 2});
  EXPECT_EQ(b.shape(), (TensorShape{2, 2}));
  EXPECT_EQ(b.data<int32_t>()[3], 4);
  Tensor c = a.clone();
  c.data<int32_t>()[0] = 9;
  EXPECT_EQ(a.data<int32_t>()[0], 1);
}

TEST(TensorTest, HalfRoundTripAndRounding) {
  EXPECT_EQ(halfToFloat(floatToHalf(1.0f)), 1.0f);
  EXPECT_EQ(halfToFloat(floatToHalf(65504.0f)), 65504.0f);
  EXPECT_TRUE(std::isinf(halfToFloat(floatToHalf(65520.0f))));
  // 1 + 2^-11 is a tie between 1 and 1+2^-10: rounds to even (1).
  EXPECT_EQ(halfToFloat(floatToHalf(1.0f + 1.0f / 2048)), 1.0f);
  EXPECT_EQ(halfToFloat(floatToHalf(5.9604645e-08f)), 5.9604645e-08f);
  EXPECT_TRUE(std::isnan(halfToFloat(floatToHalf(NAN))));
  EXPECT_EQ(bfloat16ToFloat(floatToBFloat16(1.0f)), 1.0f);
}

TEST(TensorTest, CastAndAccessors) {
  Tensor a = Tensor::fromVector<float>({3}, {1.7f, -2.2f, 0.0f});
  Tensor b = a.castTo(DataType::Int32);
  EXPECT_EQ(b.toInt64Vector(), (std::vector<int64_t>{1, -2, 0}));
  Tensor c = a.castTo(DataType::Bool);
  EXPECT_EQ(c.toInt64Vector(), (std::vector<int64_t>{1, 1, 0}));
  EXPECT_TRUE(a.identical(a.clone()));
  EXPECT_FALSE(a.identical(b));
}
