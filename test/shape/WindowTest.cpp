// The window geometry rules (shape/Window.h) that kernels, inference and
// back ends share.
#include "shape/Window.h"

#include <gtest/gtest.h>

using namespace edgec;

namespace {

struct Out {
  int64_t size, pb, pe;
  bool operator==(const Out &o) const {
    return size == o.size && pb == o.pb && pe == o.pe;
  }
};
std::ostream &operator<<(std::ostream &os, const Out &o) {
  return os << "{" << o.size << ", " << o.pb << ", " << o.pe << "}";
}

Out sliding(AutoPad p, bool ceil, int64_t in, int64_t k, int64_t s, int64_t d,
            int64_t pb = 0, int64_t pe = 0) {
  int64_t out = windowOutputSize(p, ceil, in, k, s, d, pb, pe);
  return {out, pb, pe};
}

Out transposed(AutoPad p, int64_t target, int64_t in, int64_t k, int64_t s,
               int64_t d, int64_t outPad, int64_t pb = 0, int64_t pe = 0) {
  int64_t out = transposedOutputSize(p, target, in, k, s, d, outPad, pb, pe);
  return {out, pb, pe};
}

/// A node with the given attributes, for the attribute-reading functions.
struct AttrNode {
  Node node;
  explicit AttrNode(const std::string &op) {
    node.name = "n";
    node.opType = op;
  }
  AttrNode &ints(const std::string &n, std::vector<int64_t> v) {
    node.attrs[n] = Attribute::makeInts(std::move(v));
    return *this;
  }
  AttrNode &str(const std::string &n, std::string v) {
    node.attrs[n] = Attribute::makeString(std::move(v));
    return *this;
  }
  AttrNode &i(const std::string &n, int64_t v) {
    node.attrs[n] = Attribute::makeInt(v);
    return *this;
  }
};

void expectError(const Expected<WindowGeometry> &g, const std::string &what,
                 ErrorCode code = ErrorCode::InvalidModel) {
  ASSERT_FALSE(g.isOk()) << "expected an error about " << what;
  EXPECT_EQ(g.error().code(), code) << g.error().message();
  EXPECT_NE(g.error().message().find(what), std::string::npos)
      << g.error().message();
  EXPECT_EQ(g.error().message().rfind("node 'n' (", 0), 0u)
      << "errors name the node: " << g.error().message();
}

} // namespace

TEST(WindowTest, AutoPadSpellings) {
  EXPECT_EQ(*parseAutoPad("NOTSET"), AutoPad::NotSet);
  EXPECT_EQ(*parseAutoPad("SAME_UPPER"), AutoPad::SameUpper);
  EXPECT_EQ(*parseAutoPad("SAME_LOWER"), AutoPad::SameLower);
  EXPECT_EQ(*parseAutoPad("VALID"), AutoPad::Valid);
  EXPECT_FALSE(parseAutoPad("same_upper").isOk());
  EXPECT_FALSE(parseAutoPad("").isOk());
}

TEST(WindowTest, ExplicitPadsFloor) {
  EXPECT_EQ(sliding(AutoPad::NotSet, false, 5, 3, 2, 1), (Out{2, 0, 0}));
  EXPECT_EQ(sliding(AutoPad::NotSet, false, 5, 3, 2, 1, 1, 1), (Out{3, 1, 1}));
  // Asymmetric pads and dilation: effective kernel (3 - 1) * 2 + 1 = 5.
  EXPECT_EQ(sliding(AutoPad::NotSet, false, 7, 3, 1, 2, 0, 2), (Out{5, 0, 2}));
  // Stride larger than the input.
  EXPECT_EQ(sliding(AutoPad::NotSet, false, 3, 1, 8, 1), (Out{1, 0, 0}));
}

