// The bench matrix: entries, their row figures, the table (BenchMatrix.h).
#include "BenchMatrix.h"

#include "BenchBaseline.h"
#include "report/BenchHtml.h"
#include "support/FileIO.h"
#include "targets/Driver.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <set>
#include <sstream>

namespace edgec::tool {

const std::vector<FigureInfo> &matrixFigures() {
  static const std::vector<FigureInfo> f = {
      {"host_median_ns", "host ms", true, true},
      {"instructions", "instructions", true, false},
      {"macs_per_instruction", "MACs/instr", false, false},
      {"flash_bytes", "flash B", true, false},
      {"ram_bytes", "RAM B", true, false},
      {"arena_bytes", "arena B", true, false},
      {"arena_lower_bound_bytes", "arena bound B", false, false},
  };
  return f;
}

Expected<std::vector<MatrixEntry>> parseTargetList(const std::string &list) {
  std::vector<MatrixEntry> out;
  std::set<std::string> seen;
  std::stringstream ss(list);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.empty()) return Error(ErrorCode::Usage, "--targets '" + list + "': empty entry");
    if (!seen.insert(item).second)
      return Error(ErrorCode::Usage, "--targets: entry '" + item + "' given twice");
    MatrixEntry e;
    e.name = item;
    auto colon = item.find(':');
    e.target = item.substr(0, colon);
    if (colon != std::string::npos) e.cpu = item.substr(colon + 1);
    if (e.target.empty() || (colon != std::string::npos && e.cpu.empty()))
      return Error(ErrorCode::Usage, "--targets: entry '" + item + "' is not TARGET[:CPU]");
    out.push_back(e);
  }
  if (out.empty() || list.back() == ',')
    return Error(ErrorCode::Usage, "--targets '" + list + "': empty entry");
  return out;
}

