#include "shape/ShapeInference.h"

#include "interp/ConstantEvaluation.h"
#include "onnx/OnnxImporter.h"

#include <gtest/gtest.h>

using namespace edgec;

namespace {
/// Imports with the interpreter evaluating constant subexpressions (as the
/// frontend's loaders do), or without it.
std::unique_ptr<Model> load(const std::string &text,
                            std::map<std::string, TensorShape> shapes = {},
                            bool evaluate = true) {
  ImportOptions o;
  o.inputShapes = std::move(shapes);
  o.evaluator = evaluate ? &interpreterEvaluator() : nullptr;
  auto m = importOnnxText(text, o);
  EXPECT_TRUE(m.isOk()) << (m.isOk() ? "" : m.error().message());
  return m.isOk() ? m.take() : nullptr;
}
} // namespace

// Shape -> Gather -> Concat -> Reshape must become static when the input is.
TEST(ShapeInferenceTest, ShapeGatherConcatReshapeChainFolds) {
  const char *text = R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[N, 3, 4] x) => (float[?, ?] y) {
      s = Shape(x)
      i0 = Constant<value = int64[1] {0}>()
      n = Gather<axis = 0>(s, i0)
      m1 = Constant<value = int64[1] {-1}>()
      shp = Concat<axis = 0>(n, m1)
      y = Reshape(x, shp)
    }
  )";
  auto dyn = load(text);
  ASSERT_TRUE(dyn);
  const Value *y = dyn->graph->outputs[0];
  ASSERT_TRUE(y->type.hasRank);
  EXPECT_FALSE(y->type.isStatic()); // N is unknown
  EXPECT_EQ(y->type.dims[1].value, -1);

  auto fixed = load(text, {{"x", {2, 3, 4}}});
  ASSERT_TRUE(fixed);
  y = fixed->graph->outputs[0];
  ASSERT_TRUE(y->type.isStatic()) << y->type.str();
  EXPECT_EQ(y->type.staticShape(), (TensorShape{2, 12}));

  // Without an evaluator Shape of a static input is still a constant, but
  // Gather and Concat of it are not evaluated: Reshape's output rank comes
  // from the shape input's length only.
  auto noEval = load(text, {{"x", {2, 3, 4}}}, false);
  ASSERT_TRUE(noEval);
  y = noEval->graph->outputs[0];
  ASSERT_TRUE(y->type.hasRank) << y->type.str();
  EXPECT_FALSE(y->type.isStatic()) << y->type.str();
}

TEST(ShapeInferenceTest, ElementwiseBroadcastKeepsSymbols) {
  auto m = load(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[N, 1, 5] a, float[4, 1] b) => (float[?, ?, ?] y) {
      y = Add(a, b)
    }
  )");
  ASSERT_TRUE(m);
  const TensorType &t = m->graph->outputs[0]->type;
  EXPECT_EQ(t.str(), "f32[N,4,5]");
}
