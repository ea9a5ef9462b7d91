// edgec quantize: post-training static quantization (lib/quant/Quantizer.h)
// with calibration data, an ONNX QDQ model as output and an accuracy report
// (per layer and per output) on the calibration or a separate eval set. A
// mixed-precision search tunes on the first eval samples and the report is
// computed on the others (which samples did what is in the report).
#include "Commands.h"
#include "Progress.h"

#include "frontend/ModelLoader.h"
#include "quant/AccuracyReport.h"
#include "quant/Quantizer.h"
#include "report/QuantizeHtml.h"
#include "support/FileIO.h"
#include "support/Json.h"

#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

namespace edgec::tool {

namespace {

struct QuantizeCliOptions {
  std::string model, output, calib, eval, evalLabels, report, html, method,
                                                             activations = "int8";
  int calibRandom = 0;
  int tuneSamples = -1; ///< -1: defaultTuneSamples
  double targetSnr = 0;
  double targetAccuracy = -1;
  double percentile = 99.99;
  bool perTensor = false, perChannel = false, quiet = false;
  std::vector<std::string> keepFloat, inputShapes;
  std::string statsOut;            ///< --stats-out FILE
  std::vector<std::string> stats; ///< --stats FILE...
};

Status writeText(const std::string &path, const std::string &text, const std::string &what) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Error(ErrorCode::Io, path + ": cannot write the " + what);
  out.write(text.data(), (std::streamsize)text.size());
  if (!out) return Error(ErrorCode::Io, path + ": write failed");
  return Status::ok();
}

/// Reads and merges --stats files; they must come from this model file and
/// the same --input-shape overrides.
Expected<CalibrationStats> loadMergedStats(const QuantizeCliOptions &o, const QuantizeOptions &q) {
  std::vector<CalibrationStats> shards;
  for (const std::string &f : o.stats) {
    EDGEC_ASSIGN_OR_RETURN(std::string text, readFileBytes(f));
    Expected<Json> j = Json::parse(text);
    if (!j.isOk()) return j.error().withContext(f + ": ");
    EDGEC_ASSIGN_OR_RETURN(CalibrationStats s, calibrationStatsFromJson(*j, f));
    shards.push_back(std::move(s));
  }
  EDGEC_ASSIGN_OR_RETURN(CalibrationStats m, mergeCalibrationStats(shards, o.stats));
  EDGEC_ASSIGN_OR_RETURN(std::string bytes, readFileBytes(o.model));
  if (m.modelDigest != modelDigest(bytes))
    return Error(ErrorCode::InvalidInput, o.stats.front() + ": statistics of another model file than " +
                                              o.model + " (" + m.modelDigest + ")");
  if (m.inputShapes != inputShapesText(q.inputShapes))
    return Error(ErrorCode::InvalidInput, o.stats.front() + ": collected with --input-shape '" +
                                              m.inputShapes + "', this run has '" +
                                              inputShapesText(q.inputShapes) + "'");
  return m;
}

/// "0-7" style ranges of sorted indices, for the text report.
std::string indexRanges(const std::vector<int> &idx) {
  std::string r;
  for (size_t i = 0; i < idx.size();) {
    size_t j = i;
    while (j + 1 < idx.size() && idx[j + 1] == idx[j] + 1) ++j;
    r += (r.empty() ? "" : ",") + std::to_string(idx[i]) +
         (j > i ? "-" + std::to_string(idx[j]) : "");
    i = j + 1;
  }
  return r;
}

Json indexArray(const std::vector<int> &idx) {
  Json a = Json::array();
  for (int i : idx) a.push(i);
  return a;
}

std::vector<std::string> splitList(const std::vector<std::string> &items) {
  std::vector<std::string> out;
  for (const std::string &item : items) {
    std::stringstream ss(item);
    std::string s;
    while (std::getline(ss, s, ','))
      if (!s.empty()) out.push_back(s);
  }
  return out;
}

Status runQuantize(const QuantizeCliOptions &o) {
  QuantizeOptions q;
  // Default: percentile 99.99 for int8 (outliers would waste its 256
  // levels), minmax for int16 (65536 levels make rounding noise tiny, so
  // clipping costs more than it saves).
  const std::string method =
      !o.method.empty() ? o.method : o.activations == "int16" ? "minmax" : "percentile";
  EDGEC_ASSIGN_OR_RETURN(q.method, parseCalibMethod(method));
  if (o.targetAccuracy >= 0 && o.evalLabels.empty())
    return Error(ErrorCode::Usage, "--target-accuracy needs --eval-labels");
  if (o.targetAccuracy > 100)
    return Error(ErrorCode::Usage, "--target-accuracy is in points, 0 to 100");
  if (o.targetSnr < 0 || o.targetSnr > 200)
    return Error(ErrorCode::Usage, "--target-snr must be in (0, 200] dB");
  if (!(o.percentile > 50 && o.percentile <= 100))
    return Error(ErrorCode::Usage, "--percentile must be in (50, 100]");
  q.percentile = o.percentile;
  if (o.perTensor && o.perChannel)
    return Error(ErrorCode::Usage, "--per-channel and --per-tensor exclude each other");
  q.perChannel = !o.perTensor;
  if (o.activations == "int8") q.activations = DataType::Int8;
  else if (o.activations == "int16") q.activations = DataType::Int16;
  else
    return Error(ErrorCode::Usage,
                 "--activations must be int8 or int16, got '" + o.activations + "'");
  for (const std::string &k : splitList(o.keepFloat)) q.keepFloat.insert(k);
  for (const auto &s : o.inputShapes)
    EDGEC_TRY(parseInputShapeOverride(s, q.inputShapes));
  if (!o.calib.empty() + (o.calibRandom != 0) + !o.stats.empty() != 1)
    return Error(ErrorCode::Usage,
                 "give exactly one of --calib DIR, --calib-random N and --stats FILE...");
  if (o.output.empty() && o.statsOut.empty())
    return Error(ErrorCode::Usage, "give -o FILE (the quantized model) or --stats-out FILE");

  ImportOptions io;
  io.inputShapes = q.inputShapes;
  EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<Model> probe, loadModelFile(o.model, io));
  // --keep-float names must exist (node names or op types of the model).
  for (const std::string &k : q.keepFloat) {
    bool found = false;
    for (const auto &n : probe->graph->nodes())
      found = found || n->name == k || n->opType == k;
    if (!found)
      return Error(ErrorCode::Usage,
                   "--keep-float '" + k + "' is neither a node name nor an op type of the model");
  }
  std::vector<CalibSample> samples;
  CalibrationStats stats; // --stats (merged) or --stats-out
  const bool merged = !o.stats.empty();
  if (merged) {
    EDGEC_ASSIGN_OR_RETURN(stats, loadMergedStats(o, q));
    samples.push_back(stats.probe);
  } else if (o.calibRandom > 0) {
    std::cerr << "warning: --calib-random: calibrating on uniform noise; the "
                 "ranges (and the model) are NOT meant for deployment\n";
    EDGEC_ASSIGN_OR_RETURN(samples, randomCalibrationData(*probe, o.calibRandom));
  } else {
    EDGEC_ASSIGN_OR_RETURN(samples, loadCalibrationData(*probe, o.calib));
  }
  if (!merged && !o.statsOut.empty()) {
    EDGEC_ASSIGN_OR_RETURN(stats, collectCalibrationStats(o.model, samples, q,
                                                          progressBar("calibrating")));
  }
  if (merged || !o.statsOut.empty()) {
    // Quantize from the statistics: no second pass over the samples.
    q.calibration = &stats.result;
    q.sampleShapes = &stats.sampleShapes;
  }
  if (!o.statsOut.empty()) {
    EDGEC_TRY(writeText(o.statsOut, calibrationStatsToJson(stats).dump(), "calibration statistics"));
    std::cout << "calibration statistics of " << stats.result.samples << " samples ("
              << stats.result.tensors.size() << " tensors) -> " << o.statsOut << "\n";
    if (o.output.empty()) return Status::ok();
  }
  std::vector<CalibSample> evalSamples;
  if (!o.eval.empty()) {
    EDGEC_ASSIGN_OR_RETURN(evalSamples, loadCalibrationData(*probe, o.eval));
  }
  std::map<std::string, int64_t> labels;
  if (!o.evalLabels.empty()) {
    EDGEC_ASSIGN_OR_RETURN(labels, loadLabels(o.evalLabels));
  }

