// The Ethos-U placement report (see NpuPlacement.h).
#include "targets/npu/NpuPlacement.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace edgec::ethosu {

std::vector<std::string> PlacementRow::counted() const {
  std::vector<std::string> out;
  for (const TfliteOperatorUse &o : judgement.operators) out.push_back(o.name);
  if (out.empty() && !judgement.onNpu()) out.push_back("(" + node->opType + ")");
  return out;
}

double PlacementReport::npuPercent() const {
  int t = npuOperators + cpuOperators;
  return t ? 100.0 * npuOperators / t : 0.0;
}

double PlacementReport::cpuPercent() const {
  int t = npuOperators + cpuOperators;
  return t ? 100.0 * cpuOperators / t : 0.0;
}

PlacementReport placementReport(const target::Partition &p, const npu::AcceleratorConfig &accel,
                                const SystemSetup &setup,
                                const std::function<NodeJudgement(const Node &)> &judge) {
  PlacementReport r;
  r.accelerator = std::string(accel.velaName);
  r.setup = setup;
  r.axiBytes = accel.axiBytes;
  for (const target::NodePlacement &pl : p.placements) {
    PlacementRow row;
    row.node = pl.node;
    row.judgement = judge(*pl.node);
    row.onNpu = pl.kind == target::NodePlacement::Kind::OnTarget;
    row.runsOn = pl.target;
    if (pl.kind == target::NodePlacement::Kind::Unsupported) {
      // The partition's reason is "<npu refusal>; <fallback>: <its refusal>".
      std::string key = p.fallback.empty() ? "" : "; " + p.fallback + ": ";
      size_t at = key.empty() ? std::string::npos : pl.reason.rfind(key);
      row.fallbackReason = at == std::string::npos ? "no fallback target"
                                                   : p.fallback + ": " + pl.reason.substr(at + key.size());
    }
    for (const std::string &op : row.counted()) {
      (row.onNpu ? r.npuOperators : r.cpuOperators) += 1;
      bool found = false;
      for (OperatorCount &c : r.table)
        if (c.op == op && c.onNpu == row.onNpu) {
          ++c.count;
          found = true;
        }
      if (!found) r.table.push_back({op, row.onNpu, 1});
    }
    r.rows.push_back(std::move(row));
  }
  return r;
}

namespace {

std::string fixed(double v, int digits) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}

/// One line of Vela's network summary: the label, the value, the unit.
std::string summaryLine(const std::string &label, const std::string &value,
                        const std::string &unit = "") {
  // As in Vela's logs: the value starts at column 33 or later (one space
  // after a longer label) and is right-aligned to column 53 when it fits.
  size_t start = std::max<size_t>(33, label.size() + 1);
  size_t end = std::max<size_t>(53, start + value.size());
  return label + std::string(end - value.size() - label.size(), ' ') + value +
         (unit.empty() ? "" : " " + unit) + "\n";
}

/// Vela's names for the memories in its summary ("Off-chip Flash").
std::string memoryLabel(MemoryType t) {
  switch (t) {
  case MemoryType::Sram: return "SRAM";
  case MemoryType::Dram: return "DRAM";
  case MemoryType::OnChipFlash: return "On-chip Flash";
  case MemoryType::OffChipFlash: return "Off-chip Flash";
  }
  return "?";
}

std::string clockText(double hz) {
  double mhz = hz / 1e6;
  return fixed(mhz, mhz == std::floor(mhz) ? 0 : 2);
}

} // namespace

