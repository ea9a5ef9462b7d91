#include "quant/Quantizer.h"

#include "interp/Interpreter.h"
#include "onnx/OnnxExporter.h"
#include "frontend/ModelLoader.h"
#include "onnx/OpsetUpgrade.h"
#include "passes/PassManager.h"
#include "passes/quant/QuantPlan.h"
#include "quant/AccuracyReport.h"
#include "support/FileIO.h"

#include <algorithm>

#include <sstream>

namespace edgec {

namespace {

std::string shapeText(const TensorShape &s) {
  std::string r;
  for (size_t i = 0; i < s.size(); ++i) r += (i ? "x" : "") + std::to_string(s[i]);
  return r.empty() ? "scalar" : r;
}

/// Fixes dynamic input dims from the samples when they all agree.
Status fixShapes(const Model &probe, const SampleShapes &seen,
                 std::map<std::string, TensorShape> &shapes,
                 std::vector<std::string> &notes) {
  for (const Value *in : probe.graph->inputs) {
    if (in->isInitializer() || shapes.count(in->name) || in->type.isStatic())
      continue;
    auto it = seen.find(in->name);
    if (it == seen.end() || !it->second.agree) continue;
    shapes[in->name] = it->second.shape;
    notes.push_back("input '" + in->name + "' has dynamic dims: fixed to " +
                    shapeText(it->second.shape) +
                    " from the calibration data (--input-shape chooses)");
  }
  return Status::ok();
}

/// The input shapes the quantizer works with: the overrides, then dynamic
/// dims fixed from what the samples had.
Expected<std::map<std::string, TensorShape>>
resolveShapes(const std::string &path, const SampleShapes &seen, const QuantizeOptions &opts,
              std::vector<std::string> &notes) {
  std::map<std::string, TensorShape> shapes = opts.inputShapes;
  ImportOptions io;
  io.inputShapes = shapes;
  EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<Model> probe, loadModelFile(path, io));
  EDGEC_TRY(fixShapes(*probe, seen, shapes, notes));
  return shapes;
}

/// The node name in an interpreter error ("node 'x' (Op): ...").
std::string failingNode(const std::string &msg) {
  const std::string key = "node '";
  size_t p = msg.find(key);
  if (p == std::string::npos) return {};
  size_t e = msg.find("' (", p + key.size());
  if (e == std::string::npos) return {};
  return msg.substr(p + key.size(), e - p - key.size());
}

/// Gives every main-graph node a unique, non-empty name (the accuracy
/// report and --keep-float refer to nodes by name).
void nameNodes(Graph &g) {
  std::set<std::string> seen;
  int k = 0;
  for (const auto &n : g.nodes()) {
    if (!n->name.empty() && seen.insert(n->name).second) continue;
    std::string base = n->name.empty() ? n->opType : n->name;
    std::string name;
    do name = base + "_" + std::to_string(k++);
    while (seen.count(name));
    n->name = name;
    seen.insert(name);
  }
}

} // namespace

Expected<std::unique_ptr<Model>>
loadOptimizedFloatModel(const std::string &path,
                        const std::map<std::string, TensorShape> &shapes) {
  ImportOptions io;
  io.inputShapes = shapes;
  EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<Model> m, loadModelFile(path, io));
  nameNodes(*m->graph);
  PassManagerOptions pmo;
  pmo.pass.fuseQuantizableActivationsOnly = true;
  PassManager pm(pmo);
  EDGEC_TRY(pm.addLevel(2));
  EDGEC_TRY(pm.run(*m));
  return m;
}

Status foldToIntegerGraph(Model &m) {
  PassManager pm;
  EDGEC_TRY(pm.addPassList("fold-qdq,eliminate-dead-code"));
  return pm.run(m);
}

Expected<CalibrationStats> collectCalibrationStats(const std::string &path,
                                                   const std::vector<CalibSample> &samples,
                                                   const QuantizeOptions &opts,
                                                   const CalibProgress &progress) {
  if (samples.empty()) return Error(ErrorCode::InvalidInput, "no calibration samples");
  CalibrationStats st;
  EDGEC_ASSIGN_OR_RETURN(std::string bytes, readFileBytes(path));
  st.modelDigest = modelDigest(bytes);
  st.inputShapes = inputShapesText(opts.inputShapes);
  st.sampleShapes = sampleShapesOf(samples);
  st.probe = samples.front();
  std::vector<std::string> notes;
  EDGEC_ASSIGN_OR_RETURN(auto shapes, resolveShapes(path, st.sampleShapes, opts, notes));
  EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<Model> floatModel, loadOptimizedFloatModel(path, shapes));
  EDGEC_ASSIGN_OR_RETURN(st.result, calibrate(*floatModel, samples, progress));
  return st;
}