  const std::vector<CalibSample> &evalSet = evalSamples.empty() ? samples : evalSamples;
  const std::string evalName = !evalSamples.empty() ? o.eval
                               : merged ? std::string("probe")
                                        : std::string("calibration");
  QuantizeResult r;
  std::vector<PrecisionStep> steps;
  bool targetMet = true;
  const bool search = o.targetSnr > 0 || o.targetAccuracy >= 0;
  if (o.tuneSamples != -1 && !search)
    return Error(ErrorCode::Usage, "--tune-samples needs --target-snr or --target-accuracy");
  // The search tunes on the first eval samples; the report is computed on
  // the rest (all of them without a search).
  TuningSplit split;
  for (size_t i = 0; i < evalSet.size(); ++i) split.heldOutIndices.push_back((int)i);
  if (search) {
    const int tune = o.tuneSamples != -1
                         ? o.tuneSamples
                         : defaultTuneSamples(evalSet.size(), o.targetAccuracy >= 0);
    EDGEC_ASSIGN_OR_RETURN(split, splitForTuning(evalSet, tune));
    PrecisionTarget t;
    t.minSnrDb = o.targetSnr;
    t.maxAccuracyDrop = o.targetAccuracy;
    t.labels = &labels;
    EDGEC_ASSIGN_OR_RETURN(MixedPrecisionResult mp,
                           quantizeToTarget(o.model, samples, split.tune, q, t,
                                            progressBar("calibrating")));
    r = std::move(mp.result);
    steps = mp.steps;
    targetMet = mp.met;
  } else {
    EDGEC_ASSIGN_OR_RETURN(r, quantizeModel(o.model, samples, q, progressBar("calibrating")));
  }
  EDGEC_TRY(writeText(o.output, r.qdqBytes, "output model"));
  EDGEC_ASSIGN_OR_RETURN(AccuracyReport acc,
                         compareModels(*r.floatModel, *r.integerModel,
                                       search ? split.heldOut : evalSet,
                                       labels.empty() ? nullptr : &labels));

