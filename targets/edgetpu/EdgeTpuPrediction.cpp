// The mapping prediction (see EdgeTpuPrediction.h).
#include "targets/edgetpu/EdgeTpuPrediction.h"

#include "analysis/ModelStats.h"
#include "targets/edgetpu/EdgeTpuLatency.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace edgec::edgetpu {

NodeVerdict Judge::judge(const Node &n) const {
  NodeVerdict r;
  const TfliteSupport &s = support_.query(n);
  if (!s.supported()) {
    r.verdict = {OpStatus::NotSupported, "cannot be written as TFLite: " + s.reason,
                 "edgec's TFLite writer (docs/tflite.md)"};
    return r;
  }
  r.operators = s.operators;
  if (s.operators.empty()) return r; // read through: no operator in the file
  for (const TfliteOperatorUse &op : s.operators) {
    Verdict v = checkOperator(op.name, op.version);
    if (!v.mapped()) {
      r.verdict = v;
      return r;
    }
  }
  for (const Value *x : n.inputs) {
    if (!x || x->constant) continue;
    if (Verdict v = checkTensor(*x, "input"); !v.mapped()) {
      r.verdict = v;
      return r;
    }
    if (dynamic_.count(x->name)) {
      r.verdict = {OpStatus::UnspecifiedLimitation,
                   "input '" + x->name +
                       "' has a shape derived from a dynamic input dimension (written as 1; "
                       "give --input-shape)",
                   "NPU-EDGETPU.md B.2.2 (tensor sizes constant at compile time)"};
      return r;
    }
  }
  for (const Value *y : n.outputs) {
    if (!y) continue;
    if (Verdict v = checkTensor(*y, "output"); !v.mapped()) {
      r.verdict = v;
      return r;
    }
  }
  if (s.principal >= 0) r.verdict = checkLimits(n, s.operators[(size_t)s.principal].name);
  return r;
}

const NodeRow *Prediction::firstUnmapped() const {
  for (const NodeRow &r : nodes)
    if (r.status != OpStatus::Mapped) return &r;
  return nullptr;
}

namespace {

/// The operator names a node counts as in the table: the TFLite operators
/// it is written as, or "(OpType)" when it cannot be written.
std::vector<std::string> countedNames(const Node &n, const NodeVerdict &v) {
  std::vector<std::string> names;
  if (v.operators.empty() && !v.verdict.mapped()) names.push_back("(" + n.opType + ")");
  for (const TfliteOperatorUse &o : v.operators) names.push_back(o.name);
  return names;
}

} // namespace

MappedCount countMapped(const Graph &g, const Judge &judge) {
  std::vector<const Node *> order;
  for (const auto &n : g.nodes()) order.push_back(n.get());
  return countMapped(order, judge);
}

MappedCount countMapped(const std::vector<const Node *> &order, const Judge &judge) {
  MappedCount c;
  bool refused = false;
  for (const Node *n : order) {
    NodeVerdict v = judge.judge(*n);
    refused = refused || !v.verdict.mapped();
    int k = (int)countedNames(*n, v).size();
    c.total += k;
    if (!refused) c.mapped += k;
  }
  return c;
}

Prediction predict(const target::Partition &p, const Judge &judge) {
  Prediction out;
  for (const target::NodePlacement &pl : p.placements) {
    NodeVerdict v = judge.judge(*pl.node);
    NodeRow row;
    row.node = pl.node;
    row.operators = v.operators;
    if (pl.kind == target::NodePlacement::Kind::OnTarget) {
      row.status = OpStatus::Mapped;
    } else if (!v.verdict.mapped()) {
      row.status = v.verdict.status;
      row.detail = v.verdict.detail;
      row.source = v.verdict.source;
    } else {
      row.status = OpStatus::MoreThanOneSubgraph;
      row.detail = pl.reason;
      row.source = "NPU-EDGETPU.md B.2.5 (single partition; google-coral/edgetpu#461)";
    }
    for (const std::string &name : countedNames(*pl.node, v)) {
      ++out.total;
      if (row.status == OpStatus::Mapped) ++out.onEdgeTpu;
      else ++out.onCpu;
      bool found = false;
      for (OpRow &t : out.table)
        if (t.op == name && t.status == row.status) {
          ++t.count;
          found = true;
        }
      if (!found) out.table.push_back({name, 1, row.status});
    }
    out.nodes.push_back(std::move(row));
  }
  out.subgraphs = out.onEdgeTpu > 0 ? 1 : 0;
  std::set<const Value *> seen;
  for (const target::NodePlacement &pl : p.placements) {
    if (pl.kind != target::NodePlacement::Kind::OnTarget) continue;
    if (std::optional<int64_t> macs = nodeMacs(*pl.node)) out.mappedMacs += *macs;
    for (const Value *v : pl.node->inputs)
      if (v && v->constant && seen.insert(v).second)
        out.parameterBytes += (int64_t)v->constant->byteSize();
  }
  out.onChipEstimate = std::min(out.parameterBytes, kParameterCacheBytes);
  out.offChipEstimate = out.parameterBytes - out.onChipEstimate;
  return out;
}

