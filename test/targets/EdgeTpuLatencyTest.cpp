// The Edge TPU latency estimate (targets/edgetpu/EdgeTpuLatency.h): the
// model fitted on some of coral.ai's published latencies must predict the
// published rows it was not fitted on, and behave like a latency.
#include "targets/edgetpu/EdgeTpuLatency.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace edgec;
using namespace edgec::edgetpu;

namespace {

TEST(EdgeTpuLatency, FitIsPhysical) {
  LatencyModel m = calibratedLatencyModel();
  EXPECT_GT(m.fixedMs, 0.0);
  EXPECT_GT(m.msPerGmac, 0.0);
  // The Edge TPU's peak is 4 TOPS = 2 TMAC/s (B.1): no fit may beat it.
  EXPECT_GT(m.msPerGmac, 1.0 / 2000.0 * 1000.0 - 1e-9);
  // USB 3 Gen 1 carries at most 5 Gbit/s = 625 MB/s.
  EXPECT_GT(m.bytesPerMs, 0.0);
  EXPECT_LT(m.bytesPerMs * 1000.0, 625e6);
}

TEST(EdgeTpuLatency, PredictsThePublishedRowsItWasNotFittedOn) {
  LatencyModel m = calibratedLatencyModel();
  int checked = 0;
  for (const PublishedLatency &r : publishedLatencies()) {
    double streamed = std::max(0.0, r.mparams * 1e6 - 7.5 * 1048576.0);
    double est = m.estimateMs(int64_t(r.gmacs * 1e9), int64_t(streamed));
    // Held-out rows within 15%, fitted rows within 25% (MobileNet v2 is
    // slower than its MACs say: depthwise layers).
    double tol = r.fit ? 0.25 : 0.15;
    EXPECT_NEAR(est, r.ms, tol * r.ms) << r.model;
    if (!r.fit) ++checked;
  }
  EXPECT_GE(checked, 2);
}

TEST(EdgeTpuLatency, GrowsWithWorkAndStreaming) {
  LatencyModel m = calibratedLatencyModel();
  EXPECT_LT(m.estimateMs(1000000, 0), m.estimateMs(500000000, 0));
  EXPECT_LT(m.estimateMs(1000000, 0), m.estimateMs(1000000, 1 << 20));
  Json j = latencyJson(2820000, 0);
  EXPECT_TRUE(j["estimate"].asBool());
  EXPECT_NE(j["note"].asString().find("estimate"), std::string::npos);
  EXPECT_EQ(j["calibration"].elements().size(), publishedLatencies().size());
  EXPECT_NE(latencyText(2820000, 0).find("(estimate;"), std::string::npos);
}

} // namespace
