// Sharded calibration: histograms merge exactly, statistics files round-trip.
#include "quant/CalibrationStats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace edgec {
namespace {

/// Values of very different magnitudes, zeros of both signs, bin edges.
std::vector<double> mixedValues(uint32_t seed, size_t n) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_int_distribution<int> kind(0, 9), exp(-30, 30);
  std::vector<double> v;
  for (size_t i = 0; i < n; ++i) {
    switch (kind(rng)) {
    case 0: v.push_back(0.0); break;
    case 1: v.push_back(-0.0); break;
    case 2: v.push_back(std::ldexp(1.0, exp(rng))); break;          // a range edge
    case 3: v.push_back(-std::ldexp(3.0, exp(rng)) / 2048); break;   // a bin edge
    case 4: v.push_back(std::ldexp(normal(rng), exp(rng))); break;
    default: v.push_back(normal(rng)); break;
    }
  }
  return v;
}

void expectSame(const RangeHistogram &a, const RangeHistogram &b) {
  EXPECT_EQ(a.range(), b.range());
  EXPECT_EQ(a.count(), b.count());
  EXPECT_EQ(a.nonFinite(), b.nonFinite());
  EXPECT_EQ(a.pendingZeros(), b.pendingZeros());
  EXPECT_EQ(std::signbit(a.min()), std::signbit(b.min()));
  EXPECT_EQ(a.min(), b.min());
  EXPECT_EQ(a.max(), b.max());
  EXPECT_TRUE(a.bins() == b.bins());
}

TEST(CalibrationStatsTest, HistogramDoesNotDependOnOrder) {
  std::vector<double> v = mixedValues(7, 5000);
  RangeHistogram fwd, rev, shuffled;
  for (double x : v) fwd.addValue(x);
  for (auto it = v.rbegin(); it != v.rend(); ++it) rev.addValue(*it);
  std::shuffle(v.begin(), v.end(), std::mt19937(3));
  for (double x : v) shuffled.addValue(x);
  expectSame(fwd, rev);
  expectSame(fwd, shuffled);
  // Canonical range: the smallest power of two above the largest magnitude.
  double amax = 0;
  for (double x : v) amax = std::max(amax, std::fabs(x));
  EXPECT_GT(fwd.range(), amax);
  EXPECT_LE(fwd.range(), 2 * amax);
}

TEST(CalibrationStatsTest, MergedShardsEqualOneRun) {
  std::vector<double> v = mixedValues(11, 8000);
  v.push_back(NAN);
  RangeHistogram all;
  for (double x : v) all.addValue(x);
  // Shards of very different ranges, merged in two different orders.
  std::vector<RangeHistogram> shards(4);
  for (size_t i = 0; i < v.size(); ++i) shards[i % 4 == 0 ? 0 : i < 100 ? 1 : i % 3 + 1].addValue(v[i]);
  RangeHistogram m1, m2;
  for (const RangeHistogram &s : shards) m1.merge(s);
  for (auto it = shards.rbegin(); it != shards.rend(); ++it) m2.merge(*it);
  expectSame(all, m1);
  expectSame(all, m2);
}

TEST(CalibrationStatsTest, ZerosOnlyShardsMerge) {
  RangeHistogram zeros, small, all;
  for (int i = 0; i < 10; ++i) zeros.addValue(0.0), all.addValue(0.0);
  EXPECT_EQ(zeros.range(), 0.0);
  EXPECT_EQ(zeros.pendingZeros(), 10);
  small.addValue(0.001);
  all.addValue(0.001);
  RangeHistogram m;
  m.merge(small);
  m.merge(zeros);
  expectSame(all, m);
  EXPECT_EQ(m.bins()[RangeHistogram::kBins / 2], 10);
}

CalibrationStats sampleStats() {
  CalibrationStats s;
  s.modelDigest = modelDigest("model bytes");
  s.inputShapes = inputShapesText({{"x", {1, 3}}});
  s.sampleShapes["x"] = {{1, 3}, true};
  Tensor t(DataType::Float32, {1, 3});
  for (int i = 0; i < 3; ++i) t.data<float>()[i] = 0.1f * (float)i - 0.7f;
  s.probe.inputs["x"] = t;
  s.probe.source = "calib/a.npy";
  s.result.samples = 5;
  for (double x : mixedValues(5, 300)) s.result.tensors["x"].addValue(x);
  s.result.tensors["y"].addValue(0.0);
  return s;
}