  std::ostream &os = std::cout;
  os << "quantized " << o.model << " -> " << o.output << "\n";
  os << "  scheme: " << o.activations << " activations (per tensor"
     << (q.activations == DataType::Int16 ? ", symmetric" : ", asymmetric")
     << "), int8 weights (" << (q.perChannel ? "per channel" : "per tensor")
     << ", symmetric), int32 bias; ranges: " << calibMethodName(q.method);
  if (q.method == CalibMethod::Percentile) os << " " << q.percentile;
  os << " over " << r.calibration.samples << " calibration samples\n";
  os << "  " << r.quantizedNodes << " nodes integer, " << r.floatNodes.size()
     << " kept in float\n";
  for (const std::string &n : r.notes) os << "  note: " << n << "\n";
  if (search) {
    os << "  mixed precision for";
    if (o.targetSnr > 0) os << " output SNR >= " << o.targetSnr << " dB";
    if (o.targetAccuracy >= 0) os << " top-1 within " << o.targetAccuracy << " points of float";
    os << ": " << (targetMet ? "met" : "NOT met") << " on the " << split.tune.size()
       << " tuning samples (" << evalName << " " << indexRanges(split.tuneIndices) << "), "
       << steps.size() << " layer(s) kept in float\n";
    for (const PrecisionStep &s : steps) {
      char buf[300];
      std::snprintf(buf, sizeof buf,
                    "    %-40s alone %.2f dB; after keeping it in float: output SNR %.2f dB",
                    s.node.c_str(), s.sensitivity, s.snrAfter);
      os << buf;
      if (o.targetAccuracy >= 0) {
        std::snprintf(buf, sizeof buf, ", %.2f points below float", s.accuracyDropAfter);
        os << buf;
      }
      os << "\n";
    }
  }
  os << "\n" << formatReport(acc, o.quiet ? 0 : 5, !o.quiet);
  os << "evaluated on "
     << (!evalSamples.empty() ? o.eval
         : merged ? "the probe sample of the statistics (give --eval DIR to evaluate)"
                  : "the calibration set")
     << " (" << acc.samples << " samples";
  if (search)
    os << ": " << indexRanges(split.heldOutIndices) << "; "
       << indexRanges(split.tuneIndices) << " tuned the mixed-precision search";
  os << ")\n";

