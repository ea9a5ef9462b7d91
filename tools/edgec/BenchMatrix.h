// `edgec bench --targets T:CPU,...`: the single-target bench (Bench.h) once
// per entry, one comparison table (or one edgec.bench-matrix.v1 JSON
// document), and with --baseline a check of every lower-is-better figure
// against an earlier --json output (ErrorCode::Regression past the
// threshold).
#pragma once

#include "Bench.h"

#include <string>
#include <vector>

namespace edgec::tool {

struct MatrixOptions {
  std::string targets;      ///< --targets: TARGET[:CPU],...
  std::string baseline;     ///< --baseline FILE ("" = none)
  double thresholdPct = 5;  ///< --threshold
  bool baselineLatency = false; ///< --baseline-latency: compare host latency too
};

struct MatrixEntry {
  std::string name;   ///< as written in --targets, e.g. "mcu:cortex-m4"
  std::string target; ///< "mcu"
  std::string cpu;    ///< "cortex-m4" ("" = the target's default)
};

/// One figure of a matrix row (the key in each entry's "figures" object).
struct FigureInfo {
  const char *key;    ///< "instructions"
  const char *column; ///< heading in the table
  bool compared;      ///< lower is better: checked against a --baseline
  bool latency;       ///< wall time: checked only with --baseline-latency
};
/// Every figure, in table order.
const std::vector<FigureInfo> &matrixFigures();
/// Splits --targets into entries; a Usage error for an empty or repeated
/// entry. Target and cpu names are checked when the targets are set up.
Expected<std::vector<MatrixEntry>> parseTargetList(const std::string &list);

/// Runs the matrix with the options of `o` (its target and cpu are
/// replaced by each entry's) and prints the table or the JSON document.
Status runBenchMatrix(const BenchOptions &o, const MatrixOptions &m);

} // namespace edgec::tool
