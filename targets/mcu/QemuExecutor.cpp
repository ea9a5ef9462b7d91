// Running a package under QEMU Cortex-M (see QemuExecutor.h).
#include "targets/mcu/QemuExecutor.h"

#include "support/FileIO.h"
#include "support/Process.h"
#include "targets/common/CHarness.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace edgec::mcu {

namespace {

struct SizeInfo {
  int64_t text = 0, data = 0, bss = 0;
};

/// `arm-none-eabi-size` (Berkeley format) of the ELF.
Expected<SizeInfo> elfSize(const std::string &dir, const std::string &cpu) {
  std::string log = dir + "/edgec_size.log";
  int rc = runCommand("make --no-print-directory -s -C " + shellQuote(dir) + " CPU=" +
                          shellQuote(cpu) + " size",
                      log);
  EDGEC_ASSIGN_OR_RETURN(std::string text, readFileBytes(log));
  if (rc != 0) return Error(ErrorCode::Runtime, "make size failed: " + text);
  std::istringstream is(text);
  std::string line;
  SizeInfo s;
  bool header = false;
  while (std::getline(is, line)) {
    if (line.find("text") != std::string::npos && line.find("data") != std::string::npos &&
        line.find("bss") != std::string::npos) {
      header = true;
      continue;
    }
    if (header) {
      std::istringstream ls(line);
      ls >> s.text >> s.data >> s.bss;
      return s;
    }
  }
  return Error(ErrorCode::Runtime, "cannot parse the output of size: " + text);
}

/// Flash of the model itself: text (code + read-only data, weights
/// included) and data of the model and runtime kernel objects, from
/// arm-none-eabi-size on the objects (an upper bound: --gc-sections may
/// drop unused kernel functions). The harness, startup code and newlib are
/// not counted. `code` gets the kernel objects' text.
Expected<int64_t> modelFlash(const std::string &dir, const std::string &cpu,
                             const std::string &name, int64_t &code) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path obj = fs::path(dir) / "build" / cpu / "obj";
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(obj, ec); it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    std::string p = it->path().string();
    if (it->path().extension() != ".o") continue;
    if (it->path().filename() == name + ".o" || p.find("/runtime/kernels/") != std::string::npos)
      files.push_back(p);
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) return Error(ErrorCode::Runtime, "no model objects under " + obj.string());
  std::string cmd = "arm-none-eabi-size";
  for (const std::string &f : files) cmd += " " + shellQuote(f);
  std::string log = dir + "/edgec_objsize.log";
  if (runCommand(cmd, log) != 0) return Error(ErrorCode::Runtime, "arm-none-eabi-size failed");
  EDGEC_ASSIGN_OR_RETURN(std::string text, readFileBytes(log));
  std::istringstream is(text);
  std::string line;
  int64_t total = 0;
  code = 0;
  while (std::getline(is, line)) {
    std::istringstream ls(line);
    int64_t t = 0, d = 0;
    if (!(ls >> t >> d)) continue; // header
    total += t + d;
    std::string rest;
    std::getline(ls, rest);
    if (rest.find("/" + name + ".o") == std::string::npos) code += t;
  }
  return total;
}