  if (!o.report.empty() || !o.html.empty()) {
    Json j = Json::object();
    j["schema"] = "edgec.quantize-report.v1";
    j["model"] = o.model;
    j["output"] = o.output;
    Json s = Json::object();
    s["activations"] = o.activations;
    s["weights"] = "int8";
    s["per_channel"] = q.perChannel;
    s["method"] = calibMethodName(q.method);
    s["percentile"] = q.percentile;
    s["calibration_samples"] = r.calibration.samples;
    s["random_calibration"] = o.calibRandom > 0;
    j["scheme"] = s;
    j["integer_nodes"] = r.quantizedNodes;
    Json fl = Json::array();
    for (const std::string &n : r.floatNodes) fl.push(n);
    j["float_nodes"] = fl;
    Json notes = Json::array();
    for (const std::string &n : r.notes) notes.push(n);
    j["notes"] = notes;
    j["eval_set"] = evalName;
    // Which samples did what: calibration ranges, tuning the search,
    // the accuracy below (indices into the eval set in path order).
    Json use = Json::object();
    if (merged) {
      Json files = Json::array();
      for (const std::string &f : o.stats) files.push(f);
      use["calibration"] = files;
    } else {
      use["calibration"] = o.calibRandom > 0 ? std::string("random") : o.calib;
    }
    use["calibration_count"] = (int64_t)r.calibration.samples;
    use["tuning"] = search ? indexArray(split.tuneIndices) : Json(nullptr);
    use["evaluation"] = indexArray(split.heldOutIndices);
    j["samples"] = use;
    if (search) {
      Json mp = Json::object();
      mp["target_snr_db"] = o.targetSnr > 0 ? Json(o.targetSnr) : Json(nullptr);
      mp["target_accuracy_drop"] = o.targetAccuracy >= 0 ? Json(o.targetAccuracy) : Json(nullptr);
      mp["met"] = targetMet;
      Json st = Json::array();
      for (const PrecisionStep &s : steps) {
        Json e = Json::object();
        e["node"] = s.node;
        e["alone_snr_db"] = std::round(s.sensitivity * 1e4) / 1e4;
        e["snr_after_db"] = std::round(s.snrAfter * 1e4) / 1e4;
        if (o.targetAccuracy >= 0)
          e["accuracy_drop_after"] = std::round(s.accuracyDropAfter * 1e4) / 1e4;
        st.push(e);
      }
      mp["steps"] = st;
      j["mixed_precision"] = mp;
    }
    j["accuracy"] = reportJson(acc);
    if (!o.report.empty()) {
      std::ofstream rep(o.report, std::ios::trunc);
      if (!rep) return Error(ErrorCode::Io, o.report + ": cannot write the report");
      rep << j.dump();
    }
    if (!o.html.empty()) EDGEC_TRY(writeFileBytes(o.html, report::quantizeReportHtml(j)));
  }
  return Status::ok();
}

} // namespace