TEST(WindowTest, CeilModeAndTheDroppedLastWindow) {
  EXPECT_EQ(sliding(AutoPad::NotSet, false, 5, 2, 2, 1), (Out{2, 0, 0}));
  EXPECT_EQ(sliding(AutoPad::NotSet, true, 5, 2, 2, 1), (Out{3, 0, 0}));
  // The third window would start at 4 = in + padBegin: inside the end
  // padding only, so it is dropped.
  EXPECT_EQ(sliding(AutoPad::NotSet, true, 4, 2, 2, 1, 0, 1), (Out{2, 0, 1}));
  // With a begin pad the same start is a real input element.
  EXPECT_EQ(sliding(AutoPad::NotSet, true, 4, 2, 2, 1, 1, 1), (Out{3, 1, 1}));
}

TEST(WindowTest, SamePaddingPutsTheOddPadByMode) {
  EXPECT_EQ(sliding(AutoPad::SameUpper, false, 5, 3, 2, 1), (Out{3, 1, 1}));
  EXPECT_EQ(sliding(AutoPad::SameUpper, false, 5, 4, 1, 1), (Out{5, 1, 2}));
  EXPECT_EQ(sliding(AutoPad::SameLower, false, 5, 4, 1, 1), (Out{5, 2, 1}));
  // Explicit pads are ignored; no padding needed gives none.
  EXPECT_EQ(sliding(AutoPad::SameUpper, false, 6, 1, 2, 1, 3, 3), (Out{3, 0, 0}));
  EXPECT_EQ(sliding(AutoPad::SameUpper, true, 5, 2, 2, 1), (Out{3, 0, 1}));
}

TEST(WindowTest, ValidIgnoresPads) {
  EXPECT_EQ(sliding(AutoPad::Valid, false, 5, 3, 1, 1, 2, 2), (Out{3, 0, 0}));
}

TEST(WindowTest, UnknownAndTooSmallInputs) {
  EXPECT_EQ(sliding(AutoPad::NotSet, false, -1, 3, 1, 1).size, -1);
  EXPECT_EQ(sliding(AutoPad::SameUpper, false, -1, 3, 1, 1).size, -1);
  EXPECT_EQ(sliding(AutoPad::NotSet, false, 2, 3, 1, 1).size, 0);
  EXPECT_EQ(sliding(AutoPad::NotSet, false, 2, 3, 1, 1, 1, 0).size, 1);
}

TEST(WindowTest, TransposedSizes) {
  // Full size s * (in - 1) + outputPadding + (k - 1) * d + 1 = 8.
  EXPECT_EQ(transposed(AutoPad::NotSet, -1, 3, 3, 2, 1, 1), (Out{8, 0, 0}));
  EXPECT_EQ(transposed(AutoPad::NotSet, -1, 3, 3, 2, 1, 1, 1, 1), (Out{6, 1, 1}));
  EXPECT_EQ(transposed(AutoPad::Valid, -1, 3, 3, 2, 1, 0, 1, 1), (Out{7, 0, 0}));
  // SAME_*: target in * s = 6 of a full 7; the odd pad at the end for
  // SAME_UPPER, at the start for SAME_LOWER (and for output_shape).
  EXPECT_EQ(transposed(AutoPad::SameUpper, -1, 3, 3, 2, 1, 0), (Out{6, 0, 1}));
  EXPECT_EQ(transposed(AutoPad::SameLower, -1, 3, 3, 2, 1, 0), (Out{6, 1, 0}));
  EXPECT_EQ(transposed(AutoPad::NotSet, 5, 3, 3, 2, 1, 0), (Out{5, 1, 1}));
  // A target beyond the full size needs no padding.
  EXPECT_EQ(transposed(AutoPad::NotSet, 10, 3, 3, 2, 1, 0), (Out{10, 0, 0}));
  EXPECT_EQ(transposed(AutoPad::NotSet, -1, -1, 3, 2, 1, 0).size, -1);
}

