// The mapping prediction: per node of a model prepared for the Edge TPU
// (int8 TFLite form), the status edgetpu_compiler v16 would print for the
// operators the node is written as, and per model the compiler's own
// summary (Operator / Count / OpStatus table, operations on the Edge TPU and
// on the CPU, mapped fraction), as text in the compiler's layout and JSON.
#pragma once

#include "support/Json.h"
#include "targets/Partition.h"
#include "targets/common/TfliteSupportCache.h"
#include "targets/edgetpu/EdgeTpuRules.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace edgec::edgetpu {

/// A node's own verdict (before the single-partition rule) and the TFLite
/// operators it is written as.
struct NodeVerdict {
  Verdict verdict;
  std::vector<TfliteOperatorUse> operators;
};

/// Judges nodes by the rules of EdgeTpuRules.h, in this order: writable
/// as TFLite; every operator in the table at a version the compiler reads;
/// the element type, static shape and rank of every non-constant tensor;
/// the limits of the node's principal operator. The operators a node is
/// written as (e.g. a requantizing QUANTIZE after it) share its verdict.
class Judge {
public:
  explicit Judge(TfliteProfile writeProfile) : support_(std::move(writeProfile)) {}
  /// Values whose shape came from a dynamic input dimension (written with
  /// 1 there): nodes reading them are refused.
  void setDynamicValues(std::set<std::string> names) { dynamic_ = std::move(names); }
  const std::set<std::string> &dynamicValues() const { return dynamic_; }
  NodeVerdict judge(const Node &n) const;
  const TfliteProfile &profile() const { return support_.profile(); }

private:
  target::TfliteSupportCache support_;
  std::set<std::string> dynamic_;
};

/// One node in the prediction, after the single-partition rule.
struct NodeRow {
  const Node *node = nullptr;
  OpStatus status = OpStatus::Mapped;
  std::string detail, source;
  std::vector<TfliteOperatorUse> operators;
};

/// One row of the compiler's table: an operator type with one status.
struct OpRow {
  std::string op;
  int count = 0;
  OpStatus status = OpStatus::Mapped;
};

/// One rewrite edgec applied to raise the mapped fraction (EdgeTpuRewrites.h).
struct RewriteApplied {
  std::string name;  ///< "transpose-to-reshape", ...
  int count = 0;     ///< nodes rewritten
  bool exact = true; ///< same output bits as before the rewrite
  std::string what;  ///< what it does, and its cost when it is not exact
};

/// Operations the compiler would map in a model (prefix rule), counted as
/// predict() counts them.
struct MappedCount {
  int total = 0, mapped = 0;
  double fraction() const { return total ? double(mapped) / total : 0.0; }
};

struct Prediction {
  std::vector<NodeRow> nodes;
  std::vector<OpRow> table; ///< in order of first appearance in the file
  int total = 0, onEdgeTpu = 0, onCpu = 0;
  int subgraphs = 0; ///< Edge TPU subgraphs (0 or 1)
  /// Parameter bytes (constant tensors, each counted once) of the mapped
  /// operations, and the estimate of how they split between the on-chip
  /// cache and streaming from the host on every inference (B.6). An
  /// estimate and a lower bound: the compiler tiles and pads parameters
  /// (B.6: 380 KiB became 3.28 MiB), and its cache size varies by model.
  int64_t parameterBytes = 0;
  int64_t onChipEstimate = 0, offChipEstimate = 0;
  /// Multiply-accumulates of the mapped operations (lib/analysis), the
  /// compute term of the latency estimate (EdgeTpuLatency.h).
  int64_t mappedMacs = 0;
  /// The mapped operations before edgec's rewrites (unset when the
  /// rewrites were not run) and the rewrites applied.
  std::optional<MappedCount> beforeRewrites;
  std::vector<RewriteApplied> rewrites;
  /// Where the CPU tail runs, in words ("" = the TFLite runtime, in the
  /// same file).
  std::string cpuTail;
  double mappedFraction() const { return total ? double(onEdgeTpu) / total : 0.0; }
  /// The first node the Edge TPU cannot map (null when all map).
  const NodeRow *firstUnmapped() const;
};

/// The parameter cache assumed by the estimate: 7.50 MiB, the smallest
/// used + remaining of the compiler v16 logs in NPU-EDGETPU.md B.1.
constexpr int64_t kParameterCacheBytes = int64_t(7.5 * 1024 * 1024);

/// The operations of graph g (in node order) and how many of them the
/// compiler would map: those before the first node judge refuses.
MappedCount countMapped(const Graph &g, const Judge &judge);
/// The same for the nodes in `order` (nodes of one graph, another order).
MappedCount countMapped(const std::vector<const Node *> &order, const Judge &judge);

/// The prediction for a partition made with the prefix policy and `judge`.
Prediction predict(const target::Partition &p, const Judge &judge);

/// JSON: {"schema": "edgec.edgetpu-prediction.v1", "compiler", "operations":
/// {"total", "edgetpu", "cpu"}, "mapped_fraction", "subgraphs", "parameters":
/// {"bytes", "cache_bytes_assumed", "on_chip_estimate", "off_chip_estimate",
/// "note", "on_chip", "off_chip"}, "latency_estimate" (latencyJson), "table":
/// [{"operator", "count", "status"}], "nodes": [{"node", "op", "operators":
/// [{"operator", "version"}], "status", "detail", "source"}], "cpu_tail"}.
Json predictionJson(const Prediction &p);
/// Where the CPU tail runs by default.
inline constexpr const char *kTfliteTail =
    "the TensorFlow Lite runtime on the CPU (the operators stay in the same file)";

/// A size as the compiler prints it: "4.21MiB", "175.00KiB", "0.00B".
std::string compilerSize(int64_t bytes);

/// The compiler's summary lines and operation log table (B.5), marked as a
/// prediction, then the reason for each node that is not mapped.
std::string predictionText(const Prediction &p, const std::string &modelFile);

} // namespace edgec::edgetpu