Runner addQuantizeCommand(CLI::App &app) {
  auto o = std::make_shared<QuantizeCliOptions>();
  CLI::App *c = app.add_subcommand(
      "quantize",
      "post-training int8 / 16x8 quantization with calibration; writes an ONNX "
      "QDQ model and an accuracy report\n\nExamples:\n"
      "  edgec quantize model.onnx -o model.int8.onnx --calib calib/\n"
      "  edgec quantize model.onnx -o q.onnx --calib calib/ --eval eval/ "
      "--eval-labels labels.txt --report report.json\n"
      "  edgec quantize audio.onnx -o q16.onnx --calib calib/ --activations int16\n"
      "  edgec quantize model.onnx --calib shard1/ --stats-out s1.json   (one per shard)\n"
      "  edgec quantize model.onnx --stats s1.json s2.json -o model.int8.onnx\n");
  c->add_option("model", o->model, "input model (.onnx)")->required();
  c->add_option("-o,--output", o->output, "output QDQ model (.onnx)");
  c->add_option("--calib", o->calib,
                "calibration data: a folder per sample (one .npy/.pb per input) or "
                "a flat folder of .npy/.pb files for a single-input model");
  c->add_option("--calib-random", o->calibRandom,
                "N samples of noise instead of data (smoke tests only)");
  c->add_option("--stats-out", o->statsOut,
                "write the calibration statistics (histograms) of this run: one "
                "shard of a calibration set (without -o: calibrate only)");
  c->add_option("--stats", o->stats,
                "quantize from the merged statistics of --stats-out runs on shards "
                "(exactly as one run over all their samples)")
      ->expected(1, -1);
  c->add_option("--method", o->method, "range method: percentile, minmax, entropy, mse (default: percentile 99.99 for int8, minmax for int16)");
  c->add_option("--percentile", o->percentile, "percentile for --method percentile (99.99)");
  c->add_flag("--per-channel", o->perChannel, "weights per output channel (default)");
  c->add_flag("--per-tensor", o->perTensor, "weights per tensor");
  c->add_option("--activations", o->activations, "int8 (default) or int16 (16x8 mode)");
  c->add_option("--keep-float", o->keepFloat,
                "node names or op types to keep in float (comma-separated, repeatable)");
  c->add_option("--eval", o->eval, "evaluation data for the report (default: the calibration set)");
  c->add_option("--eval-labels", o->evalLabels,
                "labels file ('NAME LABEL' per line) for top-1 accuracy");
  c->add_option("--report", o->report, "write the report as JSON");
  c->add_option("--html", o->html,
                "write the report as one self-contained HTML page (per-layer SNR and cosine "
                "as bars, per-output figures)");
  c->add_option("--input-shape", o->inputShapes, "NAME=D0,D1,... (repeatable)");
  c->add_option("--target-snr", o->targetSnr,
                "mixed precision: keep the most sensitive layers (output SNR when "
                "only that layer is quantized) in float until every output's SNR "
                "on the tuning samples reaches this many dB");
  c->add_option("--target-accuracy", o->targetAccuracy,
                "mixed precision: keep sensitive layers in float until top-1 accuracy "
                "on the tuning samples is at most this many points below float (needs "
                "--eval-labels)");
  c->add_option("--tune-samples", o->tuneSamples,
                "mixed precision: the first N eval samples tune the search, the report "
                "is computed on the others (default: 8, or half the eval set with "
                "--target-accuracy; at most half by default)");
  c->add_flag("--quiet", o->quiet, "no per-layer table (outputs only)");
  return [o]() { return runQuantize(*o); };
}

} // namespace edgec::tool