Expected<QuantizeResult> quantizeModel(const std::string &path,
                                       const std::vector<CalibSample> &samples,
                                       const QuantizeOptions &opts,
                                       const CalibProgress &progress) {
  if (samples.empty())
    return Error(ErrorCode::InvalidInput, "no calibration samples");
  if (opts.activations != DataType::Int8 && opts.activations != DataType::Int16)
    return Error(ErrorCode::Usage, "activations must be int8 or int16");
  QuantizeResult r;
  const SampleShapes seen = opts.sampleShapes ? *opts.sampleShapes : sampleShapesOf(samples);
  EDGEC_ASSIGN_OR_RETURN(auto shapes, resolveShapes(path, seen, opts, r.notes));
  EDGEC_ASSIGN_OR_RETURN(r.floatModel, loadOptimizedFloatModel(path, shapes));
  if (opts.calibration) {
    r.calibration = *opts.calibration;
  } else {
    EDGEC_ASSIGN_OR_RETURN(r.calibration,
                           calibrate(*r.floatModel, samples, progress));
  }

  auto plan = std::make_shared<QuantPlan>();
  plan->activationType = opts.activations;
  plan->perChannel = opts.perChannel;
  plan->keepFloat = opts.keepFloat;
  const int levels = opts.activations == DataType::Int16 ? 65536 : 256;
  for (const auto &[name, h] : r.calibration.tensors) {
    if (h.count() == 0) continue;
    QuantRange q = chooseRange(h, opts.method, levels, opts.percentile);
    plan->ranges[name] = {q.lo, q.hi};
  }
  const int64_t needOpset = opts.activations == DataType::Int16 ? 21 : 13;

  for (int attempt = 0;; ++attempt) {
    EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<Model> m,
                           loadOptimizedFloatModel(path, shapes));
    const int64_t opset = m->defaultOpset();
    if (opset < needOpset) {
      EDGEC_TRY(upgradeOpset(*m, needOpset));
      if (attempt == 0)
        r.notes.push_back("model upgraded from opset " + std::to_string(opset) +
                          " to " + std::to_string(needOpset) +
                          (needOpset == 21 ? " (int16 QuantizeLinear)"
                                           : " (per-axis QuantizeLinear)"));
    }
    PassManagerOptions pmo;
    pmo.pass.quantPlan = plan;
    PassManager pm(pmo);
    EDGEC_TRY(pm.addPassList("insert-qdq,eliminate-dead-code"));
    EDGEC_TRY(pm.run(*m));
    EDGEC_ASSIGN_OR_RETURN(std::string bytes, exportOnnxBytes(*m));
    EDGEC_TRY(foldToIntegerGraph(*m));
    // The integer graph must run: on a failure naming a node, that node
    // goes back to float and the pipeline repeats.
    Interpreter interp(*m);
    Expected<std::vector<Tensor>> out = interp.run(samples.front().inputs);
    if (!out.isOk()) {
      const std::string node = failingNode(out.error().message());
      if (node.empty() || plan->keepFloat.count(node) ||
          attempt >= opts.maxFallbacks)
        return out.error().withContext("quantized model does not run: ");
      plan->keepFloat.insert(node);
      r.notes.push_back("node '" + node + "' kept in float: " +
                        out.error().message());
      r.fallbacks.push_back(node);
      continue;
    }
    r.qdqBytes = std::move(bytes);
    r.integerModel = std::move(m);
    break;
  }
  for (const auto &n : r.integerModel->graph->nodes()) {
    if (n->opType == "QuantizeLinear" || n->opType == "DequantizeLinear")
      continue;
    const Value *y = n->outputs.empty() ? nullptr : n->outputs[0];
    if (y && y->quant && y->type.dtype != DataType::Float32)
      ++r.quantizedNodes;
    else if (y && y->type.dtype == DataType::Float32)
      r.floatNodes.push_back(n->name);
  }
  return r;
}

namespace {

/// Worst output SNR of the quantized model over `eval`.
Expected<double> worstOutputSnr(const QuantizeResult &r,
                                const std::vector<CalibSample> &eval) {
  EDGEC_ASSIGN_OR_RETURN(AccuracyReport acc,
                         compareModels(*r.floatModel, *r.integerModel, eval));
  double worst = 999;
  for (const OutputAccuracy &o : acc.outputs) worst = std::min(worst, o.error.snrDb());
  return worst;
}

/// Top-1 points the quantized model loses against float on `eval`.
Expected<double> accuracyDrop(const QuantizeResult &r,
                              const std::vector<CalibSample> &eval,
                              const std::map<std::string, int64_t> &labels) {
  EDGEC_ASSIGN_OR_RETURN(AccuracyReport acc,
                         compareModels(*r.floatModel, *r.integerModel, eval, &labels));
  if (!acc.floatAccuracy)
    return Error(ErrorCode::InvalidInput,
                 "--target-accuracy: no tuning sample has a label (labels are "
                 "matched by sample file or folder name)");
  return (*acc.floatAccuracy - *acc.quantAccuracy) * 100;
}

/// Measures the result against the target; true when met.
Expected<bool> meets(const QuantizeResult &r, const std::vector<CalibSample> &trial,
                     const std::vector<CalibSample> &tune, const PrecisionTarget &t,
                     double &snr, double &drop) {
  EDGEC_ASSIGN_OR_RETURN(snr, worstOutputSnr(r, trial));
  bool ok = snr >= t.minSnrDb;
  if (t.maxAccuracyDrop >= 0 && t.labels) {
    EDGEC_ASSIGN_OR_RETURN(drop, accuracyDrop(r, tune, *t.labels));
    ok = ok && drop <= t.maxAccuracyDrop + 1e-9;
  }
  return ok;
}

} // namespace

