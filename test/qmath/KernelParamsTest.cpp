// Kernel parameter math shared by the interpreter's integer kernels and the
// code generators (qmath/KernelParams.h, qmath/LookupTable.h).
#include "qmath/KernelParams.h"

#include "ir/Annotations.h"
#include "qmath/LookupTable.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

using namespace edgec;
using namespace edgec::qmath;

namespace {

QuantParams perTensor(float scale, int64_t zp) {
  QuantParams q;
  q.scale = {scale};
  q.zeroPoint = {zp};
  return q;
}

} // namespace

TEST(KernelParamsTest, PerTensorParamsValidate) {
  Value v;
  v.quant = perTensor(0.5f, -3);
  auto ok = perTensorParams(&v, DataType::Int8, "input 0");
  ASSERT_TRUE(ok.isOk()) << ok.error().message();
  EXPECT_EQ(*ok, (TensorQ{0.5f, -3}));

  EXPECT_FALSE(perTensorParams(nullptr, DataType::Int8, "x").isOk());
  v.quant = perTensor(0.5f, 200); // outside int8
  auto zp = perTensorParams(&v, DataType::Int8, "input 0");
  ASSERT_FALSE(zp.isOk());
  EXPECT_EQ(zp.error().code(), ErrorCode::InvalidModel);
  EXPECT_NE(zp.error().message().find("input 0 zero point 200"), std::string::npos);
  v.quant = perTensor(-1.0f, 0);
  EXPECT_FALSE(perTensorParams(&v, DataType::Int8, "x").isOk());
  v.quant->scale = {0.1f, 0.2f};
  v.quant->zeroPoint = {};
  auto per = perTensorParams(&v, DataType::Int8, "x");
  ASSERT_FALSE(per.isOk());
  EXPECT_EQ(per.error().code(), ErrorCode::Unsupported);
}

TEST(KernelParamsTest, ChannelParamsBroadcastOrPerAxis) {
  Value w;
  w.quant = perTensor(0.25f, 0);
  auto b = channelParams(&w, DataType::Int8, 3, 0, "weights");
  ASSERT_TRUE(b.isOk()) << b.error().message();
  EXPECT_FALSE(b->perChannel);
  EXPECT_EQ(b->scale, (std::vector<float>{0.25f, 0.25f, 0.25f}));

  w.quant->scale = {0.1f, 0.2f};
  w.quant->zeroPoint = {0, 0};
  w.quant->axis = 0;
  auto p = channelParams(&w, DataType::Int8, 2, 0, "weights");
  ASSERT_TRUE(p.isOk()) << p.error().message();
  EXPECT_TRUE(p->perChannel);
  EXPECT_EQ(p->scale, (std::vector<float>{0.1f, 0.2f}));
  EXPECT_FALSE(channelParams(&w, DataType::Int8, 3, 0, "weights").isOk());
  auto axis = channelParams(&w, DataType::Int8, 2, 1, "weights");
  ASSERT_FALSE(axis.isOk());
  EXPECT_EQ(axis.error().code(), ErrorCode::Unsupported);
}

TEST(KernelParamsTest, RequantMultiplier) {
  auto half = requantMultiplier(0.5, "output");
  ASSERT_TRUE(half.isOk());
  EXPECT_EQ(*half, (QuantizedMultiplier{1 << 30, 0}));
  EXPECT_FALSE(requantMultiplier(-1.0, "output").isOk());
  auto huge = requantMultiplier(1e12, "output");
  ASSERT_FALSE(huge.isOk());
  EXPECT_EQ(huge.error().code(), ErrorCode::Unsupported);
}

TEST(KernelParamsTest, FusedActivationRanges) {
  Graph g;
  Value *x = g.addInput("x", TensorType(DataType::Int8, TensorShape{4}));
  Value *y = g.addValue("y", TensorType(DataType::Int8, TensorShape{4}));
  y->quant = perTensor(0.1f, -10);
  Node *n = g.addNode("Conv", {x}, {y}, "c");
  auto none = fusedActivationRange(*n);
  ASSERT_TRUE(none.isOk());
  EXPECT_EQ(none->min, -128);
  EXPECT_EQ(none->max, 127);

  n->attrs[kFusedActivationAttr] = Attribute::makeString("Relu");
  auto relu = fusedActivationRange(*n);
  ASSERT_TRUE(relu.isOk()) << relu.error().message();
  EXPECT_EQ(relu->min, -10); // quantized 0
  EXPECT_EQ(relu->max, 127);

  n->attrs[kFusedActivationAttr] = Attribute::makeString("LeakyRelu");
  EXPECT_EQ(fusedLeakyReluAlpha(*n), 0.01f);
  EXPECT_TRUE(fusedActivationRange(*n).isOk()); // the kernel applies it

  n->attrs[kFusedActivationAttr] = Attribute::makeString("Tanh");
  auto tanh = fusedActivationRange(*n);
  ASSERT_FALSE(tanh.isOk());
  EXPECT_EQ(tanh.error().code(), ErrorCode::Unsupported);
  EXPECT_FALSE(fusedLeakyReluAlpha(*n).has_value());
}

TEST(KernelParamsTest, QuantizedMeanOfEqualParamsTruncates) {
  // [[1, 2], [4, 7]] mean over axis 1: (3 / 2, 11 / 2) truncated.
  auto r = quantizedMean({1, 2, 4, 7}, {2, 2}, {false, true}, {0.5f, 0},
                         {0.5f, 0}, DataType::Int8);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(*r, (std::vector<int32_t>{1, 5}));
  auto overflow = quantizedMean({INT32_MAX, INT32_MAX}, {2}, {true},
                                {1.0f, 0}, {1.0f, 0}, DataType::Int32);
  ASSERT_FALSE(overflow.isOk());
  EXPECT_EQ(overflow.error().code(), ErrorCode::Runtime);
}

TEST(LookupTableTest, OpListHasNoDuplicates) {
  std::set<std::string> ops(std::begin(kLookupTableOps), std::end(kLookupTableOps));
  EXPECT_EQ(ops.size(), std::size(kLookupTableOps));
  EXPECT_TRUE(ops.count("Exp"));
  EXPECT_FALSE(ops.count("Sigmoid")); // fixed-point kernel, not a table
}

TEST(LookupTableTest, TableOfIdentityAndNaN) {
  // Identity with equal parameters maps every int8 value to itself.
  auto t = populateLookupTable({0.5f, 3}, DataType::Int8, {0.5f, 3}, DataType::Int8,
                               [](float v) { return v; });
  ASSERT_EQ(t.size(), 256u);
  for (int v = -128; v <= 127; ++v) EXPECT_EQ(t[(size_t)(v + 128)], v);
  EXPECT_EQ(lookupTableEntry(NAN, {0.5f, 3}, DataType::Int8), 3);
  EXPECT_EQ(lookupTableEntry(1e9f, {0.5f, 3}, DataType::Int8), 127);
}