namespace {

constexpr const char *kCompiler = "edgetpu_compiler 16.0.384591198 (predicted by edgec, not run)";

/// The operator a refused node's hint is looked up by: the first it is
/// written as, or "(OpType)" when it cannot be written.
std::string hintKey(const NodeRow &r) {
  return r.operators.empty() ? "(" + r.node->opType + ")" : r.operators.front().name;
}

std::string percent(double f) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f%%", f * 100.0);
  return b;
}

std::string pad(const std::string &s, size_t w) {
  return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' ');
}

} // namespace

std::string compilerSize(int64_t bytes) {
  char b[48];
  if (bytes >= 1024 * 1024) std::snprintf(b, sizeof b, "%.2fMiB", bytes / 1048576.0);
  else if (bytes >= 1024) std::snprintf(b, sizeof b, "%.2fKiB", bytes / 1024.0);
  else std::snprintf(b, sizeof b, "%.2fB", double(bytes));
  return b;
}

Json predictionJson(const Prediction &p) {
  Json j = Json::object();
  j["schema"] = "edgec.edgetpu-prediction.v1";
  j["kind"] = "prediction";
  j["compiler"] = kCompiler;
  Json ops = Json::object();
  ops["total"] = int64_t(p.total);
  ops["edgetpu"] = int64_t(p.onEdgeTpu);
  ops["cpu"] = int64_t(p.onCpu);
  j["operations"] = ops;
  char frac[32];
  std::snprintf(frac, sizeof frac, "%.4f", p.mappedFraction());
  j["mapped_fraction"] = std::stod(frac);
  j["subgraphs"] = int64_t(p.subgraphs);
  Json par = Json::object();
  par["bytes"] = p.parameterBytes;
  par["cache_bytes_assumed"] = kParameterCacheBytes;
  par["on_chip"] = p.onChipEstimate;
  par["off_chip"] = p.offChipEstimate;
  par["on_chip_estimate"] = p.onChipEstimate;
  par["off_chip_estimate"] = p.offChipEstimate;
  par["note"] = "estimate: constant bytes of the mapped operations against a 7.50 MiB cache; "
                "the compiler tiles and pads parameters, so it stores at least this much";
  j["parameters"] = par;
  j["latency_estimate"] = latencyJson(p.mappedMacs, p.offChipEstimate);
  Json table = Json::array();
  for (const OpRow &r : p.table) {
    Json x = Json::object();
    x["operator"] = r.op;
    x["count"] = int64_t(r.count);
    x["status"] = statusString(r.status);
    table.push(x);
  }
  j["table"] = table;
  Json nodes = Json::array();
  for (const NodeRow &r : p.nodes) {
    Json x = Json::object();
    x["node"] = r.node->name;
    x["op"] = r.node->opType;
    Json os = Json::array();
    for (const TfliteOperatorUse &o : r.operators) {
      Json u = Json::object();
      u["operator"] = o.name;
      u["version"] = int64_t(o.version);
      os.push(u);
    }
    x["operators"] = os;
    x["status"] = statusString(r.status);
    x["detail"] = r.detail;
    x["source"] = r.source;
    const char *hint = r.status == OpStatus::Mapped || r.status == OpStatus::MoreThanOneSubgraph
                           ? ""
                           : rewriteHint(hintKey(r), r.status);
    x["rewrite_needed"] = *hint ? Json(hint) : Json();
    nodes.push(x);
  }
  j["nodes"] = nodes;
  const NodeRow *first = p.firstUnmapped();
  j["first_unmapped"] = first ? Json(first->node->name) : Json();
  Json rw = Json::object();
  if (p.beforeRewrites) {
    Json b = Json::object();
    b["total"] = int64_t(p.beforeRewrites->total);
    b["edgetpu"] = int64_t(p.beforeRewrites->mapped);
    char bf[32];
    std::snprintf(bf, sizeof bf, "%.4f", p.beforeRewrites->fraction());
    b["mapped_fraction"] = std::stod(bf);
    rw["before"] = b;
  } else {
    rw["before"] = Json();
  }
  Json applied = Json::array();
  for (const RewriteApplied &a : p.rewrites) {
    Json x = Json::object();
    x["rewrite"] = a.name;
    x["count"] = int64_t(a.count);
    x["exact"] = a.exact;
    x["what"] = a.what;
    applied.push(x);
  }
  rw["applied"] = applied;
  j["rewrites"] = rw;
  j["cpu_tail"] = p.onCpu ? Json(p.cpuTail.empty() ? std::string(kTfliteTail) : p.cpuTail)
                          : Json("none");
  return j;
}

