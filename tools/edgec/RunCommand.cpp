// edgec run: executes a model on the reference interpreter.
#include "Commands.h"
#include "TensorDump.h"

#include "interp/Interpreter.h"
#include "npu/AcceleratorConfig.h"
#include "npu/EthosUNode.h"
#include "frontend/ModelLoader.h"
#include "frontend/TensorFile.h"
#include "onnx/OnnxImporter.h"
#include "passes/PassManager.h"
#include "onnx/TensorProto.h"
#include "tensorio/NpyIO.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>

namespace fs = std::filesystem;

namespace edgec::tool {

namespace {

struct RunOptions {
  std::string model;
  std::vector<std::string> inputs;
  std::vector<std::string> inputShapes;
  std::string outputDir;
  std::string dumpDir;
  std::string format = "npy";
  bool integer = false;
  std::string npuConfig; ///< --npu-config: the Ethos-U the payloads must match
};

std::string summary(const Tensor &t) {
  std::string s = describe(t);
  int64_t n = t.numElements();
  if (n == 0) return s + " (empty)";
  double mn = INFINITY, mx = -INFINITY, sum = 0;
  int64_t nan = 0;
  for (int64_t i = 0; i < n; ++i) {
    double v = t.getDouble(i);
    if (std::isnan(v)) { ++nan; continue; }
    mn = std::min(mn, v);
    mx = std::max(mx, v);
    sum += v;
  }
  char b[160];
  std::snprintf(b, sizeof b, " min=%.6g max=%.6g mean=%.6g", mn, mx,
                n > nan ? sum / (double)(n - nan) : NAN);
  s += b;
  if (nan) s += " nan=" + std::to_string(nan);
  s += " first=[";
  for (int64_t i = 0; i < std::min<int64_t>(n, 6); ++i) {
    std::snprintf(b, sizeof b, "%s%.6g", i ? ", " : "", t.getDouble(i));
    s += b;
  }
  return s + (n > 6 ? ", ...]" : "]");
}

Status runRun(const RunOptions &o) {
  if (o.format != "npy" && o.format != "pb")
    return Error(ErrorCode::Usage, "--format must be npy or pb");
  ImportOptions io;
  for (const auto &s : o.inputShapes)
    EDGEC_TRY(parseInputShapeOverride(s, io.inputShapes));
  EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<Model> m, loadModelFile(o.model, io));
  if (!o.npuConfig.empty()) {
    // The driver's configuration check against this hardware instead of the
    // configuration each payload names.
    EDGEC_TRY(npu::findAcceleratorConfig(o.npuConfig).status());
    for (const auto &n : m->graph->nodes())
      if (n->domain == npu::kEthosUDomain) n->attrs[npu::kHardwareAttr] = Attribute::makeString(o.npuConfig);
  }
  if (o.integer) {
    // QDQ groups become integer ops: the integer kernels back ends match.
    PassManager pm;
    EDGEC_TRY(pm.addPassList("fold-qdq,eliminate-dead-code"));
    EDGEC_TRY(pm.run(*m));
  }
  std::vector<Value *> feeds = m->graph->runtimeInputs();
  std::map<std::string, Tensor> inputs;
  size_t positional = 0;
  for (const auto &spec : o.inputs) {
    // NAME=FILE, or FILE alone: unnamed inputs fill the model's inputs in
    // order. A file path containing '=' can be given as ./NAME=... after an
    // explicit "NAME=".
    auto eq = spec.find('=');
    std::string name, file;
    if (eq == std::string::npos) {
      if (positional >= feeds.size())
        return Error(ErrorCode::Usage,
                     "--input '" + spec + "': the model has only " +
                         std::to_string(feeds.size()) + " input(s)");
      name = feeds[positional++]->name;
      file = spec;
    } else {
      name = spec.substr(0, eq);
      file = spec.substr(eq + 1);
    }
    EDGEC_ASSIGN_OR_RETURN(Tensor t, readTensorFile(file));
    if (inputs.count(name))
      return Error(ErrorCode::Usage, "input '" + name + "' given twice");
    inputs[name] = t;
  }
  std::string missing;
  for (const Value *v : feeds)
    if (!inputs.count(v->name))
      missing += (missing.empty() ? "'" : ", '") + v->name + "' " + v->type.str();
  if (!missing.empty())
    return Error(ErrorCode::Usage,
                 "no data for model input(s) " + missing + " (use --input NAME=FILE)");
  InterpreterOptions iopts;
  std::unique_ptr<TensorDump> dump;
  if (!o.dumpDir.empty()) {
    EDGEC_ASSIGN_OR_RETURN(TensorDump d, TensorDump::create(o.dumpDir));
    dump = std::make_unique<TensorDump>(std::move(d));
    for (const Value *v : feeds) dump->add(*v, inputs.at(v->name));
    iopts.observer = [&dump](const Value &v, const Tensor &t) { dump->add(v, t); };
  }
  Interpreter interp(*m, iopts);
  EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> outs, interp.run(inputs));
  if (dump) EDGEC_TRY(dump->finish(o.model));
  if (!o.outputDir.empty()) EDGEC_TRY(makeDirectory(o.outputDir));
  std::set<std::string> used;
  for (size_t i = 0; i < outs.size(); ++i) {
    const std::string &name = m->graph->outputs[i]->name;
    std::cout << name << ": " << summary(outs[i]) << "\n";
    if (!o.outputDir.empty()) {
      std::string file = o.outputDir + "/" + safeFileName(name, i, used) + "." + o.format;
      if (o.format == "npy") EDGEC_TRY(writeNpy(file, outs[i]));
      else EDGEC_TRY(writeTensorProtoFile(file, outs[i], name));
    }
  }
  return Status::ok();
}

} // namespace

Runner addRunCommand(CLI::App &app) {
  auto o = std::make_shared<RunOptions>();
  CLI::App *c = app.add_subcommand(
      "run",
      "Run a model on the reference interpreter\n\nExamples:\n"
      "  edgec run model.onnx --input x=input.npy\n"
      "  edgec run model.onnx --input x=input_0.pb --output-dir out/ "
      "--format pb\n"
      "  edgec run model.tflite --input input.npy --dump-tensors layers/");
  c->add_option("model", o->model, "model file (.onnx, ONNX text or .tflite)")
      ->required();
  c->add_option("-i,--input", o->inputs,
                "input tensor NAME=FILE (.npy or TensorProto .pb; repeatable); "
                "a bare FILE fills the model's inputs in order");
  c->add_option("--input-shape", o->inputShapes,
                "override an input shape: name=d0,d1,... (repeatable)");
  c->add_option("--output-dir", o->outputDir,
                "write each output there as NAME.npy (or .pb)");
  c->add_option("--format", o->format, "output file format: npy (default) or pb");
  c->add_option("--dump-tensors", o->dumpDir,
                "write every tensor the run computes (inputs and each node's "
                "outputs) there as NNNN_NAME.npy, in execution order, with "
                "manifest.json");
  c->add_flag("--integer", o->integer,
              "fold QuantizeLinear/DequantizeLinear groups (and QLinearConv/"
              "QLinearMatMul) into integer ops and run the integer kernels");
  c->add_option("--npu-config", o->npuConfig,
                 "run Ethos-U payloads (Vela's ethos-u operators) on this accelerator "
                 "(ethos-u55-32/64/128/256, ethos-u65-256/512): a payload compiled for "
                 "another is refused as the driver refuses it");
  return [o] { return runRun(*o); };
}

} // namespace edgec::tool
