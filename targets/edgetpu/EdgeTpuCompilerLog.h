// What Google's edgetpu_compiler printed: its stdout (`-s` adds the
// operation table) or its `.log` file, parsed into the fields of the
// prediction (operations on the Edge TPU and the CPU, subgraphs, the
// parameter memory lines, the Operator / Count / Status table), and set
// beside the prediction. The layouts are those of the real logs quoted in
// public issues (test/targets/edgetpu/logs/SOURCES.md; NPU-EDGETPU.md B.5).
#pragma once

#include "support/Error.h"
#include "support/Json.h"
#include "targets/edgetpu/EdgeTpuPrediction.h"

#include <optional>
#include <string>
#include <vector>

namespace edgec::edgetpu {

/// One row of the compiler's table, its status as printed.
struct LogRow {
  std::string op;
  int64_t count = 0;
  std::string status;
  /// The status when it is one of the strings edgec knows (statusString).
  std::optional<OpStatus> known;
};

/// A field the log did not print stays empty.
struct CompilerLog {
  std::string version;      ///< "16.0.384591198"
  bool failed = false;      ///< "Compilation failed" or an ERROR/Invalid model line
  std::string failure;      ///< the first reason printed ("" when none)
  std::optional<int64_t> subgraphs, total, onEdgeTpu, onCpu;
  std::optional<int64_t> onChip, remaining, offChip; ///< bytes (2-decimal sizes)
  std::vector<LogRow> table;                         ///< in the log's order
  bool hasTable = false;    ///< the Operator / Count / Status header was seen
};

/// Parses the text; error (ErrorCode::InvalidInput, exit 6) naming the line when a line the
/// compiler prints has a value that is not a number or size. Lines it does
/// not know are skipped, so whole terminal sessions can be pasted.
Expected<CompilerLog> parseCompilerLog(const std::string &text);

/// "4.21MiB" -> bytes (B, KiB, MiB, GiB); nullopt when it is not a size.
std::optional<int64_t> parseCompilerSize(const std::string &s);

/// The log as the prediction's JSON (predictionJson): "kind":
/// "compiler-log", "compiler", "operations", "mapped_fraction", "subgraphs",
/// "parameters" {"on_chip", "remaining", "off_chip"}, "table", plus "failed"
/// and "failure"; fields the log did not print are null.
Json compilerLogJson(const CompilerLog &log);

/// Predicted vs actual: the summary numbers and one row per (operator,
/// status) pair of either table, with both counts.
Json comparisonJson(const Prediction &p, const CompilerLog &log);
std::string comparisonText(const Prediction &p, const CompilerLog &log);

} // namespace edgec::edgetpu
