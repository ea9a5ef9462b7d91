#include "CompileDriver.h"

#include "frontend/ModelLoader.h"
#include "frontend/TensorFile.h"
#include "onnx/OnnxImporter.h"
#include "quant/Calibration.h"
#include "quant/Quantizer.h"
#include "targets/mcu/CNames.h"
#include "targets/mcu/PackageRunner.h"

#include <iostream>

#include <filesystem>

namespace edgec::tool {

void addCompileOptions(CLI::App *c, CompileRequest &r) {
  c->add_option("model", r.model, "model file (.onnx or .tflite)")->required();
  c->add_option("--target", r.target, "target (see `edgec targets`)");
  c->add_option("--cpu", r.cpu, "core (mcu): cortex-m0|m3|m4|m7|m33|m55|host");
  c->add_option("--option", r.options, "target option NAME=VALUE (repeatable)");
  c->add_option("--input-shape", r.inputShapes, "fix an input shape: NAME=d0,d1,...");
  c->add_option("--name", r.name, "C identifier / file stem of the generated package");
  c->add_flag("--quantize", r.quantize, "quantize a float model first (with --calib or --calib-random)");
  c->add_option("--calib", r.calib, "calibration data directory (see `edgec quantize`)");
  c->add_option("--calib-random", r.calibRandom, "calibrate on N random samples (testing only)");
  c->add_option("--activations", r.activations, "with --quantize: int8 or int16");
}

Expected<CompileOutput> compileModel(const CompileRequest &r) {
  CompileOutput out;
  EDGEC_ASSIGN_OR_RETURN(out.target, target::createTarget(r.target));
  std::map<std::string, std::string> opts;
  for (const std::string &kv : r.options) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      return Error(ErrorCode::Usage, "--option '" + kv + "' must be NAME=VALUE");
    opts[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  if (!r.cpu.empty()) opts["cpu"] = r.cpu;
  EDGEC_TRY(out.target->configure(opts));
  out.name = mcu::sanitizeIdentifier(r.name, "model");
  if (out.name != r.name)
    out.notes.push_back("package name '" + r.name + "' is not a C identifier; using '" +
                        out.name + "'");

  ImportOptions io;
  for (const auto &s : r.inputShapes) EDGEC_TRY(parseInputShapeOverride(s, io.inputShapes));
  if (r.quantize) {
    if (r.calib.empty() == (r.calibRandom == 0))
      return Error(ErrorCode::Usage, "--quantize needs exactly one of --calib DIR and --calib-random N");
    QuantizeOptions q;
    q.inputShapes = io.inputShapes;
    if (r.activations == "int16") {
      q.activations = DataType::Int16;
      q.method = CalibMethod::MinMax;
    } else if (r.activations != "int8") {
      return Error(ErrorCode::Usage, "--activations must be int8 or int16");
    }
    EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<Model> probe, loadModelFile(r.model, io));
    std::vector<CalibSample> samples;
    if (r.calibRandom > 0) {
      out.notes.push_back("--calib-random: calibrated on uniform noise, not for deployment");
      EDGEC_ASSIGN_OR_RETURN(samples, randomCalibrationData(*probe, r.calibRandom));
    } else {
      EDGEC_ASSIGN_OR_RETURN(samples, loadCalibrationData(*probe, r.calib));
    }
    EDGEC_ASSIGN_OR_RETURN(QuantizeResult qr, quantizeModel(r.model, samples, q));
    for (const std::string &n : qr.notes) out.notes.push_back(n);
    out.model = std::move(qr.integerModel);
  } else {
    if (!r.calib.empty() || r.calibRandom)
      return Error(ErrorCode::Usage, "--calib / --calib-random need --quantize");
    EDGEC_ASSIGN_OR_RETURN(out.model, loadModelFile(r.model, io));
  }
  EDGEC_TRY(out.target->prepare(*out.model));
  for (const std::string &n : out.target->notes) out.notes.push_back(n);
  EDGEC_ASSIGN_OR_RETURN(target::Partition p, out.target->partition(*out.model));
  target::EmitOptions eo;
  eo.name = out.name;
  EDGEC_ASSIGN_OR_RETURN(out.result, out.target->emit(*out.model, p, eo));
  return out;
}

void addRunOptions(CLI::App *c, RunRequest &r) {
  c->add_option("--input", r.inputs, "input file (.npy or .pb), in model-input order");
  c->add_option("--seed", r.seed, "seed of the random inputs (without --input)");
  c->add_option("--keep", r.keep, "build in this directory and keep it");
}

PackageBuild::~PackageBuild() {
  if (temporary && !dir.empty()) mcu::removeTree(dir);
}

Expected<std::unique_ptr<PackageBuild>> buildPackage(const CompileRequest &c, const RunRequest &r,
                                                     const std::string &tempPrefix) {
  auto b = std::make_unique<PackageBuild>();
  EDGEC_ASSIGN_OR_RETURN(b->compiled, compileModel(c));
  for (const std::string &n : b->compiled.notes) std::cerr << "note: " << n << "\n";
  b->dir = r.keep;
  if (b->dir.empty()) {
    EDGEC_ASSIGN_OR_RETURN(b->dir, mcu::makeTempDir(tempPrefix));
    b->temporary = true;
  }
  EDGEC_TRY(writeArtifacts(b->dir, b->compiled.result.files));
  if (!r.inputs.empty()) {
    EDGEC_ASSIGN_OR_RETURN(b->inputs, loadInputFiles(*b->compiled.model, r.inputs));
  } else {
    EDGEC_ASSIGN_OR_RETURN(b->inputs, mcu::randomInputs(*b->compiled.model, r.seed));
  }
  return b;
}

} // namespace edgec::tool
