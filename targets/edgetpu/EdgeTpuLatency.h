// The Edge TPU latency estimate: a three-term model (a fixed time per
// inference, MACs at a fitted rate, parameters streamed from the host at a
// fitted bandwidth) calibrated on Coral's published latencies (coral.ai
// benchmarks, NPU-EDGETPU.md B.8, USB Accelerator on a USB 3 desktop host).
// An estimate: the published models are 224-299 pixel classifiers; the
// fixed term is fitted on them and includes their input transfer, so small
// models are likely faster than estimated.
#pragma once

#include "support/Json.h"

#include <cstdint>
#include <string>
#include <vector>

namespace edgec::edgetpu {

/// One published latency with the model's size.
struct PublishedLatency {
  const char *model;
  double gmacs;    ///< multiply-accumulates per inference, 1e9
  double mparams;  ///< parameters, 1e6 (one byte each once int8)
  double ms;       ///< coral.ai, desktop + USB Accelerator (USB 3)
  bool fit;        ///< used for the fit (else only to check it)
  const char *source;
};

/// The published rows, as data.
const std::vector<PublishedLatency> &publishedLatencies();

/// The fitted model: ms = fixedMs + msPerGmac * GMACs + streamed / bytesPerMs.
struct LatencyModel {
  double fixedMs = 0, msPerGmac = 0, bytesPerMs = 0;
  double estimateMs(int64_t macs, int64_t streamedBytes) const;
};

/// The least-squares fit over the rows marked `fit` (fixed and per-GMAC
/// terms on the rows whose parameters fit the cache, then the bandwidth on
/// the rows that stream); deterministic.
LatencyModel calibratedLatencyModel();

/// The estimate for `macs` on the Edge TPU and `streamedBytes` of parameters
/// streamed per inference, with its terms, the model and the calibration
/// rows (published vs estimated), labelled an estimate.
Json latencyJson(int64_t macs, int64_t streamedBytes);
/// One line: "Estimated latency on the Edge TPU (...): 2.21 ms (...)".
std::string latencyText(int64_t macs, int64_t streamedBytes);

} // namespace edgec::edgetpu
