// Hand-computed Resize / Upsample cases: coordinate transforms, nearest
// rounding, inference of static shapes and rejection of bad parameters.
#include "KernelTestUtil.h"
#include "interp/ConstantEvaluation.h"

#include "shape/ShapeInference.h"

using namespace edgec;
using edgec::test::SingleNode;

namespace {

Tensor f32(TensorShape s, std::vector<float> v) {
  return Tensor::fromVector<float>(std::move(s), v);
}

void expectValues(const Tensor &t, const std::vector<double> &want) {
  std::vector<double> got = t.toDoubleVector();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 1e-5) << "element " << i;
}

/// Resize-13 node with X, (empty roi), scales or sizes.
SingleNode resizeNode(Tensor x, std::vector<float> scales,
                      std::vector<int64_t> sizes) {
  std::vector<Tensor> ins{x, f32({0}, {})};
  ins.push_back(f32({(int64_t)scales.size()}, scales));
  if (!sizes.empty())
    ins.push_back(Tensor::fromVector<int64_t>({(int64_t)sizes.size()}, sizes));
  return SingleNode("Resize", ins, 1, 13);
}

} // namespace

TEST(ResizeTest, LinearAlignCornersUpsample) {
  // [0, 3] -> 4 points with align_corners: 0, 1, 2, 3.
  SingleNode n = resizeNode(f32({1, 2}, {0, 3}), {}, {1, 4});
  n.node->attrs["mode"] = Attribute::makeString("linear");
  n.node->attrs["coordinate_transformation_mode"] =
      Attribute::makeString("align_corners");
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectValues((*r)[0], {0, 1, 2, 3});
}

TEST(ResizeTest, LinearHalfPixelClampsAtEdges) {
  // half_pixel x2: sources -0.25, 0.25, 0.75, 1.25 -> 0, 0.25, 0.75, 1.
  SingleNode n = resizeNode(f32({2}, {0, 1}), {2.0f}, {});
  n.node->attrs["mode"] = Attribute::makeString("linear");
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectValues((*r)[0], {0, 0.25, 0.75, 1});
}

TEST(ResizeTest, NearestModesRoundDifferently) {
  // asymmetric x0.5 downsample of length 4 -> sources 0 and 2 exactly;
  // with scale 2/3 (length 3 -> 2) sources 0 and 1.5.
  for (auto [mode, want] :
       {std::pair<const char *, double>{"round_prefer_floor", 1},
        {"round_prefer_ceil", 2},
        {"floor", 1},
        {"ceil", 2}}) {
    SingleNode n = resizeNode(f32({3}, {0, 1, 2}), {}, {2});
    n.node->attrs["coordinate_transformation_mode"] =
        Attribute::makeString("asymmetric");
    n.node->attrs["nearest_mode"] = Attribute::makeString(mode);
    auto r = n.run();
    ASSERT_TRUE(r.isOk()) << r.error().message();
    expectValues((*r)[0], {0, want});
  }
}

TEST(ResizeTest, UpsampleOpset7UsesAttributeScales) {
  SingleNode n("Upsample", {f32({1, 2}, {1, 2})}, 1, 7);
  n.node->attrs["scales"] = Attribute::makeFloats({1, 2});
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{1, 4}));
  expectValues((*r)[0], {1, 1, 2, 2});
}

TEST(ResizeTest, ScalesAndSizesTogetherAreRejected) {
  SingleNode n = resizeNode(f32({2}, {0, 1}), {2.0f}, {4});
  EXPECT_FALSE(n.run().isOk());
}

TEST(ResizeTest, NonPositiveScaleIsRejected) {
  SingleNode n = resizeNode(f32({2}, {0, 1}), {-1.0f}, {});
  auto r = n.run();
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.error().message().find("scales"), std::string::npos);
}

TEST(ResizeTest, ConstantScalesGiveStaticShape) {
  SingleNode n("Resize", {f32({1, 1, 2, 3}, std::vector<float>(6, 0))}, 1, 13);
  Graph &g = *n.model.graph;
  Value *roi = g.addInitializer("roi", f32({0}, {}));
  Value *scales = g.addInitializer("scales", f32({4}, {1, 1, 2, 1.5f}));
  n.node->inputs = {n.node->inputs[0], roi, scales};
  ASSERT_TRUE(inferShapes(n.model, interpreterShapeInference()).isOk());
  const TensorType &t = n.node->outputs[0]->type;
  ASSERT_TRUE(t.isStatic()) << t.str();
  EXPECT_EQ(t.staticShape(), (TensorShape{1, 1, 4, 4}));
}
