// The Edge TPU target (see EdgeTpuTarget.h).
#include "targets/edgetpu/EdgeTpuTarget.h"

#include "targets/edgetpu/EdgeTpuCompilerRun.h"
#include "targets/edgetpu/EdgeTpuPrepare.h"
#include "targets/Driver.h"
#include "targets/common/ModelSlice.h"
#include "targets/edgetpu/EdgeTpuRewrites.h"
#include "tflite/TfliteWriter.h"

namespace edgec::edgetpu {

TfliteProfile edgeTpuWriteProfile(bool padAsConcat) {
  TfliteProfile p = genericTfliteProfile();
  p.name = "edgetpu-ready";
  p.quantizedPadAsConcat = padAsConcat;
  p.padConcatTwoInputs = true;
  return p;
}

EdgeTpuTarget::EdgeTpuTarget() : judge_(edgeTpuWriteProfile(options_.padAsConcat)) {}

std::string EdgeTpuTarget::ioName() const {
  return options_.io == DataType::UInt8 ? "uint8" : "int8";
}

std::string EdgeTpuTarget::description() const {
  return "Edge-TPU-ready int8 TFLite file for edgetpu_compiler v16, with the compiler's mapping "
         "predicted in its own status strings; everything from the first operation it cannot "
         "map runs on the CPU (prefix partition, TFLite runtime)";
}

std::vector<target::TargetOption> EdgeTpuTarget::options() const {
  return {{"io", "element type of the file's inputs and outputs (the network is int8 either way)",
           "int8", {"int8", "uint8"}},
          {"io-layout",
           "model: inputs and outputs keep the model's layout; nhwc: 4-D inputs and outputs of "
           "channels-first models are written channels-last, without the TRANSPOSE the Edge TPU "
           "cannot map",
           "model", {"model", "nhwc"}},
          {"rewrites",
           "all: rewrite the model to raise the mapped fraction (TRANSPOSE of 1-sized "
           "dimensions as RESHAPE, HARD_SWISH and a fused LeakyRelu as mapped operators (not exact), "
           "unmapped nodes moved to the end); none: write it as prepared",
           "all", {"all", "none"}},
          {"cpu-tail",
           "tflite: what the Edge TPU cannot map stays in the file for the TensorFlow Lite "
           "runtime; mcu: the file holds the mapped part only and the rest is compiled for "
           "--target mcu --cpu host into cpu_tail/",
           "tflite", {"tflite", "mcu"}},
          {"pad",
           "concat: zero padding of an int8 value whose zero point is not 0 is written as "
           "two-input CONCATENATIONs with constant blocks of the zero point (mapped; exact; right "
           "in runtimes that pad int8 with 0, such as Arm NN 20.08); pad: as one PAD",
           "concat", {"concat", "pad"}},
          {"compiler-log",
           "the stdout (-s) or .log of edgetpu_compiler run on the emitted file elsewhere: "
           "parsed and shown beside the prediction instead of running edgetpu_compiler from PATH",
           "", {}}};
}

Status EdgeTpuTarget::configure(const std::map<std::string, std::string> &values) {
  for (const auto &[k, v] : values) {
    if (k == "io-layout") {
      if (v != "model" && v != "nhwc")
        return Error(ErrorCode::Usage, "edgetpu option io-layout: '" + v + "' is not model or nhwc");
      options_.nhwcIo = v == "nhwc";
      continue;
    }
    if (k == "rewrites") {
      if (v != "all" && v != "none")
        return Error(ErrorCode::Usage, "edgetpu option rewrites: '" + v + "' is not all or none");
      options_.rewrites = v == "all";
      continue;
    }
    if (k == "cpu-tail") {
      if (v != "tflite" && v != "mcu")
        return Error(ErrorCode::Usage, "edgetpu option cpu-tail: '" + v + "' is not tflite or mcu");
      options_.mcuTail = v == "mcu";
      continue;
    }
    if (k == "pad") {
      if (v != "pad" && v != "concat")
        return Error(ErrorCode::Usage, "edgetpu option pad: '" + v + "' is not pad or concat");
      options_.padAsConcat = v == "concat";
      judge_ = Judge(edgeTpuWriteProfile(options_.padAsConcat));
      continue;
    }
    if (k == "compiler-log") {
      if (v.empty()) return Error(ErrorCode::Usage, "edgetpu option compiler-log: no file given");
      options_.compilerLog = v;
      continue;
    }
    if (k != "io") return Error(ErrorCode::Usage, "target edgetpu has no option '" + k + "'");
    if (v == "int8") options_.io = DataType::Int8;
    else if (v == "uint8") options_.io = DataType::UInt8;
    else return Error(ErrorCode::Usage, "edgetpu option io: '" + v + "' is not int8 or uint8");
  }
  return Status::ok();
}

std::vector<target::OpSupport> EdgeTpuTarget::supportedOps() const {
  std::vector<target::OpSupport> out;
  for (const OperatorRule &r : operatorRules()) {
    std::string note = "TFLite version <= " + std::to_string(r.maxVersion);
    if (*r.limits) note += "; " + std::string(r.limits);
    out.push_back({r.op, {"int8", "uint8"}, note + " [" + r.source + "]"});
  }
  return out;
}

Status EdgeTpuTarget::prepareModel(Model &m) {
  EDGEC_ASSIGN_OR_RETURN(PreparedModel p, prepareForEdgeTpu(m, options_));
  for (std::string &n : p.notes) notes.push_back(std::move(n));
  judge_.setDynamicValues(std::move(p.dynamicValues));
  if (options_.rewrites) {
    before_ = countMapped(*m.graph, judge_);
    EDGEC_ASSIGN_OR_RETURN(rewrites_, rewriteForEdgeTpu(m, judge_));
    // A fresh judge: its TFLite support answers belong to the graph as it was.
    Judge fresh(edgeTpuWriteProfile(options_.padAsConcat));
    fresh.setDynamicValues(judge_.dynamicValues());
    judge_ = std::move(fresh);
    for (const RewriteApplied &r : rewrites_)
      notes.push_back("edgetpu rewrite " + r.name + " x" + std::to_string(r.count) +
                      (r.exact ? " (exact)" : " (not exact)"));
  }
  return Status::ok();
}

Prediction EdgeTpuTarget::predictPartition(const target::Partition &p) const {
  Prediction pr = predict(p, judge_);
  pr.beforeRewrites = before_;
  pr.rewrites = rewrites_;
  return pr;
}

target::Pipeline EdgeTpuTarget::pipeline(const Model &) const {
  // prepareModel did the TFLite export preparation; nothing is rewritten
  // after it, so the file holds the operators the prediction judged.
  return {};
}

std::string EdgeTpuTarget::checkNode(const Node &n) const {
  NodeVerdict v = judge_.judge(n);
  if (v.verdict.mapped()) return "";
  return std::string(statusString(v.verdict.status)) + ": " + v.verdict.detail;
}

target::PlacementView EdgeTpuTarget::describePlacement(const Model &,
                                                       const target::Partition &p) const {
  Prediction pr = predictPartition(p);
  target::PlacementView v;
  v.present = true;
  v.json = predictionJson(pr);
  v.text = predictionText(pr, "(the model as edgec compile --target edgetpu writes it)");
  return v;
}

namespace {

/// The CPU tail compiled for the MCU target on the host: its files under
/// cpu_tail/ and its report.
struct McuTail {
  std::vector<target::Artifact> files;
  Json report;
};

/// The tail's inputs in words: "x (model input), t (Edge TPU output)".
std::string tailInputs(const Model &m, const Model &tail) {
  std::string s;
  for (const Value *x : tail.graph->inputs) {
    if (x->isInitializer()) continue;
    const Value *orig = m.graph->findValue(x->name);
    s += (s.empty() ? "" : ", ") + x->name +
         (orig && orig->isGraphInput() ? " (model input)" : " (Edge TPU output)");
  }
  return s;
}

Expected<McuTail> compileMcuTail(Model &tail, const std::string &name) {
  McuTail r;
  EDGEC_ASSIGN_OR_RETURN(target::TargetSetup setup, target::setUpTarget("mcu", {}, "host"));
  EDGEC_TRY(target::prepareForTarget(tail, setup, {}).status());
  target::Partition part = target::partitionForTarget(tail, setup);
  EDGEC_ASSIGN_OR_RETURN(target::EmitResult er, target::emitForTarget(tail, part, setup, name));
  for (target::Artifact &a : er.files) r.files.push_back({"cpu_tail/" + a.path, std::move(a.content)});
  r.report = er.report;
  return r;
}

} // namespace

Expected<target::EmitResult> EdgeTpuTarget::emit(const Model &m, const target::Partition &p,
                                                 const target::EmitContext &ctx) {
  TfliteWriteOptions wo;
  wo.profile = edgeTpuWriteProfile(options_.padAsConcat);
  wo.description = "edgec edgetpu-ready";
  const std::string file = ctx.name + "_edgetpu_ready.tflite";
  Prediction pr = predictPartition(p);
  // cpu-tail=mcu: the file holds the mapped prefix, the rest is C for the host.
  std::vector<const Node *> prefix, tail;
  for (const target::NodePlacement &pl : p.placements)
    (pl.kind == target::NodePlacement::Kind::OnTarget ? prefix : tail).push_back(pl.node);
  std::optional<McuTail> mcu;
  std::unique_ptr<Model> prefixModel;
  if (options_.mcuTail && !tail.empty() && !prefix.empty()) {
    EDGEC_ASSIGN_OR_RETURN(prefixModel, target::sliceModel(m, prefix));
    EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<Model> tailModel, target::sliceModel(m, tail));
    std::string inputs = tailInputs(m, *tailModel);
    EDGEC_ASSIGN_OR_RETURN(McuTail t, compileMcuTail(*tailModel, ctx.name + "_cpu_tail"));
    mcu = std::move(t);
    pr.cpuTail = "compiled for --target mcu --cpu host into cpu_tail/ (" +
                 std::to_string(tail.size()) + " nodes; inputs " + inputs +
                 "); the Edge TPU file holds the mapped part only";
  } else if (options_.mcuTail && !tail.empty()) {
    pr.cpuTail = std::string(kTfliteTail) +
                 " (cpu-tail=mcu: nothing maps, so there is no Edge TPU part to split off)";
  }
  EDGEC_ASSIGN_OR_RETURN(std::string bytes, writeTflite(prefixModel ? *prefixModel : m, wo));
  Json pj = predictionJson(pr);
  pj["model"] = file;
  pj["io"] = ioName();
  std::string text = predictionText(pr, file);
  target::EmitResult r;
  r.files.push_back({file, bytes});
  r.files.push_back({ctx.name + "_edgetpu_prediction.json", pj.dump() + "\n"});
  r.files.push_back({ctx.name + "_edgetpu_prediction.log", text});
  if (mcu)
    for (target::Artifact &a : mcu->files) r.files.push_back(std::move(a));
  r.report = Json::object();
  r.report["schema"] = "edgec.compile-report.v1";
  r.report["target"] = "edgetpu";
  r.report["name"] = ctx.name;
  Json files = Json::array();
  for (const target::Artifact &a : r.files) files.push(a.path);
  r.report["files"] = files;
  r.report["tflite_bytes"] = int64_t(bytes.size());
  r.report["prediction"] = pj;
  r.report["placement"] = target::partitionJson(p);
  Json tj = Json::object();
  tj["runs_on"] = mcu ? "mcu --cpu host" : (tail.empty() ? "none" : "tflite");
  tj["nodes"] = int64_t(tail.size());
  tj["report"] = mcu ? mcu->report : Json();
  r.report["cpu_tail"] = tj;
  r.textReport = "target edgetpu, file '" + file + "' (" + std::to_string(bytes.size()) +
                 " bytes, io " + ioName() + ")\n\n" + text + "\n";
  // The real compiler, when it is on PATH (or its log, when given).
  EDGEC_ASSIGN_OR_RETURN(CompilerRun run, runEdgeTpuCompiler(bytes, file, options_.compilerLog));
  Json cj = Json::object();
  cj["how"] = run.how;
  if (!run.log) {
    cj["found"] = false;
    r.textReport += "real compiler: " + run.how +
                    " (only the prediction above; compile the file with edgetpu_compiler to get "
                    "the Edge TPU custom op, or give its log with --option compiler-log=FILE)\n";
  } else {
    cj["found"] = true;
    cj["actual"] = compilerLogJson(*run.log);
    cj["comparison"] = comparisonJson(pr, *run.log);
    std::string side = comparisonText(pr, *run.log);
    r.textReport += "real compiler: " + run.how + "\n" + side;
    r.files.push_back({ctx.name + "_edgetpu_actual.json", cj.dump() + "\n"});
    if (!run.compiled.empty()) {
      // The compiler's own output: not deterministic (google-coral/edgetpu#885).
      r.files.push_back({ctx.name + "_edgetpu_ready_edgetpu.tflite", run.compiled});
      r.textReport += "compiled by edgetpu_compiler: " + ctx.name +
                      "_edgetpu_ready_edgetpu.tflite (its bytes change from run to run)\n";
    }
  }
  r.report["compiler"] = cj;
  files = Json::array();
  for (const target::Artifact &a : r.files) files.push(a.path);
  r.report["files"] = files;
  return r;
}

} // namespace edgec::edgetpu
