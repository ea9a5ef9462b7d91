// Calibration: histograms, range methods, data loading, one-pass collection.
#include "onnx/OnnxImporter.h"
#include "quant/Calibration.h"
#include "tensorio/NpyIO.h"
#include "ImportOptions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

namespace edgec {
namespace {

namespace fs = std::filesystem;

TEST(RangeHistogramTest, TracksExactExtremesAndKeepsCountsWhenGrowing) {
  RangeHistogram h;
  h.addValue(0.5);
  h.addValue(-0.25);
  double r0 = h.range();
  h.addValue(1000.0); // forces several doublings
  h.addValue(NAN);
  EXPECT_GT(h.range(), r0);
  EXPECT_GE(h.range(), 1000.0);
  EXPECT_EQ(h.min(), -0.25);
  EXPECT_EQ(h.max(), 1000.0);
  EXPECT_EQ(h.count(), 3);
  EXPECT_EQ(h.nonFinite(), 1);
  int64_t total = 0;
  for (int64_t c : h.bins()) total += c;
  EXPECT_EQ(total, 3);
}

TEST(RangeHistogramTest, QuantileOfUniformData) {
  RangeHistogram h;
  for (int i = 0; i < 10000; ++i) h.addValue(i / 10000.0);
  EXPECT_NEAR(h.quantile(0.5), 0.5, 0.01);
  EXPECT_NEAR(h.quantile(0.9), 0.9, 0.01);
  EXPECT_EQ(h.quantile(0.0), 0.0);
}

RangeHistogram uniformWithOutlier() {
  RangeHistogram h;
  for (int i = 0; i < 100000; ++i) h.addValue((i % 1000) / 1000.0);
  h.addValue(100.0);
  return h;
}

TEST(ChooseRangeTest, MinMaxIncludesZeroAndTheOutlier) {
  RangeHistogram h = uniformWithOutlier();
  QuantRange r = chooseRange(h, CalibMethod::MinMax, 256);
  EXPECT_EQ(r.lo, 0.0);
  EXPECT_EQ(r.hi, 100.0);
  RangeHistogram neg;
  neg.addValue(-3);
  neg.addValue(-1);
  QuantRange rn = chooseRange(neg, CalibMethod::MinMax, 256);
  EXPECT_EQ(rn.lo, -3.0);
  EXPECT_EQ(rn.hi, 0.0) << "zero must be representable";
}

TEST(ChooseRangeTest, PercentileClipsTheOutlier) {
  RangeHistogram h = uniformWithOutlier();
  QuantRange r = chooseRange(h, CalibMethod::Percentile, 256, 99.9);
  EXPECT_LT(r.hi, 1.01);
  EXPECT_GT(r.hi, 0.9);
  EXPECT_EQ(r.lo, 0.0);
}

TEST(ChooseRangeTest, MseTradesClippingAgainstRounding) {
  // One far outlier among 100k values: clipping it costs more squared error
  // than the coarser steps, so MSE keeps most of the range for int8 ...
  RangeHistogram h = uniformWithOutlier();
  QuantRange r8 = chooseRange(h, CalibMethod::Mse, 256);
  EXPECT_GT(r8.hi, 50.0);
  EXPECT_LE(r8.hi, 100.0);
  // ... while for 4-bit levels the rounding error dominates and it clips.
  QuantRange r4 = chooseRange(h, CalibMethod::Mse, 16);
  EXPECT_LT(r4.hi, r8.hi);
}

TEST(ChooseRangeTest, EntropyAndMseKeepAGaussianCoreAndCutItsTail) {
  RangeHistogram h;
  uint32_t s = 7;
  auto uni = [&] {
    s = s * 1664525u + 1013904223u;
    return ((double)(s >> 8) + 0.5) / (double)(1u << 24);
  };
  for (int i = 0; i < 200000; ++i) {
    double g = std::sqrt(-2 * std::log(uni())) * std::cos(6.283185307 * uni());
    h.addValue(g);
  }
  for (CalibMethod m : {CalibMethod::Entropy, CalibMethod::Mse}) {
    QuantRange r = chooseRange(h, m, 256);
    EXPECT_GT(r.hi, 2.0) << calibMethodName(m);
    EXPECT_LT(r.hi, h.max()) << calibMethodName(m);
    EXPECT_LT(r.lo, -2.0) << calibMethodName(m);
  }
}

TEST(ChooseRangeTest, MethodNamesParse) {
  EXPECT_TRUE(parseCalibMethod("entropy").isOk());
  auto bad = parseCalibMethod("kl");
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.error().code(), ErrorCode::Usage);
}

const char *kModel = R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[1,4] x) => (float[1,4] y) <float two = {2}> {
  t = Mul(x, two)
  y = Relu(t)
}
)";