namespace {

/// The row figures of one entry from its single-target bench report:
/// host latency from the host section, instructions, flash and RAM from
/// the section of the executor that counts instructions (QEMU). A figure
/// the report does not have is left out.
Json rowFigures(const Json &bench) {
  Json f = Json::object();
  if (const Json *host = bench.find("host"))
    if (const Json *ns = host->find("median_ns")) f["host_median_ns"] = *ns;
  for (const auto &section : bench.members()) {
    const Json &sec = section.second;
    const Json *ins = sec.find("instructions");
    if (!ins || !ins->isNumber()) continue;
    f["instructions"] = *ins;
    if (const Json *x = sec.find("macs_per_instruction")) f["macs_per_instruction"] = *x;
    if (const Json *x = sec.find("model_flash_bytes")) f["flash_bytes"] = *x;
    if (const Json *x = sec.find("ram_bytes")) f["ram_bytes"] = *x;
  }
  if (const Json *x = bench.find("arena_bytes")) f["arena_bytes"] = *x;
  if (const Json *x = bench.find("arena_lower_bound_bytes")) f["arena_lower_bound_bytes"] = *x;
  return f;
}

std::string cell(const std::string &key, const Json *v) {
  if (!v) return "-";
  char b[40];
  if (key == "host_median_ns") std::snprintf(b, sizeof b, "%.3f", v->asDouble() / 1e6);
  else if (v->isInt()) std::snprintf(b, sizeof b, "%lld", (long long)v->asInt());
  else std::snprintf(b, sizeof b, "%.3f", v->asDouble());
  return b;
}

/// One row per entry; text columns left-aligned, figures right-aligned.
std::string table(const Json &matrix) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head = {"target", "cpu", "executors"};
  for (const FigureInfo &f : matrixFigures()) head.push_back(f.column);
  rows.push_back(head);
  for (const Json &e : matrix.find("entries")->elements()) {
    std::string ex;
    for (const Json &x : e.find("executors")->elements()) ex += (ex.empty() ? "" : "+") + x.asString();
    std::vector<std::string> r = {e.find("target")->asString(), e.find("cpu")->asString(), ex};
    for (const FigureInfo &f : matrixFigures()) r.push_back(cell(f.key, e.find("figures")->find(f.key)));
    rows.push_back(r);
  }
  std::vector<size_t> width(head.size(), 0);
  for (const auto &r : rows)
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  std::string out;
  for (const auto &r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      std::string pad(width[i] - r[i].size(), ' ');
      line += (i ? "  " : "") + (i < 3 ? r[i] + pad : pad + r[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

/// The bench options of one entry. `--no-host` skips the host only where
/// the entry runs somewhere else too; each entry builds in its own
/// subdirectory of --keep.
Expected<BenchOptions> entryOptions(const BenchOptions &o, const MatrixEntry &e) {
  BenchOptions eo = o;
  eo.req.target = e.target;
  eo.req.cpu = e.cpu;
  resolveHostAlias(eo.req);
  Expected<target::TargetSetup> setup = target::setUpTarget(eo.req.target, eo.req.options, eo.req.cpu);
  if (!setup) return setup.error().withContext("--targets entry '" + e.name + "': ");
  std::vector<std::string> ex = setup->target->executors();
  eo.noHost = o.noHost && std::any_of(ex.begin(), ex.end(), [](const std::string &x) { return x != "host"; });
  if (!o.runReq.keep.empty()) {
    std::string sub = e.name;
    std::replace(sub.begin(), sub.end(), ':', '-');
    eo.runReq.keep = o.runReq.keep + "/" + sub;
  }
  return eo;
}

} // namespace

Status runBenchMatrix(const BenchOptions &o, const MatrixOptions &m) {
  EDGEC_ASSIGN_OR_RETURN(std::vector<MatrixEntry> entries, parseTargetList(m.targets));
  // Everything that can be refused is refused before minutes of benching.
  std::vector<BenchOptions> runs;
  for (const MatrixEntry &e : entries) {
    EDGEC_ASSIGN_OR_RETURN(BenchOptions eo, entryOptions(o, e));
    runs.push_back(eo);
  }
  Json baseline;
  if (!m.baseline.empty()) {
    EDGEC_ASSIGN_OR_RETURN(baseline, loadBaseline(m.baseline));
  }

  Json doc = Json::object();
  doc["schema"] = "edgec.bench-matrix.v1";
  doc["model"] = o.req.model;
  Json rows = Json::array();
  for (size_t i = 0; i < entries.size(); ++i) {
    std::ostringstream text;
    Expected<Json> bench = benchTarget(runs[i], text);
    if (!bench) return bench.error().withContext(entries[i].name + ": ");
    Json r = Json::object();
    r["entry"] = entries[i].name;
    r["target"] = runs[i].req.target;
    const Json *cpu = bench->find("cpu");
    r["cpu"] = cpu ? cpu->asString() : (entries[i].cpu.empty() ? "-" : entries[i].cpu);
    Json ex = Json::array();
    for (const auto &[key, sec] : bench->members()) // the executors' sections
      if (sec.isObject()) ex.push(key);
    r["executors"] = ex;
    r["figures"] = rowFigures(*bench);
    r["bench"] = *bench;
    rows.push(r);
  }
  doc["entries"] = rows;

  BaselineCheck check;
  if (!m.baseline.empty()) {
    check = compareWithBaseline(doc, baseline, m);
    doc["baseline"] = check.json;
  }
  if (!o.html.empty()) EDGEC_TRY(writeFileBytes(o.html, report::benchMatrixHtml(doc)));
  std::ostringstream thr;
  thr << m.thresholdPct << "%";
  if (o.json) {
    std::cout << doc.dump();
  } else {
    std::cout << "bench " << o.req.model << "\n" << table(doc);
    if (!m.baseline.empty()) {
      std::cout << "baseline " << m.baseline << ": " << check.compared << " figure(s) compared, "
                << check.regressions.size() << " regressed past " << thr.str() << "\n";
      for (const std::string &n : check.notes) std::cout << n << "\n";
    }
  }
  std::cout.flush();
  if (check.regressions.empty()) return Status::ok();
  for (const std::string &r : check.regressions) std::cerr << r << "\n";
  return Error(ErrorCode::Regression, std::to_string(check.regressions.size()) +
                                          " figure(s) regressed past the " + thr.str() +
                                          " threshold of the baseline " + m.baseline);
}

} // namespace edgec::tool
