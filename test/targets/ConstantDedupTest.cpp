// The lowered program stores equal constants once: the same element type
// class and the same bytes give the same constant (found through a hash of
// the contents, then compared byte for byte), anything else a new one.
#include "targets/common/ProgramBuilder.h"

#include <gtest/gtest.h>

#include <vector>

using namespace edgec;
using namespace edgec::target;

TEST(ConstantDedup, EqualContentsShareOneConstant) {
  ProgramBuildState s;
  const std::vector<float> a = {1.0f, 2.0f, 3.0f}, b = {1.0f, 2.0f, 3.0f}, c = {1.0f, 2.0f, 4.0f};
  bool added = false;
  int ia = s.addConstant("a", DataType::Float32, a.data(), a.size(), "", &added);
  EXPECT_TRUE(added);
  int ib = s.addConstant("b", DataType::Float32, b.data(), b.size(), "", &added);
  EXPECT_FALSE(added);
  EXPECT_EQ(ia, ib);
  int ic = s.addConstant("c", DataType::Float32, c.data(), c.size(), "", &added);
  EXPECT_TRUE(added);
  EXPECT_NE(ia, ic);
  ASSERT_EQ(s.program.constants.size(), 2u);
  EXPECT_EQ(s.program.constants[size_t(ic)].bytes.size(), 12u);
}

TEST(ConstantDedup, TypeAndSizeAreCompared) {
  ProgramBuildState s;
  const std::vector<uint8_t> bytes = {0, 1, 1, 0};
  int u8 = s.addConstant("u", DataType::UInt8, bytes.data(), 4, "");
  int b = s.addConstant("b", DataType::Bool, bytes.data(), 4, "");
  int i8 = s.addConstant("i", DataType::Int8, bytes.data(), 4, "");
  int shorter = s.addConstant("s", DataType::UInt8, bytes.data(), 3, "");
  int empty1 = s.addConstant("e", DataType::UInt8, bytes.data(), 0, "");
  int empty2 = s.addConstant("f", DataType::UInt8, nullptr, 0, "");
  EXPECT_EQ(u8, b); // bool and uint8 are the same bytes to a kernel
  EXPECT_NE(u8, i8);
  EXPECT_NE(u8, shorter);
  EXPECT_EQ(empty1, empty2);
  EXPECT_EQ(s.program.constants.size(), 4u);
}