fs::path tempDir(const std::string &name) {
  fs::path d = fs::temp_directory_path() / ("edgec-calib-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

TEST(CalibrationDataTest, FlatFolderAndPerSampleFolders) {
  auto m = importOnnxText(kModel, test::evaluating());
  ASSERT_TRUE(m.isOk());
  fs::path flat = tempDir("flat");
  for (int k = 0; k < 3; ++k)
    ASSERT_TRUE(writeNpy((flat / ("s" + std::to_string(k) + ".npy")).string(),
                         Tensor::fromVector<float>({1, 4}, {float(k), -1, 0.5f, 2}))
                    .isOk());
  auto a = loadCalibrationData(**m, flat.string());
  ASSERT_TRUE(a.isOk()) << a.error().message();
  EXPECT_EQ(a->size(), 3u);

  fs::path per = tempDir("per");
  for (int k = 0; k < 2; ++k) {
    fs::create_directories(per / ("sample" + std::to_string(k)));
    ASSERT_TRUE(writeNpy((per / ("sample" + std::to_string(k)) / "x.npy").string(),
                         Tensor::fromVector<float>({1, 4}, {1, 2, 3, float(k)}))
                    .isOk());
  }
  auto b = loadCalibrationData(**m, per.string());
  ASSERT_TRUE(b.isOk()) << b.error().message();
  EXPECT_EQ(b->size(), 2u);
  fs::remove_all(flat);
  fs::remove_all(per);
}

TEST(CalibrationDataTest, MismatchedShapeNamesTheFileAndInput) {
  auto m = importOnnxText(kModel, test::evaluating());
  ASSERT_TRUE(m.isOk());
  fs::path d = tempDir("bad");
  ASSERT_TRUE(writeNpy((d / "wrong.npy").string(),
                       Tensor::fromVector<float>({1, 3}, {1, 2, 3}))
                  .isOk());
  auto r = loadCalibrationData(**m, d.string());
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidInput);
  EXPECT_NE(r.error().message().find("wrong.npy"), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("'x'"), std::string::npos) << r.error().message();
  auto missing = loadCalibrationData(**m, (d / "nope").string());
  ASSERT_FALSE(missing.isOk());
  EXPECT_EQ(missing.error().code(), ErrorCode::Io);
  fs::remove_all(d);
}

TEST(CalibrateTest, OnePassCollectsEveryFloatValue) {
  auto m = importOnnxText(kModel, test::evaluating());
  ASSERT_TRUE(m.isOk());
  std::vector<CalibSample> samples(2);
  samples[0].inputs["x"] = Tensor::fromVector<float>({1, 4}, {-1, 0, 1, 2});
  samples[1].inputs["x"] = Tensor::fromVector<float>({1, 4}, {-3, 0.5f, 0, 4});
  int calls = 0;
  auto r = calibrate(**m, samples, [&](int done, int total) {
    ++calls;
    EXPECT_EQ(total, 2);
    EXPECT_EQ(done, calls);
  });
  ASSERT_TRUE(r.isOk()) << r.error().message();
  EXPECT_EQ(r->samples, 2);
  EXPECT_EQ(calls, 2);
  ASSERT_TRUE(r->tensors.count("x") && r->tensors.count("t") && r->tensors.count("y"));
  EXPECT_EQ(r->tensors.at("x").min(), -3.0);
  EXPECT_EQ(r->tensors.at("t").max(), 8.0);
  EXPECT_EQ(r->tensors.at("y").min(), 0.0);
  EXPECT_EQ(r->tensors.at("y").count(), 8);
}

TEST(CalibrateTest, RandomDataIsDeterministicAndNeedsStaticShapes) {
  auto m = importOnnxText(kModel, test::evaluating());
  ASSERT_TRUE(m.isOk());
  auto a = randomCalibrationData(**m, 3, 42);
  auto b = randomCalibrationData(**m, 3, 42);
  ASSERT_TRUE(a.isOk() && b.isOk());
  ASSERT_EQ(a->size(), 3u);
  EXPECT_TRUE((*a)[2].inputs.at("x").identical((*b)[2].inputs.at("x")));
  EXPECT_FALSE(randomCalibrationData(**m, 0).isOk());
}

} // namespace
} // namespace edgec
