// The compile driver (see Driver.h).
#include "targets/Driver.h"

#include "frontend/ModelLoader.h"
#include "onnx/OnnxImporter.h"
#include "quant/Calibration.h"
#include "quant/Quantizer.h"
#include "targets/common/CNames.h"

#include <map>
#include <set>

namespace edgec::target {

namespace {

bool hasOption(const Target &t, const std::string &name) {
  for (const TargetOption &o : t.options())
    if (o.name == name) return true;
  return false;
}

} // namespace

Expected<TargetSetup> setUpTarget(const std::string &name, const std::vector<std::string> &options,
                                  const std::string &cpu) {
  TargetSetup s;
  EDGEC_ASSIGN_OR_RETURN(s.target, createTarget(name));
  std::string fb = s.target->fallbackTarget();
  if (!fb.empty()) {
    EDGEC_ASSIGN_OR_RETURN(s.fallback, createTarget(fb));
  }
  std::map<std::string, std::string> mine, theirs;
  for (const std::string &kv : options) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      return Error(ErrorCode::Usage, "--option '" + kv + "' must be NAME=VALUE");
    std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
    auto dot = k.find('.');
    if (dot == std::string::npos) {
      mine[k] = v;
    } else if (s.fallback && k.substr(0, dot) == fb) {
      theirs[k.substr(dot + 1)] = v;
    } else {
      return Error(ErrorCode::Usage,
                   "--option '" + kv + "': '" + k.substr(0, dot) + "' is not the fallback target of '" +
                       name + "'" + (fb.empty() ? " (it has none)" : " (its fallback is '" + fb + "')"));
    }
  }
  if (!cpu.empty()) {
    if (hasOption(*s.target, "cpu")) mine["cpu"] = cpu;
    if (s.fallback && hasOption(*s.fallback, "cpu")) theirs["cpu"] = cpu;
    if (!hasOption(*s.target, "cpu") && !(s.fallback && hasOption(*s.fallback, "cpu")))
      return Error(ErrorCode::Usage, "--cpu: target '" + name + "' has no cpu option");
  }
  EDGEC_TRY(s.target->configure(mine));
  if (s.fallback) EDGEC_TRY(s.fallback->configure(theirs));
  return s;
}

Expected<std::vector<PassRunSummary>> prepareForTarget(Model &m, TargetSetup &t,
                                                       const PipelineRun &run) {
  for (const std::string &p : run.printAfter)
    if (!findPass(p)) return Error(ErrorCode::Usage, "--print-after: unknown pass '" + p + "'");
  EDGEC_TRY(t.target->prepareModel(m));
  Pipeline pl = t.target->pipeline(m);
  PassManagerOptions pmo;
  pmo.pass = pl.options;
  pmo.printAfter = std::set<std::string>(run.printAfter.begin(), run.printAfter.end());
  pmo.printAfterAll = run.printAfterAll;
  pmo.dump = run.dump;
  PassManager pm(pmo);
  for (const PipelineStage &st : pl.stages) EDGEC_TRY(pm.addStage(st));
  EDGEC_TRY(pm.run(m));
  EDGEC_TRY(m.graph->sortTopologically());
  return pm.summary();
}

Partition partitionForTarget(const Model &m, const TargetSetup &t) {
  return partitionModel(m, *t.target, t.fallback.get());
}

Expected<EmitResult> emitForTarget(const Model &m, const Partition &p, TargetSetup &t,
                                   const std::string &name) {
  EDGEC_TRY(requireSupported(p));
  EmitContext ctx;
  ctx.name = name;
  ctx.fallback = t.fallback.get();
  return t.target->emit(m, p, ctx);
}

Expected<std::unique_ptr<Model>> loadForTarget(const CompileRequest &r, CompileOutput &out) {
  EDGEC_ASSIGN_OR_RETURN(out.setup, setUpTarget(r.target, r.options, r.cpu));
  ImportOptions io;
  for (const auto &s : r.inputShapes) EDGEC_TRY(parseInputShapeOverride(s, io.inputShapes));
  std::unique_ptr<Model> model;
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
    model = std::move(qr.integerModel);
  } else {
    if (!r.calib.empty() || r.calibRandom)
      return Error(ErrorCode::Usage, "--calib / --calib-random need --quantize");
    EDGEC_ASSIGN_OR_RETURN(model, loadModelFile(r.model, io));
  }
  EDGEC_ASSIGN_OR_RETURN(out.passes, prepareForTarget(*model, out.setup, r.pipeline));
  for (const std::string &n : out.setup.target->notes) out.notes.push_back(n);
  if (out.setup.fallback)
    for (const std::string &n : out.setup.fallback->notes) out.notes.push_back(n);
  return model;
}

Expected<CompileOutput> compileModel(const CompileRequest &r) {
  CompileOutput out;
  out.name = sanitizeIdentifier(r.name, "model");
  if (out.name != r.name)
    out.notes.push_back("package name '" + r.name + "' is not a C identifier; using '" +
                        out.name + "'");
  auto stage = [&](const std::string &s) {
    if (r.onStage) r.onStage(s);
  };
  stage(r.quantize ? "loading, quantizing and preparing for " + r.target
                   : "loading and preparing for " + r.target);
  EDGEC_ASSIGN_OR_RETURN(out.model, loadForTarget(r, out));
  out.modelOutputs = out.model->graph->outputs.size();
  if (r.exposeIntermediates) exposeIntermediates(*out.model);
  stage("partitioning " + std::to_string(out.model->graph->nodes().size()) + " nodes");
  out.partition = partitionForTarget(*out.model, out.setup);
  stage("lowering and emitting");
  EDGEC_ASSIGN_OR_RETURN(out.result, emitForTarget(*out.model, out.partition, out.setup, out.name));
  return out;
}

size_t exposeIntermediates(Model &m) {
  Graph &g = *m.graph;
  std::set<const Value *> outs(g.outputs.begin(), g.outputs.end());
  size_t added = 0;
  for (const auto &n : g.nodes())
    for (Value *v : n->outputs)
      if (v && !v->name.empty() && outs.insert(v).second) {
        g.outputs.push_back(v);
        ++added;
      }
  return added;
}

Expected<std::vector<Tensor>> randomInputs(const Model &m, uint64_t seed) {
  std::vector<Tensor> out;
  uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
  auto next = [&] {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return uint32_t(s >> 32);
  };
  for (const Value *v : m.graph->inputs) {
    if (v->isInitializer()) continue;
    if (!v->type.isStatic())
      return Error(ErrorCode::InvalidInput, "input '" + v->name + "' has a dynamic shape " +
                                                v->type.str() + "; give --input-shape");
    EDGEC_ASSIGN_OR_RETURN(Tensor t, Tensor::create(v->type.dtype, v->type.staticShape()));
    for (int64_t i = 0; i < t.numElements(); ++i) {
      uint32_t r = next();
      switch (v->type.dtype) {
      case DataType::Float32: t.setDouble(i, double(r) / 2147483648.0 - 1.0); break;
      case DataType::Int8: t.setInt64(i, int64_t(r % 256) - 128); break;
      case DataType::UInt8: t.setInt64(i, int64_t(r % 256)); break;
      case DataType::Int16: t.setInt64(i, int64_t(r % 65536) - 32768); break;
      case DataType::Bool: t.setInt64(i, int64_t(r % 2)); break;
      default: t.setInt64(i, int64_t(r % 8)); break;
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

} // namespace edgec::target