Json placementJson(const PlacementReport &r) {
  Json j = Json::object();
  j["schema"] = "edgec.npu-placement.v1";
  j["rules"] = "Vela 3.10 operator constraints (NPU-EDGETPU.md A.6), every failing one named";
  j["accelerator"] = r.accelerator;
  j["system_config"] = r.setup.system.name;
  j["memory_mode"] = r.setup.mode.name;
  j["config_source"] = r.setup.source;
  j["core_clock"] = r.setup.system.coreClock;
  Json mem = Json::object();
  mem["const"] = memoryTypeName(r.setup.constMemory());
  mem["arena"] = memoryTypeName(r.setup.arenaMemory());
  mem["cache"] = memoryTypeName(r.setup.cacheMemory());
  mem["arena_cache_size"] = r.setup.mode.arenaCacheSize;
  j["memory"] = mem;
  Json ops = Json::object();
  ops["npu"] = int64_t(r.npuOperators);
  ops["cpu"] = int64_t(r.cpuOperators);
  ops["total"] = int64_t(r.npuOperators + r.cpuOperators);
  ops["npu_percent"] = std::stod(fixed(r.npuPercent(), 1));
  ops["cpu_percent"] = std::stod(fixed(r.cpuPercent(), 1));
  j["operators"] = ops;
  Json table = Json::array();
  for (const OperatorCount &c : r.table) {
    Json x = Json::object();
    x["operator"] = c.op;
    x["placement"] = c.onNpu ? "npu" : "cpu";
    x["count"] = int64_t(c.count);
    table.push(x);
  }
  j["table"] = table;
  Json nodes = Json::array();
  for (const PlacementRow &row : r.rows) {
    Json x = Json::object();
    x["node"] = row.node->name;
    x["op"] = row.node->opType;
    Json os = Json::array();
    for (const std::string &o : row.counted()) os.push(o);
    x["operators"] = os;
    x["placement"] = row.onNpu ? "npu" : "cpu";
    x["runs_on"] = row.runsOn.empty() ? Json() : Json(row.runsOn);
    Json fs = Json::array();
    for (const Failure &f : row.judgement.failures) {
      Json y = Json::object();
      y["operator"] = f.op;
      y["constraint"] = f.id();
      y["sentence"] = f.sentence();
      y["detail"] = f.detail;
      y["source"] = f.source();
      fs.push(y);
    }
    x["failures"] = fs;
    if (!row.fallbackReason.empty()) x["fallback_reason"] = row.fallbackReason;
    nodes.push(x);
  }
  j["nodes"] = nodes;
  return j;
}

std::string placementText(const PlacementReport &r, const std::string &model) {
  std::string t = "Ethos-U placement for " + model +
                  " (edgec, Vela 3.10 operator constraints; every failing constraint named)\n";
  t += summaryLine("Accelerator configuration", r.accelerator);
  t += summaryLine("System configuration", r.setup.system.name);
  t += summaryLine("Memory mode", r.setup.mode.name);
  t += summaryLine("Accelerator clock", clockText(r.setup.system.coreClock), "MHz");
  for (MemoryType m : {r.setup.system.axi0, r.setup.system.axi1}) {
    if (m == r.setup.system.axi1 && r.setup.system.axi0 == r.setup.system.axi1) break;
    t += summaryLine("Design peak " + memoryLabel(m) + " bandwidth",
                     fixed(r.setup.peakBandwidth(m, r.axiBytes) / 1e9, 2), "GB/s");
  }
  t += "\nCPU operators = " + std::to_string(r.cpuOperators) + " (" + fixed(r.cpuPercent(), 1) +
       "%)\n";
  t += "NPU operators = " + std::to_string(r.npuOperators) + " (" + fixed(r.npuPercent(), 1) +
       "%)\n";
  t += "\nOperator                       Count  Placement\n";
  for (const OperatorCount &c : r.table) {
    std::string op = c.op.size() >= 31 ? c.op + " " : c.op + std::string(31 - c.op.size(), ' ');
    std::string n = std::to_string(c.count);
    t += op + n + std::string(n.size() >= 7 ? 1 : 7 - n.size(), ' ') + (c.onNpu ? "NPU" : "CPU") + "\n";
  }
  bool header = false;
  for (const PlacementRow &row : r.rows) {
    if (row.onNpu) continue;
    if (!header) t += "\nCPU operations (every constraint each one fails):\n";
    header = true;
    t += "  " + row.node->label() + ": " +
         (row.runsOn.empty() ? "runs nowhere (" + row.fallbackReason + ")" : "runs on " + row.runsOn) +
         "\n";
    for (const Failure &f : row.judgement.failures) {
      if (!f.constraint) t += "   - " + f.detail + " [" + f.source() + "]\n";
      else t += "   - " + f.op + ": " + f.sentence() + ": " + f.detail + " [" + f.source() + "]\n";
    }
  }
  return t;
}

} // namespace edgec::ethosu
