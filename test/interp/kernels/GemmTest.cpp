// Unit tests for the matrix-product kernels (Gemm.cpp).
#include "KernelTestUtil.h"
#include "interp/kernels/GemmCore.h"

#include <random>

namespace edgec::test {
namespace {

TEST(GemmCoreTest, MatchesNaiveProductWithTransposedOperand) {
  // Odd sizes exercise the partial register tiles and the K blocking.
  const int64_t m = 7, n = 37, k = 300;
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-1, 1);
  std::vector<float> a(m * k), bt(n * k), c(m * n, 5.0f);
  for (float &v : a) v = dist(rng);
  for (float &v : bt) v = dist(rng);
  // B is given transposed ([N, K]) through the strides.
  gemmF32(m, n, k, MatrixView{a.data(), k, 1}, MatrixView{bt.data(), 1, k},
          c.data(), n, /*accumulate=*/true);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double ref = 5.0;
      for (int64_t kk = 0; kk < k; ++kk)
        ref += (double)a[i * k + kk] * bt[j * k + kk];
      EXPECT_NEAR(c[i * n + j], ref, 1e-3) << i << "," << j;
    }
}

TEST(MatMulTest, BroadcastsBatchAndHandlesVectors) {
  // [2,1,2,3] x [3] -> [2,1,2]
  Tensor a = Tensor::fromVector<float>({2, 1, 2, 3},
                                       {1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 1, 1});
  Tensor b = Tensor::fromVector<float>({3}, {1, 0, -1});
  SingleNode t("MatMul", {a, b});
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  const Tensor &y = (*r)[0];
  ASSERT_EQ(y.shape(), (TensorShape{2, 1, 2}));
  EXPECT_EQ(y.data<float>()[0], -2.0f);
  EXPECT_EQ(y.data<float>()[1], -2.0f);
  EXPECT_EQ(y.data<float>()[3], 0.0f);
}

TEST(MatMulTest, IntegerMatMulWraps) {
  // int32 overflow wraps instead of being undefined behaviour.
  Tensor a = Tensor::fromVector<int32_t>({1, 2}, {INT32_MAX, 1});
  Tensor b = Tensor::fromVector<int32_t>({2, 1}, {1, 1});
  SingleNode t("MatMul", {a, b});
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].data<int32_t>()[0], INT32_MIN);
}

TEST(MatMulTest, MismatchedInnerDimIsAnError) {
  Tensor a(DataType::Float32, {2, 3});
  Tensor b(DataType::Float32, {4, 2});
  SingleNode t("MatMul", {a, b});
  EXPECT_FALSE(t.run().isOk());
}

TEST(GemmTest, TransposeAlphaBetaAndBroadcastBias) {
  Tensor a = Tensor::fromVector<float>({2, 2}, {1, 2, 3, 4}); // A^T used
  Tensor b = Tensor::fromVector<float>({2, 2}, {1, 0, 0, 1});
  Tensor c = Tensor::fromVector<float>({2}, {10, 20});
  SingleNode t("Gemm", {a, b, c});
  t.node->attrs["transA"] = Attribute::makeInt(1);
  t.node->attrs["alpha"] = Attribute::makeFloat(2.0f);
  t.node->attrs["beta"] = Attribute::makeFloat(0.5f);
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  // 2 * A^T + 0.5 * [10, 20] = [[2+5, 6+10], [4+5, 8+10]]
  std::vector<float> want{7, 16, 9, 18};
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_EQ((*r)[0].data<float>()[i], want[i]);
}

TEST(QLinearMatMulTest, RoundsHalfToEvenAndSaturates) {
  Tensor a = Tensor::fromVector<uint8_t>({1, 2}, {3, 250});
  Tensor b = Tensor::fromVector<uint8_t>({2, 2}, {1, 0, 0, 1});
  Tensor s = Tensor::scalar<float>(1.0f);
  Tensor z = Tensor::scalar<uint8_t>(0);
  Tensor ys = Tensor::scalar<float>(2.0f);
  Tensor yz = Tensor::scalar<uint8_t>(0);
  SingleNode t("QLinearMatMul", {a, s, z, b, s, z, ys, yz});
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].data<uint8_t>()[0], 2);   // 1.5 -> 2
  EXPECT_EQ((*r)[0].data<uint8_t>()[1], 125); // 125
}

TEST(EinsumTest, ImplicitOutputAndTrace) {
  Tensor a = Tensor::fromVector<float>({2, 2}, {1, 2, 3, 4});
  SingleNode t("Einsum", {a});
  t.node->attrs["equation"] = Attribute::makeString("ii");
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].rank(), 0u);
  EXPECT_EQ((*r)[0].data<float>()[0], 5.0f);
}

TEST(EinsumTest, BadEquationIsAnError) {
  Tensor a = Tensor::fromVector<float>({2, 2}, {1, 2, 3, 4});
  SingleNode t("Einsum", {a});
  t.node->attrs["equation"] = Attribute::makeString("ijk->i");
  EXPECT_FALSE(t.run().isOk());
}

TEST(DetTest, PivotingAndSingular) {
  Tensor a = Tensor::fromVector<float>({2, 2, 2}, {0, 1, 1, 0, 1, 2, 2, 4});
  SingleNode t("Det", {a});
  auto r = t.run();
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ((*r)[0].data<float>()[0], -1.0f);
  EXPECT_EQ((*r)[0].data<float>()[1], 0.0f);
}

} // namespace
} // namespace edgec::test