/// Largest -fstack-usage frame of NAME_run plus the largest frame among
/// the runtime kernels (generated code calls kernels one level deep).
Expected<int64_t> worstStack(const std::string &dir, const std::string &cpu,
                             const std::string &name, std::string &detail) {
  namespace fs = std::filesystem;
  int64_t runFrame = 0, kernelFrame = 0;
  std::string kernelName;
  std::error_code ec;
  fs::path obj = fs::path(dir) / "build" / cpu / "obj";
  if (!fs::exists(obj, ec)) return Error(ErrorCode::Runtime, "no objects under " + obj.string());
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(obj, ec); it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->path().extension() == ".su") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  for (const fs::path &f : files) {
    bool kernel = f.string().find("/runtime/kernels/") != std::string::npos;
    bool model = f.filename() == name + ".su";
    std::ifstream in(f);
    std::string line;
    while (std::getline(in, line)) {
      // file:line:col:function<TAB>bytes<TAB>static|dynamic
      auto t1 = line.find('\t');
      if (t1 == std::string::npos) continue;
      std::string fn = line.substr(0, t1);
      fn = fn.substr(fn.rfind(':') + 1);
      int64_t bytes = std::atoll(line.c_str() + t1 + 1);
      if (model && fn == name + "_run") runFrame = std::max(runFrame, bytes);
      if (kernel && bytes > kernelFrame) {
        kernelFrame = bytes;
        kernelName = fn;
      }
    }
  }
  detail = name + "_run " + std::to_string(runFrame) + " B + " +
           (kernelName.empty() ? "no kernel" : kernelName) + " " + std::to_string(kernelFrame) + " B";
  return runFrame + kernelFrame;
}

} // namespace

Status QemuExecutor::checkFits(const Json &report) const {
  auto num = [](const Json *x) { return x ? x->asInt() : int64_t(0); };
  int64_t weights = num(report.find("weight_bytes"));
  const Json *arena = report.find("arena");
  int64_t ram = arena ? num(arena->find("bytes_with_io")) : 0;
  auto mib = [](int64_t b) { return std::to_string((b + (1 << 19)) >> 20) + " MiB"; };
  if (weights + (128 << 10) > cpu_.flashBytes)
    return Error(ErrorCode::Unsupported,
                 "the model's " + std::to_string(weights) + " bytes of weights do not fit the " +
                     std::string(cpu_.qemuMachine) + " machine (" + mib(cpu_.flashBytes) +
                     " for code and weights); validate it on the host (--cpu host)");
  if (ram + (512 << 10) > cpu_.ramBytes)
    return Error(ErrorCode::Unsupported,
                 "the model's arena and buffers (" + std::to_string(ram) + " bytes) do not fit the " +
                     std::string(cpu_.qemuMachine) + " machine (" + mib(cpu_.ramBytes) +
                     " of RAM); validate it on the host (--cpu host)");
  return Status::ok();
}

Expected<target::ExecResult> QemuExecutor::run(const target::ExecRequest &r) const {
  EDGEC_ASSIGN_OR_RETURN(target::ExecResult res, target::runCPackage(r, cpu_.name));
  if (!r.sizes) return res;
  if (r.onStep) r.onStep("measuring flash and stack");
  EDGEC_ASSIGN_OR_RETURN(SizeInfo sz, elfSize(r.dir, cpu_.name));
  std::string stackDetail;
  EDGEC_ASSIGN_OR_RETURN(int64_t stack, worstStack(r.dir, cpu_.name, r.name, stackDetail));
  int64_t kernelCode = 0;
  EDGEC_ASSIGN_OR_RETURN(int64_t mflash, modelFlash(r.dir, cpu_.name, r.name, kernelCode));
  Json &m = res.metrics;
  m["elf_text_bytes"] = sz.text;
  m["elf_data_bytes"] = sz.data;
  m["elf_bss_bytes"] = sz.bss;
  m["flash_bytes"] = sz.text + sz.data;
  m["model_flash_bytes"] = mflash;
  m["kernel_code_bytes"] = kernelCode;
  m["stack_bytes"] = stack;
  m["stack_detail"] = stackDetail;
  res.metricLines.push_back("ELF (harness + newlib included): text " + std::to_string(sz.text) +
                            " B, data " + std::to_string(sz.data) + " B, bss " +
                            std::to_string(sz.bss) + " B; worst stack " + std::to_string(stack) +
                            " B (" + stackDetail + ")");
  res.metricLines.push_back("model flash (model + kernel objects): " + std::to_string(mflash) +
                            " B (kernel code " + std::to_string(kernelCode) + " B)");
  return res;
}

} // namespace edgec::mcu