TEST(CalibrationStatsTest, JsonRoundTripIsExact) {
  CalibrationStats s = sampleStats();
  Json j = calibrationStatsToJson(s);
  Expected<Json> parsed = Json::parse(j.dump());
  ASSERT_TRUE(parsed.isOk()) << parsed.error().message();
  Expected<CalibrationStats> back = calibrationStatsFromJson(*parsed, "s.json");
  ASSERT_TRUE(back.isOk()) << back.error().message();
  EXPECT_EQ(back->modelDigest, s.modelDigest);
  EXPECT_EQ(back->inputShapes, "x=1,3");
  EXPECT_EQ(back->result.samples, 5);
  expectSame(back->result.tensors.at("x"), s.result.tensors.at("x"));
  expectSame(back->result.tensors.at("y"), s.result.tensors.at("y"));
  const Tensor &p = back->probe.inputs.at("x");
  ASSERT_EQ(p.shape(), (TensorShape{1, 3}));
  EXPECT_EQ(p.data<float>()[2], s.probe.inputs.at("x").data<float>()[2]);
  EXPECT_EQ(calibrationStatsToJson(*back).dump(), j.dump());
}

TEST(CalibrationStatsTest, InconsistentFilesAreRejected) {
  const std::string good = calibrationStatsToJson(sampleStats()).dump();
  auto load = [](std::string text) {
    Expected<Json> j = Json::parse(text);
    EXPECT_TRUE(j.isOk());
    return calibrationStatsFromJson(*j, "s.json");
  };
  ASSERT_TRUE(load(good).isOk());
  auto replaced = [&](const std::string &from, const std::string &to) {
    std::string t = good;
    size_t p = t.find(from);
    EXPECT_NE(p, std::string::npos) << from;
    return t.replace(p, from.size(), to);
  };
  const std::pair<std::string, std::string> edits[] = {
      {"edgec.calibration-stats.v1", "edgec.quantize-report.v1"},
      {"\"range\": \"0x", "\"range\": \"0x1.8p+0\", \"x\": \"0x"}, // not a power of two
      {"\"count\": 300", "\"count\": 301"},                        // bins do not add up
      {"\"samples\": 5", "\"samples\": 0"},
  };
  for (const auto &[from, to] : edits) {
    Expected<CalibrationStats> r = load(replaced(from, to));
    ASSERT_FALSE(r.isOk()) << from;
    EXPECT_EQ(r.error().code(), ErrorCode::InvalidInput);
    EXPECT_EQ(r.error().message().rfind("s.json", 0), 0u) << r.error().message();
  }
}

TEST(CalibrationStatsTest, MergeRefusesOtherModelsAndShapes) {
  CalibrationStats a = sampleStats(), b = sampleStats();
  Expected<CalibrationStats> m = mergeCalibrationStats({a, b}, {"a.json", "b.json"});
  ASSERT_TRUE(m.isOk());
  EXPECT_EQ(m->result.samples, 10);
  EXPECT_EQ(m->result.tensors.at("x").count(), 600);
  b.modelDigest = modelDigest("other bytes");
  m = mergeCalibrationStats({a, b}, {"a.json", "b.json"});
  ASSERT_FALSE(m.isOk());
  EXPECT_NE(m.error().message().find("b.json: statistics of another model"), std::string::npos);
  b = sampleStats();
  b.inputShapes = "x=1,4";
  EXPECT_FALSE(mergeCalibrationStats({a, b}, {"a.json", "b.json"}).isOk());
  b = sampleStats();
  b.sampleShapes["x"] = {{2, 3}, true};
  m = mergeCalibrationStats({a, b}, {"a.json", "b.json"});
  ASSERT_TRUE(m.isOk());
  EXPECT_FALSE(m->sampleShapes.at("x").agree);
}

} // namespace
} // namespace edgec
