// Hand-computed edge cases of the layout kernels (Pad modes and negative
// pads, Tile, Expand, DepthToSpace, CenterCropPad).
#include "KernelTestUtil.h"

using namespace edgec;
using edgec::test::SingleNode;

namespace {

template <typename T> Tensor vec(TensorShape s, std::vector<T> v) {
  return Tensor::fromVector<T>(std::move(s), v);
}

template <typename T> std::vector<T> values(const Tensor &t) {
  return std::vector<T>(t.data<T>(), t.data<T>() + t.numElements());
}

Expected<std::vector<Tensor>> pad(const std::string &mode, Tensor x,
                                  std::vector<int64_t> pads) {
  SingleNode n("Pad", {x, vec<int64_t>({(int64_t)pads.size()}, pads)});
  n.node->attrs["mode"] = Attribute::makeString(mode);
  return n.run();
}

} // namespace

TEST(LayoutTest, PadModes) {
  Tensor x = vec<int32_t>({3}, {1, 2, 3});
  auto r = pad("reflect", x, {2, 2});
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int32_t>((*r)[0]),
            (std::vector<int32_t>{3, 2, 1, 2, 3, 2, 1}));
  r = pad("edge", x, {1, 2});
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int32_t>((*r)[0]), (std::vector<int32_t>{1, 1, 2, 3, 3, 3}));
  r = pad("wrap", x, {2, 1});
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int32_t>((*r)[0]), (std::vector<int32_t>{2, 3, 1, 2, 3, 1}));
}

TEST(LayoutTest, PadConstantValueAndNegativePadsCrop) {
  SingleNode n("Pad", {vec<int64_t>({4}, {1, 2, 3, 4}),
                       vec<int64_t>({2}, {-1, 2}),
                       vec<int64_t>({}, {int64_t(1) << 40})});
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int64_t>((*r)[0]),
            (std::vector<int64_t>{2, 3, 4, int64_t(1) << 40,
                                  int64_t(1) << 40}));
  // Cropping more than the axis holds is an error.
  EXPECT_FALSE(pad("constant", vec<int32_t>({2}, {1, 2}), {-2, -1}).isOk());
}

TEST(LayoutTest, TileAndExpand) {
  auto r = SingleNode("Tile", {vec<int32_t>({1, 2}, {1, 2}),
                               vec<int64_t>({2}, {2, 2})})
               .run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{2, 4}));
  EXPECT_EQ(values<int32_t>((*r)[0]),
            (std::vector<int32_t>{1, 2, 1, 2, 1, 2, 1, 2}));

  r = SingleNode("Expand", {vec<int32_t>({2, 1}, {1, 2}),
                            vec<int64_t>({3}, {2, 1, 3})})
          .run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{2, 2, 3}));
  EXPECT_EQ(values<int32_t>((*r)[0]),
            (std::vector<int32_t>{1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2}));

  EXPECT_FALSE(SingleNode("Expand", {vec<int32_t>({2}, {1, 2}),
                                     vec<int64_t>({1}, {3})})
                   .run()
                   .isOk());
}

TEST(LayoutTest, DepthToSpaceModes) {
  // C=4, b=2, H=W=1: DCR takes channels in (b1, b2) order, CRD likewise for
  // one output channel; both give [[0,1],[2,3]].
  Tensor x = vec<float>({1, 4, 1, 1}, {0, 1, 2, 3});
  for (const char *mode : {"DCR", "CRD"}) {
    SingleNode n("DepthToSpace", {x});
    n.node->attrs["blocksize"] = Attribute::makeInt(2);
    n.node->attrs["mode"] = Attribute::makeString(mode);
    auto r = n.run();
    ASSERT_TRUE(r.isOk()) << r.error().message();
    EXPECT_EQ((*r)[0].shape(), (TensorShape{1, 1, 2, 2}));
    EXPECT_EQ(values<float>((*r)[0]), (std::vector<float>{0, 1, 2, 3}));
  }
  // C=8, b=2: DCR channel of (c', b1, b2) is (b1*2+b2)*2+c', CRD c'*4+...
  Tensor y = vec<float>({1, 8, 1, 1}, {0, 1, 2, 3, 4, 5, 6, 7});
  SingleNode n("DepthToSpace", {y});
  n.node->attrs["blocksize"] = Attribute::makeInt(2);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<float>((*r)[0]),
            (std::vector<float>{0, 2, 4, 6, 1, 3, 5, 7}));
}

TEST(LayoutTest, CenterCropPadOddDifference) {
  SingleNode n("CenterCropPad", {vec<int32_t>({5}, {1, 2, 3, 4, 5}),
                                 vec<int64_t>({1}, {2})},
               1, 18);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int32_t>((*r)[0]), (std::vector<int32_t>{2, 3}));
  r = SingleNode("CenterCropPad", {vec<int32_t>({2}, {1, 2}),
                                   vec<int64_t>({1}, {5})},
                 1, 18)
          .run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(values<int32_t>((*r)[0]), (std::vector<int32_t>{0, 1, 2, 0, 0}));
}

TEST(LayoutTest, HugePadsOfEmptyTensorsDoNotAllocate) {
  auto r = pad("constant", vec<int32_t>({0, 1}, {}),
               {0, int64_t(1) << 39, 0, int64_t(1) << 39});
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{0, (int64_t(1) << 40) + 1}));
  EXPECT_FALSE(pad("constant", vec<int32_t>({1, 1}, {1}),
                   {0, int64_t(1) << 39, 0, int64_t(1) << 39})
                   .isOk());
}
