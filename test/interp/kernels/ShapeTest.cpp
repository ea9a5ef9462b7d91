// Hand-computed edge cases of the shape kernels (Reshape, Slice, Split,
// Squeeze, Concat, Transpose) and of their shape inference.
#include "KernelTestUtil.h"
#include "interp/ConstantEvaluation.h"

#include "shape/ShapeInference.h"
#include "onnx/OnnxImporter.h"
#include "ImportOptions.h"

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

Tensor iota(TensorShape s) {
  Tensor t(DataType::Float32, s);
  for (int64_t i = 0; i < t.numElements(); ++i) t.data<float>()[i] = (float)i;
  return t;
}

/// Imports a textual model and returns the type of its first output.
std::string inferredOutput(const std::string &text) {
  auto m = importOnnxText(text, test::evaluating());
  EXPECT_TRUE(m.isOk()) << (m.isOk() ? "" : m.error().message());
  if (!m.isOk()) return "";
  (void)inferShapesCollect(**m, interpreterShapeInference());
  return (*m)->graph->outputs[0]->type.str();
}

} // namespace

TEST(ShapeTest, ReshapeCopiesZeroAndInfersMinusOne) {
  auto r = SingleNode("Reshape", {iota({2, 3, 4}), vec<int64_t>({2}, {0, -1})})
               .run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{2, 12}));

  // allowzero=1: a 0 entry is a real zero-size dim.
  SingleNode z("Reshape", {iota({0, 4}), vec<int64_t>({2}, {4, 0})}, 1, 14);
  z.node->attrs["allowzero"] = Attribute::makeInt(1);
  r = z.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{4, 0}));
}

TEST(ShapeTest, ReshapeRejectsTwoMinusOnesAndWrongCounts) {
  auto r = SingleNode("Reshape",
                      {iota({2, 3}), vec<int64_t>({2}, {-1, -1})}).run();
  EXPECT_FALSE(r.isOk());
  r = SingleNode("Reshape", {iota({2, 3}), vec<int64_t>({1}, {5})}).run();
  EXPECT_FALSE(r.isOk());
}

TEST(ShapeTest, SliceNegativeStepClampsExtremeEnds) {
  const int64_t lo = std::numeric_limits<int64_t>::min();
  auto r = SingleNode("Slice", {iota({10}), vec<int64_t>({1}, {-1}),
                                vec<int64_t>({1}, {lo}),
                                vec<int64_t>({1}, {0}),
                                vec<int64_t>({1}, {-3})})
               .run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<float>((*r)[0]), (std::vector<float>{9, 6, 3, 0}));

  const int64_t hi = std::numeric_limits<int64_t>::max();
  r = SingleNode("Slice", {iota({2, 5}), vec<int64_t>({1}, {3}),
                           vec<int64_t>({1}, {hi}), vec<int64_t>({1}, {-1})})
          .run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{2, 2}));
  EXPECT_EQ(values<float>((*r)[0]), (std::vector<float>{3, 4, 8, 9}));
}

TEST(ShapeTest, SliceRejectsZeroStep) {
  auto r = SingleNode("Slice", {iota({4}), vec<int64_t>({1}, {0}),
                                vec<int64_t>({1}, {4}), vec<int64_t>({1}, {0}),
                                vec<int64_t>({1}, {0})})
               .run();
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.error().message().find("step"), std::string::npos);
}

TEST(ShapeTest, SplitNumOutputsMakesLastChunkSmaller) {
  SingleNode n("Split", {iota({7})}, 3, 18);
  n.node->attrs["num_outputs"] = Attribute::makeInt(3);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<float>((*r)[0]), (std::vector<float>{0, 1, 2}));
  EXPECT_EQ(values<float>((*r)[2]), (std::vector<float>{6}));
}

TEST(ShapeTest, SqueezeOfNonUnitAxisFails) {
  auto r = SingleNode("Squeeze", {iota({1, 3}), vec<int64_t>({1}, {1})}).run();
  EXPECT_FALSE(r.isOk());
  r = SingleNode("Squeeze", {iota({1, 3, 1})}).run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{3}));
}

TEST(ShapeTest, TransposeAndConcatMove) {
  auto r = SingleNode("Transpose", {iota({2, 3})}).run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<float>((*r)[0]), (std::vector<float>{0, 3, 1, 4, 2, 5}));

  SingleNode c("Concat", {iota({2, 1}), iota({2, 2})});
  c.node->attrs["axis"] = Attribute::makeInt(-1);
  r = c.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<float>((*r)[0]), (std::vector<float>{0, 0, 1, 1, 2, 3}));

  SingleNode bad("Concat", {iota({2, 1}), iota({3, 1})});
  bad.node->attrs["axis"] = Attribute::makeInt(1);
  EXPECT_FALSE(bad.run().isOk());
}

TEST(ShapeTest, InferenceKeepsSymbolsThroughReshapeAndSlice) {
  EXPECT_EQ(inferredOutput(R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[N, 3, 4] x) => (float y) {
      s = Constant<value = int64[2] {0, -1}>()
      y = Reshape(x, s)
    })"),
            "f32[N,12]");
  EXPECT_EQ(inferredOutput(R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[N, 3, 8] x) => (float y) {
      st = Constant<value = int64[1] {1}>()
      en = Constant<value = int64[1] {100}>()
      ax = Constant<value = int64[1] {-1}>()
      sp = Constant<value = int64[1] {2}>()
      y = Slice(x, st, en, ax, sp)
    })"),
            "f32[N,3,4]");
  EXPECT_EQ(inferredOutput(R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[N, 3] x) => (float y) {
      a = Constant<value = int64[2] {0, 3}>()
      y = Unsqueeze(x, a)
    })"),
            "f32[1,N,3,1]");
}

TEST(ShapeTest, HostileShapesFailCleanly) {
  // Zero elements, but a dim far beyond any tensor size limit.
  SingleNode big("Reshape",
                 {iota({0}), vec<int64_t>({2}, {int64_t(1) << 62, 0})}, 1, 14);
  big.node->attrs["allowzero"] = Attribute::makeInt(1);
  auto r = big.run();
  EXPECT_FALSE(r.isOk());
  // A huge step selects one element without overflowing step * stride.
  const int64_t hi = std::numeric_limits<int64_t>::max();
  r = SingleNode("Slice", {iota({3, 4}), vec<int64_t>({1}, {1}),
                           vec<int64_t>({1}, {hi}), vec<int64_t>({1}, {0}),
                           vec<int64_t>({1}, {hi})})
          .run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<float>((*r)[0]), (std::vector<float>{4, 5, 6, 7}));
}