Expected<TuningSplit> splitForTuning(const std::vector<CalibSample> &eval, int tuneCount) {
  if (tuneCount < 1 || (size_t)tuneCount >= eval.size())
    return Error(ErrorCode::Usage,
                 "mixed precision tunes on " + std::to_string(tuneCount) + " of " +
                     std::to_string(eval.size()) +
                     " eval samples: at least one must tune and one be held out "
                     "for the report (--tune-samples)");
  TuningSplit s;
  for (size_t i = 0; i < eval.size(); ++i) {
    const bool tunes = i < (size_t)tuneCount;
    (tunes ? s.tune : s.heldOut).push_back(eval[i]);
    (tunes ? s.tuneIndices : s.heldOutIndices).push_back((int)i);
  }
  return s;
}

int defaultTuneSamples(size_t evalCount, bool accuracyGoal) {
  const int half = (int)(evalCount / 2);
  return accuracyGoal ? half : std::min(PrecisionTarget{}.trialSamples, half);
}

Expected<MixedPrecisionResult>
quantizeToTarget(const std::string &path, const std::vector<CalibSample> &samples,
                 const std::vector<CalibSample> &tune, const QuantizeOptions &opts,
                 const PrecisionTarget &target, const CalibProgress &progress) {
  if (tune.empty())
    return Error(ErrorCode::InvalidInput, "mixed precision: no tuning samples");
  MixedPrecisionResult mp;
  EDGEC_ASSIGN_OR_RETURN(mp.result, quantizeModel(path, samples, opts, progress));
  std::vector<CalibSample> trial(tune.begin(),
                                 tune.begin() + std::min<size_t>(tune.size(),
                                                                 (size_t)std::max(1, target.trialSamples)));
  EDGEC_ASSIGN_OR_RETURN(mp.met,
                         meets(mp.result, trial, tune, target, mp.snrDb, mp.accuracyDrop));
  if (mp.met) return mp;
  const CalibrationResult calib = mp.result.calibration;
  QuantizeOptions o = opts;
  o.calibration = &calib;
  o.keepFloat.insert(mp.result.fallbacks.begin(), mp.result.fallbacks.end());
  // Sensitivity of each quantized layer: only it quantized.
  std::vector<std::string> layers;
  for (const auto &n : mp.result.integerModel->graph->nodes()) {
    const Value *y = n->outputs.empty() ? nullptr : n->outputs[0];
    if (y && y->quant && y->type.dtype != DataType::Float32 &&
        n->opType != "QuantizeLinear")
      layers.push_back(n->name);
  }
  std::set<std::string> allNodes;
  for (const auto &n : mp.result.floatModel->graph->nodes()) allNodes.insert(n->name);
  std::vector<std::pair<double, std::string>> sensitivity;
  for (const std::string &l : layers) {
    QuantizeOptions only = o;
    only.keepFloat = allNodes;
    only.keepFloat.erase(l);
    Expected<QuantizeResult> r = quantizeModel(path, samples, only);
    if (!r.isOk()) continue;
    Expected<double> snr = worstOutputSnr(*r, trial);
    if (snr.isOk()) sensitivity.emplace_back(*snr, l);
  }
  std::stable_sort(sensitivity.begin(), sensitivity.end());
  for (const auto &[sens, layer] : sensitivity) {
    if ((int)mp.steps.size() >= target.maxFloatLayers) break;
    o.keepFloat.insert(layer);
    EDGEC_ASSIGN_OR_RETURN(QuantizeResult r, quantizeModel(path, samples, o));
    double snr = 0, drop = 0;
    EDGEC_ASSIGN_OR_RETURN(bool met, meets(r, trial, tune, target, snr, drop));
    mp.steps.push_back({layer, sens, snr, drop});
    mp.result = std::move(r);
    mp.snrDb = snr;
    mp.accuracyDrop = drop;
    if (met) {
      mp.met = true;
      break;
    }
  }
  mp.result.calibration = calib;
  return mp;
}

} // namespace edgec
