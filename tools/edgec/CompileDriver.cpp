#include "CompileDriver.h"

#include "frontend/TensorFile.h"
#include "interp/Interpreter.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>

namespace edgec::tool {

void addCompileOptions(CLI::App *c, CompileRequest &r) {
  c->add_option("model", r.model, "model file (.onnx or .tflite)")->required();
  c->add_option("--target", r.target, "target (see `edgec targets`)");
  c->add_option("--cpu", r.cpu, "core (mcu, and the CPU fallback of other targets): "
                                "cortex-m0|m3|m4|m7|m33|m55|host; "
                                "--target llvm: an LLVM CPU name (x86-64-v3, cortex-a72)");
  c->add_option("--option", r.options,
                "target option NAME=VALUE, or FALLBACK.NAME=VALUE for the fallback target "
                "(repeatable)");
  // The Ethos-U target's options by the names Vela users know (shorthands
  // for --option npu-config=, system-config=, memory-mode=).
  c->add_option_function<std::string>(
      "--npu-config", [&r](const std::string &v) { r.options.push_back("npu-config=" + v); },
      "--target npu: ethos-u55-32|64|128|256 or ethos-u65-256|512 (--option npu-config=)");
  c->add_option_function<std::vector<std::string>>(
       "--system-config",
       [&r](const std::vector<std::string> &v) {
         r.options.push_back("system-config=" + (v.size() == 2 ? v[0] + ":" + v[1] : v[0]));
       },
       "--target npu: FILE.ini NAME (a [System_Config.NAME] in Vela's INI format) or the NAME of "
       "a built-in one (--option system-config=)")
      ->expected(1, 2);
  c->add_option_function<std::string>(
      "--memory-mode", [&r](const std::string &v) { r.options.push_back("memory-mode=" + v); },
      "--target npu: sram-only|shared-sram|dedicated-sram or a [Memory_Mode.NAME] of the "
      "--system-config file (--option memory-mode=)");
  // The LLVM target's options by the names clang/llc users know.
  c->add_option_function<std::string>(
      "--triple", [&r](const std::string &v) { r.options.push_back("triple=" + v); },
      "--target llvm: x86_64-linux-gnu|aarch64-linux-gnu|thumbv7em-none-eabihf (--option triple=)");
  c->add_option_function<std::string>(
      "--features", [&r](const std::string &v) { r.options.push_back("features=" + v); },
      "--target llvm: LLVM subtarget features, e.g. +avx2,+fma (--option features=)");
  // The GPU target's options (shorthands for --option api=, precision=).
  c->add_option_function<std::string>(
      "--api", [&r](const std::string &v) { r.options.push_back("api=" + v); },
      "--target gpu: opencl|cuda (--option api=)");
  c->add_option_function<std::string>(
      "--precision", [&r](const std::string &v) { r.options.push_back("precision=" + v); },
      "--target gpu: fp32|fp16|int8 (--option precision=)");
  c->add_option("--input-shape", r.inputShapes, "fix an input shape: NAME=d0,d1,...");
  c->add_option("--name", r.name, "C identifier / file stem of the generated package");
  c->add_flag("--quantize", r.quantize, "quantize a float model first (with --calib or --calib-random)");
  c->add_option("--calib", r.calib, "calibration data directory (see `edgec quantize`)");
  c->add_option("--calib-random", r.calibRandom, "calibrate on N random samples (testing only)");
  c->add_option("--activations", r.activations, "with --quantize: int8 or int16");
  c->add_option("--print-after", r.pipeline.printAfter,
                "print the IR to stderr after this pass of the target's pipeline (repeatable)");
  c->add_flag("--print-after-all", r.pipeline.printAfterAll,
              "print the IR to stderr after every pass of the target's pipeline");
  r.pipeline.dump = &std::cerr;
}

void addRunOptions(CLI::App *c, RunRequest &r) {
  c->add_option("--input", r.inputs, "input file (.npy or .pb), in model-input order");
  c->add_option("--seed", r.seed, "seed of the random inputs (without --input)");
  c->add_option("--expect", r.expect,
                "expected output file (.npy or .pb), in model-output order (needs --input): the "
                "interpreter and the compiled code must both match it");
  c->add_option("--keep", r.keep, "build in this directory and keep it");
}

CompileRequest withProgress(CompileRequest r, Progress &p) {
  // --print-after writes the IR to stderr during the stages: no progress line then.
  const bool printing = r.pipeline.printAfterAll || !r.pipeline.printAfter.empty();
  if (p.enabled() && !printing) r.onStage = [&p](const std::string &s) { p.step(s); };
  return r;
}

Expected<std::unique_ptr<PackageBuild>> buildPackage(const CompileRequest &c, const RunRequest &r,
                                                     const std::string &tempPrefix,
                                                     Progress *progress) {
  auto b = std::make_unique<PackageBuild>();
  EDGEC_ASSIGN_OR_RETURN(b->compiled, compileModel(progress ? withProgress(c, *progress) : c));
  if (progress) progress->clear();
  for (const std::string &n : b->compiled.notes) std::cerr << "note: " << n << "\n";
  EDGEC_TRY(b->compiled.result.unfinished);
  b->dir = r.keep;
  if (b->dir.empty()) {
    EDGEC_ASSIGN_OR_RETURN(b->dir, makeTempDir(tempPrefix));
    b->temp = TempDir(b->dir);
  }
  EDGEC_TRY(writeArtifacts(b->dir, b->compiled.result.files));
  if (!r.inputs.empty()) {
    EDGEC_ASSIGN_OR_RETURN(b->inputs, loadInputFiles(*b->compiled.model, r.inputs));
  } else {
    EDGEC_ASSIGN_OR_RETURN(b->inputs, target::randomInputs(*b->compiled.model, r.seed));
  }
  if (!r.expect.empty()) {
    if (r.inputs.empty())
      return Error(ErrorCode::Usage, "--expect needs the inputs it belongs to (--input)");
    const std::vector<Value *> &outs = b->compiled.model->graph->outputs;
    if (r.expect.size() != b->compiled.modelOutputs)
      return Error(ErrorCode::Usage, std::to_string(r.expect.size()) + " --expect file(s) for " +
                                         std::to_string(b->compiled.modelOutputs) +
                                         " model output(s)");
    for (size_t i = 0; i < r.expect.size(); ++i) {
      EDGEC_ASSIGN_OR_RETURN(Tensor t, readTensorFile(r.expect[i]));
      TensorType want = outs[i]->type, have(t.dtype(), t.shape());
      if (!want.isStatic() || !(have == want))
        return Error(ErrorCode::InvalidInput, r.expect[i] + ": " + have.str() + " does not match output '" +
                                           outs[i]->name + "' (" + want.str() + ")");
      b->expected.push_back(std::move(t));
    }
  }
  return b;
}

Status checkExpected(const PackageBuild &b, const std::vector<Tensor> &got, const Tolerance &t,
                     const std::string &who) {
  for (size_t i = 0; i < b.expected.size(); ++i) {
    OutputCheck ck = compareOutput(b.compiled.model->graph->outputs[i]->name, got.at(i),
                                   b.expected[i], t);
    if (!ck.pass)
      return Error(ErrorCode::Mismatch, who + ": output '" + ck.name +
                                            "' differs from its --expect file (" +
                                            std::to_string(ck.bad) + " of " +
                                            std::to_string(ck.elements) +
                                            " elements out of tolerance, max abs error " +
                                            std::to_string(ck.maxAbs) + ")");
  }
  return Status::ok();
}

target::ExecRequest execRequest(const PackageBuild &b) {
  target::ExecRequest er;
  er.dir = b.dir;
  er.name = b.compiled.name;
  er.artifacts = &b.compiled.result.files;
  er.inputs = b.inputs;
  er.outputs.assign(b.compiled.model->graph->outputs.begin(), b.compiled.model->graph->outputs.end());
  return er;
}

Expected<std::vector<Tensor>> referenceOutputs(const Model &m, const std::vector<Tensor> &inputs) {
  std::map<std::string, Tensor> feeds;
  size_t k = 0;
  for (const Value *v : m.graph->inputs)
    if (!v->isInitializer()) feeds[v->name] = inputs.at(k++);
  Interpreter interp(m);
  return interp.run(feeds);
}

OutputCheck compareOutput(const std::string &name, const Tensor &got, const Tensor &want,
                          const Tolerance &t) {
  OutputCheck c;
  c.name = name;
  c.elements = want.numElements();
  // 16-bit and 8/4-bit floats compare as values with the float tolerance.
  bool isFloat = isFloatType(want.dtype()) || isMiniFloatType(want.dtype());
  double dot = 0, ng = 0, nw = 0;
  bool sameShape = got.shape() == want.shape();
  for (int64_t i = 0; sameShape && i < c.elements; ++i) {
    double a = got.getDouble(i), b = want.getDouble(i);
    // Equal values (equal infinities included) and two NaNs do not differ.
    double d = (a == b || (std::isnan(a) && std::isnan(b))) ? 0 : std::fabs(a - b);
    if (a == b || d == 0) ++c.exact;
    c.maxAbs = std::max(c.maxAbs, d);
    if (b != 0) c.maxRel = std::max(c.maxRel, d / std::fabs(b));
    bool ok = d == 0 || (isFloat ? d <= t.atol + t.rtol * std::fabs(b) : d <= double(t.steps));
    if (std::isnan(d)) ok = false;
    if (!ok) ++c.bad;
    dot += a * b;
    ng += a * a;
    nw += b * b;
  }
  c.cosine = (ng > 0 && nw > 0) ? dot / std::sqrt(ng * nw) : (ng == nw ? 1.0 : 0.0);
  c.pass = c.bad == 0 && sameShape;
  return c;
}

Json outputCheckJson(const OutputCheck &ck, const Value &v) {
  Json j = Json::object();
  j["name"] = ck.name;
  j["type"] = v.type.str();
  j["elements"] = ck.elements;
  j["max_abs_error"] = ck.maxAbs;
  j["max_rel_error"] = ck.maxRel;
  j["cosine"] = ck.cosine;
  j["exact_rate"] = ck.elements ? double(ck.exact) / double(ck.elements) : 1.0;
  j["out_of_tolerance"] = ck.bad;
  j["pass"] = ck.pass;
  return j;
}

std::string outputCheckLine(const OutputCheck &ck) {
  char buf[400];
  std::snprintf(buf, sizeof buf,
                "  %-24s %s  max abs %.3g  max rel %.3g  cosine %.6f  exact %.2f%%\n",
                ck.name.substr(0, 24).c_str(), ck.pass ? "PASS" : "FAIL", ck.maxAbs, ck.maxRel,
                ck.cosine, ck.elements ? 100.0 * double(ck.exact) / double(ck.elements) : 100.0);
  return buf;
}

void printPassStatistics(std::ostream &os, const std::vector<PassRunSummary> &summary) {
  os << "\npass statistics:\n";
  for (const PassRunSummary &s : summary) {
    os << "  " << s.name << ": " << s.runs << " run" << (s.runs == 1 ? "" : "s") << ", "
       << s.changed << " changed\n";
    for (const auto &[k, v] : s.stats.counters()) os << "    " << k << ": " << v << "\n";
  }
}

Json passStatisticsJson(const std::vector<PassRunSummary> &summary) {
  Json passes = Json::array();
  for (const PassRunSummary &s : summary) {
    Json p = Json::object();
    p["name"] = s.name;
    p["runs"] = s.runs;
    p["changed"] = s.changed;
    Json c = Json::object();
    for (const auto &[k, v] : s.stats.counters()) c[k] = v;
    p["counters"] = c;
    passes.push(p);
  }
  return passes;
}

} // namespace edgec::tool
