// Parsing edgetpu_compiler's output (see EdgeTpuCompilerLog.h).
#include "targets/edgetpu/EdgeTpuCompilerLog.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>

namespace edgec::edgetpu {

namespace {

std::string trim(const std::string &s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace((unsigned char)s[b])) ++b;
  while (e > b && std::isspace((unsigned char)s[e - 1])) --e;
  return s.substr(b, e - b);
}

bool startsWith(const std::string &s, const char *p) { return s.rfind(p, 0) == 0; }

/// A non-negative decimal integer below 2^53 (counts in the log).
std::optional<int64_t> parseCount(const std::string &s) {
  if (s.empty() || s.size() > 15) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<OpStatus> knownStatus(const std::string &s) {
  for (OpStatus st : allStatuses())
    if (s == statusString(st)) return st;
  return std::nullopt;
}

/// "OPERATOR   COUNT   STATUS": an operator name in capitals, digits and
/// underscores, a count, and the rest of the line.
std::optional<LogRow> tableRow(const std::string &line) {
  std::istringstream in(line);
  LogRow r;
  std::string count;
  if (!(in >> r.op >> count)) return std::nullopt;
  for (char c : r.op)
    if (!(std::isupper((unsigned char)c) || std::isdigit((unsigned char)c) || c == '_'))
      return std::nullopt;
  std::optional<int64_t> n = parseCount(count);
  if (!n) return std::nullopt;
  r.count = *n;
  std::string rest;
  std::getline(in, rest);
  r.status = trim(rest);
  if (r.status.empty()) return std::nullopt;
  r.known = knownStatus(r.status);
  return r;
}

Json opt(const std::optional<int64_t> &v) { return v ? Json(*v) : Json(); }

double rounded4(double f) {
  char b[32];
  std::snprintf(b, sizeof b, "%.4f", f);
  return std::strtod(b, nullptr);
}

std::string numOrDash(const std::optional<int64_t> &v) {
  return v ? std::to_string(*v) : std::string("-");
}

std::string sizeOrDash(const std::optional<int64_t> &v) {
  return v ? compilerSize(*v) : std::string("-");
}

} // namespace

std::optional<int64_t> parseCompilerSize(const std::string &s) {
  std::string t = trim(s);
  size_t i = 0;
  while (i < t.size() && (std::isdigit((unsigned char)t[i]) || t[i] == '.')) ++i;
  if (i == 0 || i > 20) return std::nullopt;
  std::string num = t.substr(0, i), unit = trim(t.substr(i));
  if (num.find('.') != num.rfind('.') || num.front() == '.' || num.back() == '.')
    return std::nullopt;
  double v = std::strtod(num.c_str(), nullptr);
  double mul = 0;
  if (unit == "B") mul = 1;
  else if (unit == "KiB") mul = 1024.0;
  else if (unit == "MiB") mul = 1024.0 * 1024;
  else if (unit == "GiB") mul = 1024.0 * 1024 * 1024;
  else return std::nullopt;
  double bytes = std::round(v * mul);
  if (!(bytes >= 0 && bytes < 9.0e15)) return std::nullopt;
  return (int64_t)bytes;
}

Expected<CompilerLog> parseCompilerLog(const std::string &text) {
  CompilerLog log;
  std::istringstream in(text);
  std::string raw;
  int lineNo = 0;
  bool inTable = false;
  // A "NAME: VALUE" line the compiler prints, with what VALUE is.
  enum class Kind { Count, Size };
  struct Field {
    const char *prefix;
    Kind kind;
    std::optional<int64_t> CompilerLog::*slot;
  };
  static const Field kFields[] = {
      {"Number of Edge TPU subgraphs:", Kind::Count, &CompilerLog::subgraphs},
      {"Total number of operations:", Kind::Count, &CompilerLog::total},
      {"Number of operations that will run on Edge TPU:", Kind::Count, &CompilerLog::onEdgeTpu},
      {"Number of operations that will run on CPU:", Kind::Count, &CompilerLog::onCpu},
      {"On-chip memory used for caching model parameters:", Kind::Size, &CompilerLog::onChip},
      {"On-chip memory remaining for caching model parameters:", Kind::Size,
       &CompilerLog::remaining},
      // Compiler 2.0 (B.5).
      {"On-chip memory available for caching model parameters:", Kind::Size,
       &CompilerLog::remaining},
      {"Off-chip memory used for streaming uncached model parameters:", Kind::Size,
       &CompilerLog::offChip},
  };
  auto fail = [&](const std::string &why) {
    log.failed = true;
    if (log.failure.empty()) log.failure = why;
  };
  while (std::getline(in, raw)) {
    ++lineNo;
    std::string line = trim(raw);
    if (line.empty()) continue;
    std::istringstream words(line);
    std::string w1, w2, w3;
    words >> w1 >> w2 >> w3;
    if (w1 == "Operator" && w2 == "Count" && w3 == "Status") {
      inTable = log.hasTable = true;
      continue;
    }
    if (inTable) {
      if (std::optional<LogRow> r = tableRow(line)) {
        log.table.push_back(*r);
        continue;
      }
      inTable = false;
    }
    if (startsWith(line, "Edge TPU Compiler version ")) {
      log.version = trim(line.substr(26));
      continue;
    }
    bool matched = false;
    for (const Field &f : kFields) {
      if (!startsWith(line, f.prefix)) continue;
      matched = true;
      std::string value = trim(line.substr(std::string(f.prefix).size()));
      std::optional<int64_t> v =
          f.kind == Kind::Count ? parseCount(value) : parseCompilerSize(value);
      if (!v)
        return Error(ErrorCode::InvalidInput, "compiler log line " + std::to_string(lineNo) + ": '" +
                                           value + "' is not a " +
                                           (f.kind == Kind::Count ? "count" : "size") +
                                           " (after '" + f.prefix + "')");
      log.*f.slot = v;
      break;
    }
    if (matched) continue;
    if (startsWith(line, "Compilation failed: ")) fail(trim(line.substr(20)));
    else if (line == "Compilation failed!") fail("");
    else if (startsWith(line, "Invalid model") || startsWith(line, "Model not quantized") ||
             startsWith(line, "Model could not be parsed") ||
             startsWith(line, "Internal compiler error"))
      fail(line);
    else if (startsWith(line, "ERROR: ") && line.find("Restored original execution plan") ==
                                                std::string::npos)
      fail(trim(line.substr(7)));
  }
  if (log.failed && log.failure.empty()) log.failure = "Compilation failed! (no reason printed)";
  return log;
}

Json compilerLogJson(const CompilerLog &log) {
  Json j = Json::object();
  j["schema"] = "edgec.edgetpu-prediction.v1";
  j["kind"] = "compiler-log";
  j["compiler"] = "edgetpu_compiler " + (log.version.empty() ? "(version not printed)" : log.version);
  j["failed"] = log.failed;
  j["failure"] = log.failed ? Json(log.failure) : Json();
  Json ops = Json::object();
  ops["total"] = opt(log.total);
  ops["edgetpu"] = opt(log.onEdgeTpu);
  ops["cpu"] = opt(log.onCpu);
  j["operations"] = ops;
  std::optional<int64_t> total = log.total;
  if (!total && log.onEdgeTpu && log.onCpu) total = *log.onEdgeTpu + *log.onCpu;
  j["mapped_fraction"] =
      total && *total > 0 && log.onEdgeTpu ? Json(rounded4(double(*log.onEdgeTpu) / *total))
                                           : Json();
  j["subgraphs"] = opt(log.subgraphs);
  Json par = Json::object();
  par["on_chip"] = opt(log.onChip);
  par["remaining"] = opt(log.remaining);
  par["off_chip"] = opt(log.offChip);
  j["parameters"] = par;
  Json table = Json::array();
  for (const LogRow &r : log.table) {
    Json x = Json::object();
    x["operator"] = r.op;
    x["count"] = r.count;
    x["status"] = r.status;
    table.push(x);
  }
  j["table"] = log.hasTable ? table : Json();
  return j;
}

namespace {

struct PairCounts {
  std::string op, status;
  int64_t predicted = 0, actual = 0;
};

/// Rows of both tables keyed by (operator, status), predicted order first.
std::vector<PairCounts> pairRows(const Prediction &p, const CompilerLog &log) {
  std::vector<PairCounts> rows;
  auto at = [&](const std::string &op, const std::string &st) -> PairCounts & {
    for (PairCounts &r : rows)
      if (r.op == op && r.status == st) return r;
    rows.push_back({op, st, 0, 0});
    return rows.back();
  };
  for (const OpRow &r : p.table) at(r.op, statusString(r.status)).predicted += r.count;
  for (const LogRow &r : log.table) at(r.op, r.status).actual += r.count;
  return rows;
}

std::string padTo(const std::string &s, size_t w) {
  return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' ');
}

} // namespace

