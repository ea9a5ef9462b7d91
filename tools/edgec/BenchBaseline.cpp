// Reading a bench matrix baseline and comparing with it (BenchBaseline.h).
#include "BenchBaseline.h"

#include "support/FileIO.h"

#include <cmath>
#include <cstdio>
#include <map>

namespace edgec::tool {

namespace {

constexpr const char *kSchema = "edgec.bench-matrix.v1";

std::string percent(double p) {
  if (std::isinf(p)) return p > 0 ? "+inf%" : "-inf%";
  char b[40];
  std::snprintf(b, sizeof b, "%+.1f%%", p);
  return b;
}

/// A figure as it is in the JSON (integers whole, in their unit: _ns, _bytes).
std::string plain(double v) {
  char b[40];
  std::snprintf(b, sizeof b, v == std::floor(v) && std::fabs(v) < 1e15 ? "%.0f" : "%.6g", v);
  return b;
}

} // namespace

Expected<Json> loadBaseline(const std::string &path) {
  EDGEC_ASSIGN_OR_RETURN(std::string text, readFileBytes(path));
  Expected<Json> parsed = Json::parse(text);
  if (!parsed) return parsed.error().withContext("--baseline " + path + ": ");
  Json j = std::move(*parsed);
  auto bad = [&](const std::string &why) {
    return Error(ErrorCode::InvalidInput,
                 "--baseline " + path + ": not an " + kSchema + " document (" + why + ")");
  };
  const Json *schema = j.find("schema");
  if (!schema || schema->asString() != kSchema)
    return bad(schema ? "schema '" + schema->asString() + "'" : "no schema");
  const Json *entries = j.find("entries");
  if (!entries || !entries->isArray()) return bad("no entries array");
  for (const Json &e : entries->elements()) {
    const Json *name = e.find("entry");
    const Json *figures = e.find("figures");
    if (!name || !name->isString() || !figures || !figures->isObject())
      return bad("an entry without a name or figures");
    for (const auto &[k, v] : figures->members())
      if (!v.isNumber()) return bad("entry '" + name->asString() + "': figure '" + k + "' is not a number");
  }
  return j;
}

BaselineCheck compareWithBaseline(const Json &matrix, const Json &baseline, const MatrixOptions &m) {
  std::map<std::string, const Json *> before;
  for (const Json &e : baseline.find("entries")->elements())
    before[e.find("entry")->asString()] = e.find("figures");
  BaselineCheck c;
  Json comparisons = Json::array();
  int regressed = 0, fresh = 0;
  for (const Json &e : matrix.find("entries")->elements()) {
    const std::string &name = e.find("entry")->asString();
    const Json *old = before.count(name) ? before[name] : nullptr;
    if (!old) c.notes.push_back("new: " + name + " (not in the baseline)");
    for (const FigureInfo &f : matrixFigures()) {
      const Json *now = e.find("figures")->find(f.key);
      if (!f.compared || (f.latency && !m.baselineLatency) || !now) continue;
      Json cj = Json::object();
      cj["entry"] = name;
      cj["figure"] = f.key;
      cj["now"] = *now;
      const Json *was = old ? old->find(f.key) : nullptr;
      if (!was) {
        cj["status"] = "new";
        ++fresh;
        if (old)
          c.notes.push_back("new: " + name + " " + f.key + " " + plain(now->asDouble()) +
                            " (not in the baseline)");
        comparisons.push(cj);
        continue;
      }
      ++c.compared;
      double a = was->asDouble(), b = now->asDouble();
      double change = a != 0 ? 100.0 * (b - a) / a : (b > 0 ? INFINITY : 0.0);
      bool worse = b > a * (1.0 + m.thresholdPct / 100.0);
      cj["baseline"] = *was;
      cj["change_percent"] = change;
      cj["status"] = worse ? "regressed" : "ok";
      comparisons.push(cj);
      if (!worse) continue;
      ++regressed;
      c.regressions.push_back("regression: " + name + " " + f.key + ": baseline " + plain(a) +
                              ", now " + plain(b) + " (" + percent(change) + ", threshold " +
                              plain(m.thresholdPct) + "%)");
    }
  }
  c.json["file"] = m.baseline;
  c.json["threshold_percent"] = m.thresholdPct;
  c.json["latency_compared"] = m.baselineLatency;
  c.json["compared"] = c.compared;
  c.json["regressed"] = regressed;
  c.json["new"] = fresh;
  c.json["comparisons"] = comparisons;
  return c;
}

} // namespace edgec::tool
