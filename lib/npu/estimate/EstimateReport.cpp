#include "npu/estimate/EstimateReport.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace edgec::npu {

namespace {

constexpr Memory kAll[] = {Memory::Sram, Memory::Dram, Memory::OnChipFlash, Memory::OffChipFlash};

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

/// A CSV number: integral values as "N.0" (as Vela's pandas writes them),
/// others with six decimals.
std::string num(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) return fixed(v, 1);
  return fixed(v, 6);
}

/// One summary line: the label padded to 33 columns, the value right-aligned
/// to end at column 53 (wider values push on), then the unit.
std::string line(const std::string &label, const std::string &value, const std::string &unit) {
  std::string l = label;
  if (l.size() < 33) l.resize(33, ' ');
  const size_t width = l.size() < 53 ? 53 - l.size() : 1;
  std::string v = value.size() < width ? std::string(width - value.size(), ' ') + value : value;
  return l + v + (unit.empty() ? "" : " " + unit) + "\n";
}

} // namespace

double peakBandwidthGBs(const MemorySystem &mem, Memory m, int axiBytes) {
  return mem.coreClockHz * axiBytes * mem.on(m).clockScale / 1e9;
}

std::string estimateSummaryText(const NetworkEstimate &n, const MemorySystem &mem, const EstimateContext &c) {
  std::ostringstream os;
  const double seconds = n.inferenceSeconds();
  os << "Network summary for " << c.network << " (edgec estimate, Vela's method)\n";
  os << line("Accelerator configuration", c.accelerator, "");
  os << line("System configuration", c.systemConfig, "");
  os << line("Memory mode", c.memoryMode, "");
  os << line("Accelerator clock", std::to_string(int64_t(std::llround(mem.coreClockHz / 1e6))), "MHz");
  for (Memory m : kAll)
    if (c.memoryPresent[size_t(m)])
      os << line(std::string("Design peak ") + memoryLabel(m) + " bandwidth",
                 fixed(peakBandwidthGBs(mem, m, c.axiBytes), 2), "GB/s");
  os << "\n";
  bool used = false;
  for (Memory m : kAll)
    if (c.memoryUsedBytes[size_t(m)] > 0) {
      os << line(std::string("Total ") + memoryLabel(m) + " used", fixed(c.memoryUsedBytes[size_t(m)] / 1024, 2), "KiB");
      used = true;
    }
  if (used) os << "\n";
  os << "NPU operations = " << n.ops.size() << ", DMA operations = " << n.dmaCount << "\n\n";
  for (Memory m : kAll) {
    if (!c.memoryPresent[size_t(m)]) continue;
    const MemoryTraffic &t = n.traffic[size_t(m)];
    const std::string mem_ = memoryLabel(m);
    const double mb = 1e6;
    os << line("Average " + mem_ + " bandwidth", fixed(seconds > 0 ? t.total() / seconds / 1e9 : 0, 2), "GB/s");
    os << line("Input   " + mem_ + " bandwidth", fixed(t.featureMapRead / mb, 2), "MB/batch");
    os << line("Weight  " + mem_ + " bandwidth", fixed((t.weightRead + t.weightWrite) / mb, 2), "MB/batch");
    os << line("Output  " + mem_ + " bandwidth", fixed(t.featureMapWrite / mb, 2), "MB/batch");
    os << line("Total   " + mem_ + " bandwidth", fixed(t.total() / mb, 2), "MB/batch");
    std::string perInput = "Total   " + mem_ + " bandwidth";
    perInput.resize(std::max<size_t>(perInput.size() + 1, 34), ' ');
    os << line(perInput + "per input", fixed(t.total() / mb, 2), "MB/inference (batch size 1)") << "\n";
  }
  os << line("Neural network macs", std::to_string(n.macs), "MACs/batch");
  os << line("Network Tops/s", fixed(seconds > 0 ? 2.0 * double(n.macs) / seconds / 1e12 : 0, 2), "Tops/s") << "\n";
  os << line("NPU cycles", fixed(n.npuCycles, 0), "cycles/batch");
  for (Memory m : kAll)
    os << line(std::string(memoryLabel(m)) + " Access cycles", fixed(n.accessCycles[size_t(m)], 0), "cycles/batch");
  os << line("Total cycles", fixed(n.totalCycles, 0), "cycles/batch") << "\n";
  std::string label = "Batch Inference time";
  label.resize(21, ' ');
  std::string ms = fixed(seconds * 1e3, 2);
  os << label << std::string(ms.size() < 20 ? 20 - ms.size() : 0, ' ') << ms << " ms, "
     << fixed(n.inferencesPerSecond(), 2) << " inferences/s (batch size 1)\n";
  return os.str();
}

const std::vector<std::string> &summaryCsvColumns() {
  static const std::vector<std::string> cols = [] {
    std::vector<std::string> c = {"experiment", "network", "accelerator_configuration", "system_config",
                                  "memory_mode", "core_clock", "arena_cache_size"};
    for (Memory m : kAll) c.push_back(std::string(memoryKey(m)) + "_bandwidth");
    for (const char *s : {"weights_storage_area", "feature_map_storage_area", "inferences_per_second",
                          "batch_size", "inference_time", "passes_before_fusing", "passes_after_fusing"})
      c.push_back(s);
    for (Memory m : kAll) c.push_back(std::string(memoryKey(m)) + "_memory_used");
    c.push_back("total_original_weights");
    c.push_back("total_npu_encoded_weights");
    for (Memory m : kAll)
      for (const char *s : {"_feature_map_read_bytes", "_feature_map_write_bytes", "_weight_read_bytes",
                            "_weight_write_bytes", "_total_bytes"})
        c.push_back(memoryKey(m) + std::string(s));
    for (const char *s : {"nn_macs", "nn_tops", "cycles_npu", "cycles_sram_access", "cycles_dram_access",
                          "cycles_on_chip_flash_access", "cycles_off_chip_flash_access", "cycles_total"})
      c.push_back(s);
    return c;
  }();
  return cols;
}

