// Hand-computed GridSample / AffineGrid / RoiAlign / NonMaxSuppression cases.
#include "KernelTestUtil.h"

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

} // namespace

TEST(ImageTest, AffineGridIdentityAlignCorners) {
  SingleNode n("AffineGrid",
               {f32({1, 2, 3}, {1, 0, 0, 0, 1, 0}),
                Tensor::fromVector<int64_t>({4}, {1, 1, 2, 2})},
               1, 20);
  n.node->attrs["align_corners"] = Attribute::makeInt(1);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{1, 2, 2, 2}));
  expectValues((*r)[0], {-1, -1, 1, -1, -1, 1, 1, 1});
}

TEST(ImageTest, GridSampleCornersAndZeroPadding) {
  // 2x2 image; sample the four corners (align_corners) and a point far
  // outside (zeros padding -> 0).
  SingleNode n("GridSample",
               {f32({1, 1, 2, 2}, {1, 2, 3, 4}),
                f32({1, 1, 5, 2}, {-1, -1, 1, -1, -1, 1, 1, 1, 5, 5})},
               1, 20);
  n.node->attrs["align_corners"] = Attribute::makeInt(1);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectValues((*r)[0], {1, 2, 3, 4, 0});
}

TEST(ImageTest, GridSampleBadGridShapeIsRejected) {
  SingleNode n("GridSample",
               {f32({1, 1, 2, 2}, {1, 2, 3, 4}), f32({1, 1, 1, 3}, {0, 0, 0})},
               1, 20);
  EXPECT_FALSE(n.run().isOk());
}

TEST(ImageTest, NmsSuppressesOverlapKeepsDistinct) {
  // Boxes 0 and 1 overlap (IoU 0.81); box 2 is far away.
  Tensor boxes = f32({1, 3, 4}, {0, 0, 1, 1, 0, 0, 0.9f, 0.9f, 5, 5, 6, 6});
  Tensor scores = f32({1, 1, 3}, {0.9f, 0.8f, 0.7f});
  SingleNode n("NonMaxSuppression",
               {boxes, scores, Tensor::fromVector<int64_t>({1}, {10}),
                f32({1}, {0.5f})},
               1, 11);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{2, 3}));
  expectValues((*r)[0], {0, 0, 0, 0, 0, 2});
}

TEST(ImageTest, RoiAlignBadBatchIndexIsRejected) {
  SingleNode n("RoiAlign",
               {f32({1, 1, 2, 2}, {1, 2, 3, 4}), f32({1, 4}, {0, 0, 1, 1}),
                Tensor::fromVector<int64_t>({1}, {3})},
               1, 16);
  EXPECT_FALSE(n.run().isOk());
}

TEST(ImageTest, RoiAlignAverageOfConstantImage) {
  SingleNode n("RoiAlign",
               {f32({1, 1, 4, 4}, std::vector<float>(16, 2.5f)),
                f32({1, 4}, {0, 0, 3, 3}),
                Tensor::fromVector<int64_t>({1}, {0})},
               1, 16);
  n.node->attrs["output_height"] = Attribute::makeInt(2);
  n.node->attrs["output_width"] = Attribute::makeInt(2);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectValues((*r)[0], {2.5, 2.5, 2.5, 2.5});
}
