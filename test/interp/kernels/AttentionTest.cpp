// Hand-computed Attention / RotaryEmbedding / SwiGLU cases: masks, fully
// masked rows, grouped-query heads and bad head counts.
#include "KernelTestUtil.h"

#include <cmath>

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

// One query [1, 0] against keys [1, 0] and [0, 0] with values 1 and 0.
std::vector<Tensor> qkv() {
  return {f32({1, 1, 1, 2}, {1, 0}), f32({1, 1, 2, 2}, {1, 0, 0, 0}),
          f32({1, 1, 2, 1}, {1, 0})};
}

} // namespace

TEST(AttentionTest, SoftmaxWeightsValues) {
  SingleNode n("Attention", qkv(), 1, 23);
  n.node->attrs["scale"] = Attribute::makeFloat(1.0f);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  double e = std::exp(1.0);
  expectValues((*r)[0], {e / (e + 1)});
}

TEST(AttentionTest, BoolMaskAndFullyMaskedRow) {
  std::vector<Tensor> in = qkv();
  in.push_back(Tensor::fromVector<bool>({1, 2}, {true, false}));
  SingleNode n("Attention", in, 1, 23);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectValues((*r)[0], {1});

  in[3] = Tensor::fromVector<bool>({1, 2}, {false, false});
  SingleNode m("Attention", in, 1, 23);
  r = m.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectValues((*r)[0], {0}); // zeros, not NaN
}

TEST(AttentionTest, GroupedQueryHeadsShareKv) {
  // Two query heads, one KV head: both heads produce the same output.
  SingleNode n("Attention",
               {f32({1, 2, 1, 2}, {1, 0, 1, 0}),
                f32({1, 1, 2, 2}, {1, 0, 0, 0}), f32({1, 1, 2, 1}, {1, 0})},
               1, 23);
  n.node->attrs["scale"] = Attribute::makeFloat(1.0f);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  double e = std::exp(1.0);
  expectValues((*r)[0], {e / (e + 1), e / (e + 1)});
}

TEST(AttentionTest, HeadCountMismatchIsRejected) {
  SingleNode n("Attention",
               {f32({1, 3, 1, 2}, std::vector<float>(6)),
                f32({1, 2, 1, 2}, std::vector<float>(4)),
                f32({1, 2, 1, 1}, std::vector<float>(2))},
               1, 23);
  EXPECT_FALSE(n.run().isOk());
}

TEST(AttentionTest, RotaryEmbeddingRotatesByQuarterTurn) {
  // cos = 0, sin = 1: (x1, x2) -> (-x2, x1).
  SingleNode n("RotaryEmbedding",
               {f32({1, 1, 1, 2}, {1, 0}), f32({1, 1}, {0}), f32({1, 1}, {1}),
                Tensor::fromVector<int64_t>({1, 1}, {0})},
               1, 23);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectValues((*r)[0], {0, 1});
}

TEST(AttentionTest, RotaryPositionOutOfCacheIsRejected) {
  SingleNode n("RotaryEmbedding",
               {f32({1, 1, 1, 2}, {1, 0}), f32({1, 1}, {0}), f32({1, 1}, {1}),
                Tensor::fromVector<int64_t>({1, 1}, {4})},
               1, 23);
  EXPECT_FALSE(n.run().isOk());
}

TEST(AttentionTest, SwiGluGatesValue) {
  SingleNode n("SwiGLU", {f32({2}, {0, 1}), f32({2}, {5, 2})}, 1, 28);
  auto r = n.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  expectValues((*r)[0], {0, 2.0 / (1 + std::exp(-1.0))});
}