Json comparisonJson(const Prediction &p, const CompilerLog &log) {
  Json j = Json::object();
  auto pair = [](int64_t predicted, const std::optional<int64_t> &actual) {
    Json x = Json::object();
    x["predicted"] = predicted;
    x["actual"] = opt(actual);
    x["agree"] = actual && *actual == predicted;
    return x;
  };
  j["total"] = pair(p.total, log.total);
  j["edgetpu"] = pair(p.onEdgeTpu, log.onEdgeTpu);
  j["cpu"] = pair(p.onCpu, log.onCpu);
  j["subgraphs"] = pair(p.subgraphs, log.subgraphs);
  j["on_chip"] = pair(p.onChipEstimate, log.onChip);
  j["off_chip"] = pair(p.offChipEstimate, log.offChip);
  Json rows = Json::array();
  bool tableAgrees = log.hasTable;
  for (const PairCounts &r : pairRows(p, log)) {
    Json x = Json::object();
    x["operator"] = r.op;
    x["status"] = r.status;
    x["predicted"] = r.predicted;
    x["actual"] = log.hasTable ? Json(r.actual) : Json();
    tableAgrees = tableAgrees && r.predicted == r.actual;
    rows.push(x);
  }
  j["table"] = rows;
  j["table_agrees"] = tableAgrees;
  return j;
}