TEST(WindowTest, SlidingWindowReadsAndValidatesAttributes) {
  AttrNode n("Conv");
  n.ints("strides", {2, 1}).ints("pads", {1, 0, 1, 0}).ints("dilations", {1, 2});
  auto g = slidingWindow(NodeContext(n.node), {5, 7}, {3, 3});
  ASSERT_TRUE(g.isOk()) << g.error().message();
  EXPECT_EQ(g->out, (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(g->padBegin, (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(g->padEnd, (std::vector<int64_t>{1, 0}));
  // Unknown input dims give unknown outputs.
  auto u = slidingWindow(NodeContext(n.node), {-1, 7}, {3, 3});
  ASSERT_TRUE(u.isOk());
  EXPECT_EQ(u->out, (std::vector<int64_t>{-1, 3}));
}

TEST(WindowTest, SlidingWindowErrors) {
  expectError(slidingWindow(NodeContext(AttrNode("Conv").ints("strides", {1}).node),
                            {5, 5}, {3, 3}),
              "do not match the 2 spatial dims");
  expectError(slidingWindow(NodeContext(AttrNode("Conv").ints("kernel_shape", {2, 2}).node),
                            {5, 5}, {3, 3}),
              "does not match the weights");
  expectError(slidingWindow(NodeContext(AttrNode("Conv").ints("strides", {0, 1}).node),
                            {5, 5}, {3, 3}),
              "must be in [1, 2^20]");
  expectError(slidingWindow(NodeContext(AttrNode("Conv").ints("dilations", {1, int64_t(1) << 21}).node),
                            {5, 5}, {3, 3}),
              "must be in [1, 2^20]");
  expectError(slidingWindow(NodeContext(AttrNode("Conv").ints("pads", {0, -1, 0, 0}).node),
                            {5, 5}, {3, 3}),
              "pads must be in [0, 2^20]");
  expectError(slidingWindow(NodeContext(AttrNode("Conv").str("auto_pad", "SAME").node),
                            {5, 5}, {3, 3}),
              "invalid auto_pad 'SAME'");
  expectError(slidingWindow(NodeContext(AttrNode("MaxPool").node), {5}, {}),
              "do not match the 1 spatial dims"); // kernel_shape is required
  expectError(slidingWindow(NodeContext(AttrNode("Conv").node), {2, 5}, {3, 3}),
              "window does not fit the input", ErrorCode::InvalidInput);
}

TEST(WindowTest, RulesSelectAutoPadAndCeilMode) {
  AttrNode pool("MaxPool");
  pool.ints("kernel_shape", {2}).ints("strides", {2}).i("ceil_mode", 1);
  WindowRules poolRules;
  poolRules.ceilMode = true;
  EXPECT_EQ(slidingWindow(NodeContext(pool.node), {5}, {}, poolRules)->out[0], 3);
  EXPECT_EQ(slidingWindow(NodeContext(pool.node), {5}, {})->out[0], 2);

  AttrNode col2im("Col2Im");
  col2im.str("auto_pad", "bogus"); // not a Col2Im attribute: not read
  WindowRules noAutoPad;
  noAutoPad.autoPad = false;
  auto g = slidingWindow(NodeContext(col2im.node), {4}, {2}, noAutoPad);
  ASSERT_TRUE(g.isOk()) << g.error().message();
  EXPECT_EQ(g->out[0], 3);
}

TEST(WindowTest, TransposedWindow) {
  AttrNode n("ConvTranspose");
  n.ints("strides", {2}).ints("output_shape", {1, 4, 5});
  auto g = transposedWindow(NodeContext(n.node), {3}, {3});
  ASSERT_TRUE(g.isOk()) << g.error().message();
  EXPECT_EQ(g->out, (std::vector<int64_t>{5}));
  EXPECT_EQ(g->padBegin[0] + g->padEnd[0], 2);

  expectError(transposedWindow(NodeContext(AttrNode("ConvTranspose").ints("output_padding", {-1}).node),
                               {3}, {3}),
              "invalid output_padding");
  expectError(transposedWindow(NodeContext(AttrNode("ConvTranspose").ints("output_shape", {5, 5}).node),
                               {3}, {3}),
              "output_shape does not match");
  expectError(transposedWindow(NodeContext(AttrNode("ConvTranspose").ints("pads", {2, 2}).node),
                               {1}, {3}),
              "output would be empty", ErrorCode::InvalidInput);
}
