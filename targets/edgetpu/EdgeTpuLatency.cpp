// The Edge TPU latency estimate (see EdgeTpuLatency.h).
#include "targets/edgetpu/EdgeTpuLatency.h"

#include "targets/edgetpu/EdgeTpuPrediction.h"

#include <cstdio>
#include <cstdlib>

namespace edgec::edgetpu {

namespace {

// Latencies: coral.ai/docs/edgetpu/benchmarks table 1 as stored in
// NPU-EDGETPU.md B.8 (column "desktop + USB Accel (USB 3)"). MACs and
// parameter counts: the models' papers, as commonly quoted (not in the
// facts file; from memory, like the facts' [G] rows); ResNet-50 and
// Inception v4 at 299 pixels scale their 224-pixel MACs by (299/224)^2.
const std::vector<PublishedLatency> kRows = {
    {"MobileNet v1 224", 0.569, 4.2, 2.4, true,
     "B.8; MACs/params: Howard et al. 2017 (MobileNets), Table 8"},
    {"MobileNet v2 224", 0.300, 3.4, 2.6, true,
     "B.8; MACs/params: Sandler et al. 2018 (MobileNetV2), Table 4"},
    {"Inception v1 224", 1.5, 6.8, 3.4, true,
     "B.8; MACs/params: Szegedy et al. 2014 (GoogLeNet: 1.5 G multiply-adds)"},
    {"VGG16 224", 15.5, 138.0, 296.0, true,
     "B.8; MACs/params: Simonyan and Zisserman 2014 (138 M parameters)"},
    {"VGG19 224", 19.6, 144.0, 308.0, true,
     "B.8; MACs/params: Simonyan and Zisserman 2014 (144 M parameters)"},
    {"ResNet-50 V1 299", 7.3, 25.6, 49.0, false,
     "B.8; MACs/params: He et al. 2015 (4.1 G at 224, scaled to 299)"},
    {"Inception v4 299", 12.3, 42.7, 85.0, false,
     "B.8; MACs/params: Szegedy et al. 2016 (Inception-v4)"},
};

double streamedOf(const PublishedLatency &r) {
  double bytes = r.mparams * 1e6 - double(kParameterCacheBytes);
  return bytes > 0 ? bytes : 0.0;
}

double round3(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", v);
  return std::strtod(b, nullptr);
}

std::string ms2(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f ms", v);
  return b;
}

constexpr const char *kHost = "USB Accelerator on a USB 3 desktop host";

} // namespace

const std::vector<PublishedLatency> &publishedLatencies() { return kRows; }

double LatencyModel::estimateMs(int64_t macs, int64_t streamedBytes) const {
  return fixedMs + msPerGmac * double(macs) / 1e9 +
         (bytesPerMs > 0 ? double(streamedBytes) / bytesPerMs : 0.0);
}

LatencyModel calibratedLatencyModel() {
  LatencyModel m;
  // ms = a + b * GMACs on the rows whose parameters fit the cache.
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const PublishedLatency &r : kRows) {
    if (!r.fit || streamedOf(r) > 0) continue;
    n += 1;
    sx += r.gmacs;
    sy += r.ms;
    sxx += r.gmacs * r.gmacs;
    sxy += r.gmacs * r.ms;
  }
  double den = n * sxx - sx * sx;
  if (n >= 2 && den > 0) {
    m.msPerGmac = (n * sxy - sx * sy) / den;
    m.fixedMs = (sy - m.msPerGmac * sx) / n;
  }
  // The streaming rows: what the first two terms leave is streaming time.
  double bytes = 0, ms = 0;
  for (const PublishedLatency &r : kRows) {
    if (!r.fit || streamedOf(r) <= 0) continue;
    double rest = r.ms - m.fixedMs - m.msPerGmac * r.gmacs;
    if (rest <= 0) continue;
    bytes += streamedOf(r);
    ms += rest;
  }
  if (ms > 0) m.bytesPerMs = bytes / ms;
  return m;
}

Json latencyJson(int64_t macs, int64_t streamedBytes) {
  LatencyModel m = calibratedLatencyModel();
  Json j = Json::object();
  j["estimate"] = true;
  j["ms"] = round3(m.estimateMs(macs, streamedBytes));
  j["host"] = kHost;
  Json terms = Json::object();
  terms["fixed_ms"] = round3(m.fixedMs);
  terms["compute_ms"] = round3(m.msPerGmac * double(macs) / 1e9);
  terms["streaming_ms"] = round3(m.bytesPerMs > 0 ? double(streamedBytes) / m.bytesPerMs : 0.0);
  j["terms"] = terms;
  j["macs"] = macs;
  Json model = Json::object();
  model["fixed_ms"] = round3(m.fixedMs);
  model["ms_per_gmac"] = round3(m.msPerGmac);
  model["streaming_mb_per_s"] = round3(m.bytesPerMs * 1000.0 / 1e6);
  j["model"] = model;
  Json cal = Json::array();
  for (const PublishedLatency &r : kRows) {
    Json x = Json::object();
    x["model"] = r.model;
    x["published_ms"] = r.ms;
    x["estimate_ms"] = round3(m.estimateMs(int64_t(r.gmacs * 1e9), int64_t(streamedOf(r))));
    x["used_for_fit"] = r.fit;
    x["source"] = r.source;
    cal.push(x);
  }
  j["calibration"] = cal;
  j["note"] = "estimate, not a measurement: fixed time + MACs of the mapped operations at a "
              "fitted rate + streamed parameters at a fitted bandwidth, calibrated on coral.ai's "
              "published latencies (USB Accelerator, USB 3); the CPU tail is not included, and "
              "small models are likely faster (the fixed term is fitted on 224-pixel models)";
  return j;
}

std::string latencyText(int64_t macs, int64_t streamedBytes) {
  LatencyModel m = calibratedLatencyModel();
  return "Estimated latency on the Edge TPU (estimate; calibrated on coral.ai benchmarks, " +
         std::string(kHost) + "; CPU tail not included): " +
         ms2(m.estimateMs(macs, streamedBytes)) + " (fixed " + ms2(m.fixedMs) + " + compute " +
         ms2(m.msPerGmac * double(macs) / 1e9) + " for " + std::to_string(macs) +
         " MACs + streaming " +
         ms2(m.bytesPerMs > 0 ? double(streamedBytes) / m.bytesPerMs : 0.0) + ")\n";
}

} // namespace edgec::edgetpu