std::string comparisonText(const Prediction &p, const CompilerLog &log) {
  std::string t = "Predicted vs actual (edgetpu_compiler " +
                  (log.version.empty() ? std::string("?") : log.version) + "):\n";
  if (log.failed) t += "  the compiler failed: " + log.failure + "\n";
  auto line = [&](const char *what, const std::string &pred, const std::string &act) {
    t += "  " + padTo(what, 40) + padTo(pred, 14) + act + "\n";
  };
  line("", "predicted", "actual");
  line("Number of Edge TPU subgraphs", std::to_string(p.subgraphs), numOrDash(log.subgraphs));
  line("Total number of operations", std::to_string(p.total), numOrDash(log.total));
  line("Operations on the Edge TPU", std::to_string(p.onEdgeTpu), numOrDash(log.onEdgeTpu));
  line("Operations on the CPU", std::to_string(p.onCpu), numOrDash(log.onCpu));
  line("On-chip parameter memory", compilerSize(p.onChipEstimate), sizeOrDash(log.onChip));
  line("Off-chip (streamed) parameter memory", compilerSize(p.offChipEstimate),
       sizeOrDash(log.offChip));
  if (!log.hasTable) {
    t += "  (no operation table in the log: run the compiler with -s, or give its .log)\n";
    return t;
  }
  t += "\n  " + padTo("Operator", 31) + padTo("Predicted", 11) + padTo("Actual", 11) + "Status\n";
  for (const PairCounts &r : pairRows(p, log))
    t += "  " + padTo(r.op, 31) + padTo(std::to_string(r.predicted), 11) +
         padTo(std::to_string(r.actual), 11) + r.status +
         (r.predicted != r.actual ? "  <- differs" : "") + "\n";
  return t;
}

} // namespace edgec::edgetpu
