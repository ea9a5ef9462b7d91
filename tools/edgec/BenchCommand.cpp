// edgec bench: compile for the MCU target and measure the generated code:
// host latency (median of N runs after warm-up) next to the reference
// interpreter in the same run, and for a Cortex-M --cpu, instructions per
// inference under QEMU -icount (total and per layer), MACs per
// instruction, flash (text + rodata + data), RAM (arena + static data) and
// the worst stack frame chain (from -fstack-usage).
#include "Commands.h"

#include "CompileDriver.h"
#include "targets/mcu/PackageRunner.h"
#include "interp/Interpreter.h"
#include "support/Json.h"
#include "support/FileIO.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace edgec::tool {

using namespace edgec::mcu;

namespace {

struct BenchOptions {
  CompileRequest req;
  int runs = 20, warmup = 3;
  bool json = false;
  bool noInterpreter = false;
  bool noHost = false;
  RunRequest runReq;
};

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
/// not counted.
int64_t modelFlash(const std::string &dir, const std::string &cpu, const std::string &name,
                   int64_t &code) {
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
  if (files.empty()) return -1;
  std::string cmd = "arm-none-eabi-size";
  for (const std::string &f : files) cmd += " " + shellQuote(f);
  std::string log = dir + "/edgec_objsize.log";
  if (runCommand(cmd, log) != 0) return -1;
  auto text = readFileBytes(log);
  if (!text.isOk()) return -1;
  std::istringstream is(*text);
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
int64_t worstStack(const std::string &dir, const std::string &cpu, const std::string &name,
                   std::string &detail) {
  namespace fs = std::filesystem;
  int64_t runFrame = 0, kernelFrame = 0;
  std::string kernelName;
  std::error_code ec;
  fs::path obj = fs::path(dir) / "build" / cpu / "obj";
  if (!fs::exists(obj, ec)) return -1;
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

Status runBench(BenchOptions o) {
  if (o.req.target == "host") {
    o.req.target = "mcu";
    if (o.req.cpu.empty()) o.req.cpu = "host";
  }
  EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<PackageBuild> pb,
                         buildPackage(o.req, o.runReq, "edgec-bench-"));
  CompileOutput &c = pb->compiled;
  const std::string &dir = pb->dir;
  const std::vector<Tensor> &inputs = pb->inputs;
  std::vector<const Value *> outs(c.model->graph->outputs.begin(), c.model->graph->outputs.end());
  const Json &rep = c.result.report;
  auto num = [](const Json *x) { return x ? x->asInt() : int64_t(0); };
  int64_t macs = num(rep.find("macs")), weights = num(rep.find("weight_bytes"));
  int64_t arena = rep.find("arena") ? num(rep.find("arena")->find("bytes")) : 0;
  Json j = Json::object();
  j["schema"] = "edgec.bench-report.v1";
  j["model"] = o.req.model;
  j["cpu"] = o.req.cpu.empty() ? "cortex-m4" : o.req.cpu;
  j["macs"] = macs;
  j["arena_bytes"] = arena;
  j["weight_bytes"] = weights;
  std::ostringstream text;
  text << "bench " << o.req.model << " (" << macs << " MACs, arena " << arena << " B, weights "
       << weights << " B)\n";

  if (!o.noHost) {
    HarnessRequest hr;
    hr.dir = dir;
    hr.cpu = "host";
    hr.runs = o.runs;
    hr.warmup = o.warmup;
    EDGEC_ASSIGN_OR_RETURN(HarnessRun h, buildAndRun(hr, inputs, outs));
    Json hj = Json::object();
    hj["runs"] = o.runs;
    hj["median_ns"] = (int64_t)h.medianCount;
    hj["min_ns"] = (int64_t)h.minCount;
    text << "host: compiled code median " << double(h.medianCount) / 1e6 << " ms (min "
         << double(h.minCount) / 1e6 << " ms, " << o.runs << " runs)\n";
    if (!o.noInterpreter) {
      std::map<std::string, Tensor> feeds;
      size_t k = 0;
      for (const Value *v : c.model->graph->inputs)
        if (!v->isInitializer()) feeds[v->name] = inputs[k++];
      Interpreter interp(*c.model);
      std::vector<double> ts;
      int n = std::max(3, std::min(o.runs, 10));
      for (int r = 0; r < n + 1; ++r) {
        auto t0 = std::chrono::steady_clock::now();
        EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> got, interp.run(feeds));
        auto t1 = std::chrono::steady_clock::now();
        if (r > 0) ts.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
      }
      std::sort(ts.begin(), ts.end());
      double med = ts[ts.size() / 2];
      hj["interpreter_median_ns"] = (int64_t)med;
      hj["speedup_vs_interpreter"] = h.medianCount ? med / double(h.medianCount) : 0.0;
      text << "host: interpreter median " << med / 1e6 << " ms -> compiled code is "
           << (h.medianCount ? med / double(h.medianCount) : 0.0) << "x faster\n";
    }
    j["host"] = hj;
  }

  std::string cpu = o.req.cpu.empty() ? "cortex-m4" : o.req.cpu;
  if (cpu != "host") {
    EDGEC_TRY(checkFitsMachine(c.result.report, cpu));
    HarnessRequest qr;
    qr.dir = dir;
    qr.cpu = cpu;
    EDGEC_ASSIGN_OR_RETURN(HarnessRun q, buildAndRun(qr, inputs, outs));
    Json qj = Json::object();
    qj["unit"] = q.unit;
    qj["instructions"] = (int64_t)q.medianCount;
    double mpi = q.medianCount ? double(macs) / double(q.medianCount) : 0.0;
    qj["macs_per_instruction"] = mpi;
    EDGEC_ASSIGN_OR_RETURN(SizeInfo sz, elfSize(dir, cpu));
    std::string stackDetail;
    int64_t stack = worstStack(dir, cpu, c.name, stackDetail);
    qj["elf_text_bytes"] = sz.text;
    qj["elf_data_bytes"] = sz.data;
    qj["elf_bss_bytes"] = sz.bss;
    qj["flash_bytes"] = sz.text + sz.data;
    int64_t kernelCode = 0;
    int64_t mflash = modelFlash(dir, cpu, c.name, kernelCode);
    qj["model_flash_bytes"] = mflash;
    qj["kernel_code_bytes"] = kernelCode;
    qj["stack_bytes"] = stack;
    qj["stack_detail"] = stackDetail;
    // What the model needs in RAM: the arena, the input/output buffers the
    // caller provides, and the worst stack of the run (the model and kernel
    // objects have no static data: runtime_rules_test checks it).
    const Json *ar = rep.find("arena");
    int64_t withIo = ar ? num(ar->find("bytes_with_io")) : 0;
    qj["ram_bytes"] = withIo + std::max<int64_t>(stack, 0);
    text << "qemu " << cpu << ": " << q.medianCount << " " << q.unit << " per inference, "
         << mpi << " MACs/instruction\n";
    text << "  ELF (harness + newlib included): text " << sz.text << " B, data " << sz.data
         << " B, bss " << sz.bss << " B; worst stack " << stack << " B (" << stackDetail << ")\n";
    text << "  model flash (model + kernel objects): " << mflash << " B (kernel code " << kernelCode
         << " B, weights and tables " << weights << " B)\n";
    {
      const Json *ar = rep.find("arena");
      int64_t withIo = ar ? num(ar->find("bytes_with_io")) : 0;
      text << "  model RAM: arena + inputs/outputs " << withIo << " B + stack " << stack
           << " B = " << withIo + std::max<int64_t>(stack, 0) << " B\n";
    }
    // Per layer, with EC_PROFILE (a second build: the probes cost a few
    // instructions each, so the total above is measured without them).
    {
      std::string pdir = dir + "/profile";
      EDGEC_TRY(writeArtifacts(pdir, c.result.files));
      HarnessRequest pr = qr;
      pr.dir = pdir;
      pr.extraCflags = "-DEC_PROFILE";
      EDGEC_ASSIGN_OR_RETURN(HarnessRun p, buildAndRun(pr, inputs, outs));
      Json layers = Json::array();
      for (const auto &[nm, cnt] : p.layers) {
        Json lj = Json::object();
        lj["layer"] = nm;
        lj["instructions"] = (int64_t)cnt;
        layers.push(lj);
        text << "  " << cnt << "\t" << nm << "\n";
      }
      qj["layers"] = layers;
    }
    j["qemu"] = qj;
  }
  if (o.json) std::cout << j.dump() << "\n";
  else std::cout << text.str();
  return Status::ok();
}

} // namespace

Runner addBenchCommand(CLI::App &app) {
  auto o = std::make_shared<BenchOptions>();
  CLI::App *c = app.add_subcommand(
      "bench", "measure compiled code: host latency, QEMU instructions, flash, RAM, stack");
  addCompileOptions(c, o->req);
  c->add_option("--runs", o->runs, "host runs (median reported), default 20");
  c->add_option("--warmup", o->warmup, "host warm-up runs, default 3");
  addRunOptions(c, o->runReq);
  c->add_flag("--no-interpreter", o->noInterpreter, "skip timing the reference interpreter");
  c->add_flag("--no-host", o->noHost, "skip the host measurement");
  c->add_flag("--json", o->json, "machine-readable report");
  return [o] { return runBench(*o); };
}

} // namespace edgec::tool
