#include "tensorio/NpyIO.h"

#include <gtest/gtest.h>

using namespace edgec;

TEST(NpyIOTest, RoundTripKeepsTypeShapeAndData) {
  Tensor t = Tensor::fromVector<int16_t>({2, 3}, {1, -2, 3, -4, 5, -32768});
  std::string bytes = serializeNpy(t);
  EXPECT_EQ(bytes.substr(0, 6), "\x93NUMPY");
  EXPECT_EQ((10 + (unsigned char)bytes[8]) % 64, 0u); // header aligned
  auto back = parseNpy(bytes, "t.npy");
  ASSERT_TRUE(back.isOk()) << back.error().message();
  EXPECT_TRUE(back->identical(t));
}

TEST(NpyIOTest, ScalarAndOneDimShapes) {
  for (TensorShape s : {TensorShape{}, TensorShape{5}}) {
    Tensor t(DataType::Float32, s);
    auto back = parseNpy(serializeNpy(t), "x");
    ASSERT_TRUE(back.isOk());
    EXPECT_EQ(back->shape(), s);
  }
}

TEST(NpyIOTest, RejectsBadFiles) {
  EXPECT_EQ(parseNpy("hello", "f").error().code(), ErrorCode::InvalidInput);
  Tensor t = Tensor::fromVector<float>({4}, {1, 2, 3, 4});
  std::string b = serializeNpy(t);
  auto trunc = parseNpy(b.substr(0, b.size() - 1), "f.npy");
  ASSERT_FALSE(trunc.isOk());
  EXPECT_NE(trunc.error().message().find("f.npy"), std::string::npos);
  std::string fortran = b;
  auto p = fortran.find("False");
  fortran.replace(p, 5, "True ");
  EXPECT_FALSE(parseNpy(fortran, "f").isOk());
  std::string obj = b;
  obj.replace(obj.find("<f4"), 3, "|O8");
  EXPECT_FALSE(parseNpy(obj, "f").isOk());
}