std::string predictionText(const Prediction &p, const std::string &modelFile) {
  std::string t;
  t += "Edge TPU mapping prediction: " + std::string(kCompiler) + "\n";
  t += "Input model: " + modelFile + "\n";
  t += "Number of Edge TPU subgraphs: " + std::to_string(p.subgraphs) + "\n";
  t += "Total number of operations: " + std::to_string(p.total) + "\n";
  t += "Number of operations that will run on Edge TPU: " + std::to_string(p.onEdgeTpu) + "\n";
  t += "Number of operations that will run on CPU: " + std::to_string(p.onCpu) + "\n";
  t += "Mapped fraction: " + std::to_string(p.onEdgeTpu) + "/" + std::to_string(p.total) + " (" +
       percent(p.mappedFraction()) + ")\n";
  if (p.beforeRewrites)
    t += "Mapped fraction before edgec's rewrites: " + std::to_string(p.beforeRewrites->mapped) +
         "/" + std::to_string(p.beforeRewrites->total) + " (" +
         percent(p.beforeRewrites->fraction()) + ")\n";
  for (const RewriteApplied &a : p.rewrites)
    t += "Rewrite " + a.name + " x" + std::to_string(a.count) + (a.exact ? " (exact): " : " (not exact): ") +
         a.what + "\n";
  t += "On-chip memory used for caching model parameters (estimate): " +
       compilerSize(p.onChipEstimate) + "\n";
  t += "Off-chip memory used for streaming uncached model parameters (estimate): " +
       compilerSize(p.offChipEstimate) + "\n";
  t += latencyText(p.mappedMacs, p.offChipEstimate);
  if (p.onCpu)
    t += "CPU tail: " + (p.cpuTail.empty() ? std::string(kTfliteTail) : p.cpuTail) + "\n";
  // The compiler's column widths (its logs, e.g. google-coral/edgetpu#342):
  // operator in 31 characters, count in 11.
  t += "\n" + pad("Operator", 31) + pad("Count", 11) + "Status\n\n";
  for (const OpRow &r : p.table)
    t += pad(r.op, 31) + pad(std::to_string(r.count), 11) + statusString(r.status) + "\n";
  bool header = false;
  for (const NodeRow &r : p.nodes) {
    if (r.status == OpStatus::Mapped || r.status == OpStatus::MoreThanOneSubgraph) continue;
    if (!header) t += "\nwhy not mapped:\n";
    header = true;
    t += "  " + r.node->label() + ": " + statusString(r.status) + ": " + r.detail + " [" +
         r.source + "]\n";
    const char *hint = rewriteHint(hintKey(r), r.status);
    if (*hint) t += "    rewrite needed: " + std::string(hint) + "\n";
  }
  if (const NodeRow *f = p.firstUnmapped())
    t += "  every operation from " + f->node->label() +
         " on runs on the CPU: the compiler maps one subgraph, from the input to the first "
         "operation it cannot map\n";
  return t;
}

} // namespace edgec::edgetpu
