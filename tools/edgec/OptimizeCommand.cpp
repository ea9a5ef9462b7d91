// edgec optimize: runs the graph optimizer (-O level or an explicit pass
// list), prints a before/after table and writes the result as ONNX.
#include "Commands.h"

#include "CompileDriver.h"

#include "analysis/ModelStats.h"
#include "shape/ShapeInference.h"
#include "onnx/OnnxExporter.h"
#include "frontend/ModelLoader.h"
#include "onnx/OnnxImporter.h"
#include "passes/PassManager.h"
#include "support/FileIO.h"

#include <iostream>
#include <memory>
#include <set>

namespace edgec::tool {

namespace {

struct OptimizeOptions {
  std::string model;
  std::string output;
  int level = 2;
  std::string passes;
  std::vector<std::string> inputShapes;
  std::vector<std::string> printAfter;
  bool printAfterAll = false;
  bool stats = false;
  bool json = false;
  std::string jsonOutput;
  std::string layout = "nchw";
  bool listPasses = false;
  bool noVerify = false;
};

Json statsJson(const ModelStats &s) {
  Json j = Json::object();
  j["nodes"] = s.nodeCount;
  Json h = Json::object();
  for (const auto &[op, c] : s.opHistogram) h[op] = c;
  j["op_histogram"] = h;
  j["parameters"] = s.parameterCount;
  j["parameter_bytes"] = s.parameterBytes;
  j["macs"] = s.totalMacs;
  j["macs_complete"] = s.macsComplete;
  j["largest_activation"] = s.largestActivation;
  j["largest_activation_bytes"] = s.largestActivationBytes;
  return j;
}

void printRow(std::ostream &os, const std::string &what, int64_t a, int64_t b) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "  %-24s %14lld %14lld %+14lld\n", what.c_str(),
                (long long)a, (long long)b, (long long)(b - a));
  os << buf;
}

Status runOptimize(const OptimizeOptions &o) {
  if (o.listPasses) {
    for (const PassInfo &p : allPasses())
      std::cout << p.name << "\n    " << p.summary << "\n";
    return Status::ok();
  }
  if (o.model.empty())
    return Error(ErrorCode::Usage, "optimize: a model file is required");
  if (o.layout != "nchw" && o.layout != "nhwc")
    return Error(ErrorCode::Usage, "--layout must be nchw or nhwc, got '" + o.layout + "'");
  ImportOptions io;
  for (const auto &s : o.inputShapes)
    EDGEC_TRY(parseInputShapeOverride(s, io.inputShapes));
  EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<Model> m, loadModelFile(o.model, io));
  ModelStats before = computeModelStats(*m);

  PassManagerOptions pmo;
  pmo.verifyEach = !o.noVerify;
  pmo.printAfter = std::set<std::string>(o.printAfter.begin(), o.printAfter.end());
  pmo.printAfterAll = o.printAfterAll;
  pmo.dump = &std::cerr;
  for (const std::string &p : o.printAfter)
    if (!findPass(p))
      return Error(ErrorCode::Usage, "--print-after: unknown pass '" + p + "'");
  PassManager pm(pmo);
  if (!o.passes.empty()) EDGEC_TRY(pm.addPassList(o.passes));
  else EDGEC_TRY(pm.addLevel(o.level));
  if (o.layout == "nhwc")
    EDGEC_TRY(pm.addStage(nhwcLayoutStage()));
  EDGEC_TRY(pm.run(*m));
  ModelStats after = computeModelStats(*m);

  if (!o.output.empty()) EDGEC_TRY(exportOnnxFile(*m, o.output));

  if (o.json) {
    Json j = Json::object();
    j["model"] = o.model;
    j["level"] = o.passes.empty() ? Json(o.level) : Json(nullptr);
    j["layout"] = o.layout;
    j["before"] = statsJson(before);
    j["after"] = statsJson(after);
    j["passes"] = passStatisticsJson(pm.summary());
    std::string doc = j.dump();
    if (!o.jsonOutput.empty()) return writeFileBytes(o.jsonOutput, doc);
    std::cout << doc;
    return Status::ok();
  }
  std::ostream &os = std::cout;
  os << "model: " << o.model << "\n";
  os << "pipeline: " << (o.passes.empty() ? "-O" + std::to_string(o.level) : o.passes)
     << (o.layout == "nhwc" ? " + NHWC layout" : "") << "\n\n";
  char hdr[160];
  std::snprintf(hdr, sizeof hdr, "  %-24s %14s %14s %14s\n", "", "before", "after", "change");
  os << hdr;
  printRow(os, "nodes", before.nodeCount, after.nodeCount);
  printRow(os, "parameters", before.parameterCount, after.parameterCount);
  printRow(os, "parameter bytes", before.parameterBytes, after.parameterBytes);
  printRow(os, "MACs", before.totalMacs, after.totalMacs);
  printRow(os, "largest activation bytes", before.largestActivationBytes,
           after.largestActivationBytes);
  os << "\nop histogram changes:\n";
  std::set<std::string> ops;
  for (const auto &[op, c] : before.opHistogram) ops.insert(op);
  for (const auto &[op, c] : after.opHistogram) ops.insert(op);
  bool any = false;
  for (const std::string &op : ops) {
    auto b = before.opHistogram.count(op) ? before.opHistogram.at(op) : 0;
    auto a = after.opHistogram.count(op) ? after.opHistogram.at(op) : 0;
    if (a == b) continue;
    printRow(os, op, b, a);
    any = true;
  }
  if (!any) os << "  (none)\n";
  if (o.stats) printPassStatistics(os, pm.summary());
  if (!o.output.empty()) os << "\nwrote " << o.output << "\n";
  return Status::ok();
}

} // namespace

Runner addOptimizeCommand(CLI::App &app) {
  auto o = std::make_shared<OptimizeOptions>();
  CLI::App *c = app.add_subcommand(
      "optimize",
      "Optimize a model (fold, fuse, recognize, layout) and write it as ONNX\n\n"
      "Examples:\n  edgec optimize model.onnx -o model.opt.onnx\n"
      "  edgec optimize model.onnx -O3 --stats -o out.onnx\n"
      "  edgec optimize model.onnx --passes fold-constants,fuse-batchnorm "
      "--print-after fuse-batchnorm\n"
      "  edgec optimize model.onnx --layout nhwc --json\n"
      "  edgec optimize --list-passes");
  c->add_option("model", o->model, "model file (.onnx, ONNX text or .tflite)");
  c->add_option("-o,--output", o->output, "write the optimized model (.onnx)");
  c->add_option("-O,--level", o->level, "optimization level 0-3 (default 2)")
      ->check(CLI::Range(0, 3));
  c->add_option("--passes", o->passes,
                "explicit comma-separated pass list instead of -O");
  c->add_option("--input-shape", o->inputShapes,
                "override an input shape: name=d0,d1,... (repeatable)");
  c->add_option("--print-after", o->printAfter,
                "print the IR to stderr after this pass (repeatable)");
  c->add_flag("--print-after-all", o->printAfterAll,
              "print the IR to stderr after every pass");
  c->add_flag("--stats", o->stats, "print per-pass counters");
  c->add_flag("--json", o->json, "write the before/after report as JSON");
  c->add_option("--json-output", o->jsonOutput, "write --json to this file");
  c->add_option("--layout", o->layout,
                "nchw (default) or nhwc: convert to channels-last");
  c->add_flag("--list-passes", o->listPasses, "list every pass and exit");
  c->add_flag("--no-verify", o->noVerify, "skip the IR verifier between passes");
  return [o] { return runOptimize(*o); };
}

} // namespace edgec::tool