const std::vector<std::string> &perLayerCsvColumns() {
  static const std::vector<std::string> cols = {
      "TFLite_operator", "NNG Operator", "SRAM Usage", "Peak%",      "Op Cycles", "Network%",
      "NPU",             "SRAM AC",      "DRAM AC",    "OnFlash AC", "OffFlash AC", "MAC Count",
      "Network%",        "Util%",        "Name"};
  return cols;
}

namespace {

std::string joinRow(const std::vector<std::string> &v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + v[i];
  return s + "\n";
}

} // namespace

std::string estimateSummaryCsv(const NetworkEstimate &n, const MemorySystem &mem, const EstimateContext &c) {
  const double seconds = n.inferenceSeconds();
  std::vector<std::string> v = {"edgec_estimate", c.network, c.accelerator, c.systemConfig, c.memoryMode,
                                num(mem.coreClockHz), num(c.arenaCacheKiB)};
  for (Memory m : kAll) v.push_back(num(peakBandwidthGBs(mem, m, c.axiBytes)));
  v.push_back(memoryLabel(mem.ofRegion(0)));
  v.push_back(memoryLabel(mem.ofRegion(1)));
  v.push_back(num(n.inferencesPerSecond()));
  v.push_back("1");
  v.push_back(num(seconds));
  v.push_back("");                          // passes before fusing: not in the stream
  v.push_back(std::to_string(n.ops.size())); // operations in the stream
  for (Memory m : kAll) v.push_back(num(c.memoryUsedBytes[size_t(m)] / 1024));
  v.push_back(""); // original weights: not in the stream
  double encoded = 0;
  for (const MemoryTraffic &t : n.traffic) encoded += t.weightWrite;
  v.push_back(num(encoded)); // the weights the DMA brings in
  for (Memory m : kAll) {
    const MemoryTraffic &t = n.traffic[size_t(m)];
    for (double b : {t.featureMapRead, t.featureMapWrite, t.weightRead, t.weightWrite, t.total()}) v.push_back(num(b));
  }
  v.push_back(std::to_string(n.macs));
  v.push_back(num(seconds > 0 ? 2.0 * double(n.macs) / seconds / 1e12 : 0));
  v.push_back(num(n.npuCycles));
  for (Memory m : kAll) v.push_back(num(n.accessCycles[size_t(m)]));
  v.push_back(num(n.totalCycles));
  return joinRow(summaryCsvColumns()) + joinRow(v);
}

std::string estimatePerLayerCsv(const NetworkEstimate &n) {
  std::string out = joinRow(perLayerCsvColumns());
  for (const OpEstimate &e : n.ops) {
    std::vector<std::string> v = {e.name, e.name, "", ""};
    v.push_back(num(e.totalCycles));
    v.push_back(num(n.totalCycles > 0 ? 100.0 * e.totalCycles / n.totalCycles : 0));
    v.push_back(num(e.npuCycles));
    for (double a : e.accessCycles) v.push_back(num(a));
    v.push_back(std::to_string(e.macs));
    v.push_back(num(n.macs > 0 ? 100.0 * double(e.macs) / double(n.macs) : 0));
    v.push_back(num(100.0 * e.utilisation));
    v.push_back("op " + std::to_string(e.index));
    out += joinRow(v);
  }
  return out;
}

Json estimateJson(const NetworkEstimate &n, const MemorySystem &mem, const EstimateContext &c) {
  Json j = Json::object();
  j["estimate"] = "edgec cycle estimate (Vela 3.10's method, calibrated against Vela on U55-128)";
  j["network"] = c.network;
  j["accelerator_configuration"] = c.accelerator;
  j["system_config"] = c.systemConfig;
  j["memory_mode"] = c.memoryMode;
  j["core_clock"] = mem.coreClockHz;
  j["npu_cycles"] = n.npuCycles;
  j["total_cycles"] = n.totalCycles;
  j["macs"] = n.macs;
  j["inference_time_s"] = n.inferenceSeconds();
  j["inferences_per_second"] = n.inferencesPerSecond();
  j["dma_operations"] = int64_t(n.dmaCount);
  Json access = Json::object(), bytes = Json::object();
  for (Memory m : kAll) {
    access[memoryKey(m)] = n.accessCycles[size_t(m)];
    const MemoryTraffic &t = n.traffic[size_t(m)];
    Json b = Json::object();
    b["feature_map_read"] = t.featureMapRead;
    b["feature_map_write"] = t.featureMapWrite;
    b["weight_read"] = t.weightRead;
    b["weight_write"] = t.weightWrite;
    b["total"] = t.total();
    bytes[memoryKey(m)] = b;
  }
  j["access_cycles"] = access;
  j["bytes"] = bytes;
  Json ops = Json::array();
  for (const OpEstimate &e : n.ops) {
    Json o = Json::object();
    o["index"] = int64_t(e.index);
    o["op"] = e.name;
    o["npu_cycles"] = e.npuCycles;
    Json a = Json::object();
    for (Memory m : kAll) a[memoryKey(m)] = e.accessCycles[size_t(m)];
    o["access_cycles"] = a;
    o["total_cycles"] = e.totalCycles;
    o["macs"] = e.macs;
    o["utilisation"] = e.utilisation;
    ops.push(o);
  }
  j["per_operation"] = ops;
  return j;
}

} // namespace edgec::npu
