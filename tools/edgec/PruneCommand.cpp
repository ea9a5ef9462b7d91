// edgec prune: magnitude (unstructured) or channel (structured) pruning
// without retraining, with a per-layer report and the output deviation of
// the pruned model on an evaluation set (docs/pruning.md).
#include "Commands.h"

#include "analysis/ModelStats.h"
#include "onnx/OnnxExporter.h"
#include "frontend/ModelLoader.h"
#include "passes/PassManager.h"
#include "prune/Evaluate.h"
#include "prune/Prune.h"
#include "support/FileIO.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

namespace edgec::tool {

namespace {

struct PruneCliOptions {
  std::string model;
  std::string output;
  double sparsity = 0.5;
  std::string method = "magnitude";
  bool perLayer = false;
  std::string norm = "l1";
  std::vector<std::string> layers;
  std::string report;
  std::string eval;
  int evalRandom = 0;
  std::string evalLabels;
  std::vector<std::string> inputShapes;
  int level = 2;
  bool normGiven = false;
};

struct Totals {
  ModelStats stats;
  int64_t nonzero = 0;
};

Totals totalsOf(const Model &m) {
  Totals t;
  t.stats = computeModelStats(m);
  auto count = [&](const Tensor &c) {
    if (isStorageOnlyType(c.dtype())) {
      t.nonzero += c.numElements();
      return;
    }
    for (int64_t i = 0; i < c.numElements(); ++i)
      if (c.getDouble(i) != 0.0) ++t.nonzero;
  };
  // The same tensors ModelStats counts as parameters (main graph).
  for (const auto &v : m.graph->values())
    if (v->isInitializer()) count(*v->constant);
  for (const auto &n : m.graph->nodes())
    if (n->opType == "Constant" && n->domain.empty())
      if (const Attribute *a = n->attr("value")) count(a->t);
  return t;
}

Json totalsJson(const Totals &t) {
  Json j = Json::object();
  j["nodes"] = t.stats.nodeCount;
  j["parameters"] = t.stats.parameterCount;
  j["nonzero_parameters"] = t.nonzero;
  j["parameter_bytes"] = t.stats.parameterBytes;
  j["macs"] = t.stats.totalMacs;
  j["macs_complete"] = t.stats.macsComplete;
  return j;
}

Json optInt(const std::optional<int64_t> &v) { return v ? Json(*v) : Json(nullptr); }
Json chan(int64_t v) { return v >= 0 ? Json(v) : Json(nullptr); }

std::string fmtInt(int64_t v) { return v < 0 ? "-" : std::to_string(v); }
std::string fmtOpt(const std::optional<int64_t> &v) { return v ? std::to_string(*v) : "?"; }
std::string fmtPct(double f) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f%%", 100.0 * f);
  return b;
}
std::string arrow(const std::string &a, const std::string &b) {
  return a == b ? a : a + " -> " + b;
}
double ratio(int64_t a, int64_t b) { return b > 0 ? (double)a / (double)b : 0.0; }

std::string shorten(const std::string &s, size_t w) {
  return s.size() <= w ? s : "..." + s.substr(s.size() - (w - 3));
}

void printTotals(std::ostream &os, const Totals &orig, const Totals &before,
                 const Totals &after, bool optimized) {
  char b[200];
  os << "\ntotals:\n";
  if (optimized)
    std::snprintf(b, sizeof b, "  %-20s %14s %14s %14s %10s\n", "", "original",
                  "optimized", "pruned", "change");
  else
    std::snprintf(b, sizeof b, "  %-20s %14s %14s %10s\n", "", "original", "pruned",
                  "change");
  os << b;
  auto row = [&](const char *what, int64_t o, int64_t x, int64_t y) {
    double ch = x ? 100.0 * (double)(y - x) / (double)x : 0.0;
    if (optimized)
      std::snprintf(b, sizeof b, "  %-20s %14lld %14lld %14lld %+9.1f%%\n", what,
                    (long long)o, (long long)x, (long long)y, ch);
    else
      std::snprintf(b, sizeof b, "  %-20s %14lld %14lld %+9.1f%%\n", what,
                    (long long)x, (long long)y, ch);
    os << b;
  };
  row("nodes", orig.stats.nodeCount, before.stats.nodeCount, after.stats.nodeCount);
  row("parameters", orig.stats.parameterCount, before.stats.parameterCount,
      after.stats.parameterCount);
  row("nonzero parameters", orig.nonzero, before.nonzero, after.nonzero);
  row("parameter bytes", orig.stats.parameterBytes, before.stats.parameterBytes,
      after.stats.parameterBytes);
  row("MACs", orig.stats.totalMacs, before.stats.totalMacs, after.stats.totalMacs);
  if (!after.stats.macsComplete)
    os << "  (MACs incomplete: some shapes are dynamic; use --input-shape)\n";
}

void printDeviation(std::ostream &os, const DeviationReport &r, const std::string &what) {
  os << "\noutput deviation, pruned vs original (" << r.samples << " sample"
     << (r.samples == 1 ? "" : "s") << " from " << what << "):\n";
  char b[256];
  for (const OutputDeviation &d : r.outputs) {
    char snr[32];
    if (std::isinf(d.snrDb) && d.snrDb > 0) std::snprintf(snr, sizeof snr, "inf");
    else std::snprintf(snr, sizeof snr, "%.2f dB", d.snrDb);
    std::snprintf(b, sizeof b, "  %s: max abs error %.6g, mean cosine %.6f, SNR %s",
                  d.name.c_str(), d.maxAbsError, d.meanCosine, snr);
    os << b;
    if (d.classifier) {
      std::snprintf(b, sizeof b, ", top-1 agreement %.2f%% (%lld rows)",
                    100.0 * d.top1Agreement, (long long)d.rows);
      os << b;
    }
    os << "\n";
    if (d.referenceAccuracy) {
      std::snprintf(b, sizeof b, "    accuracy: original %.2f%%, pruned %.2f%% (%+.2f points)\n",
                    100.0 * *d.referenceAccuracy, 100.0 * *d.prunedAccuracy,
                    100.0 * (*d.prunedAccuracy - *d.referenceAccuracy));
      os << b;
    }
  }
}

Status runPrune(PruneCliOptions o) {
  if (o.model.empty()) return Error(ErrorCode::Usage, "prune: a model file is required");
  EDGEC_ASSIGN_OR_RETURN(PruneMethod method, parsePruneMethod(o.method));
  EDGEC_ASSIGN_OR_RETURN(PruneNorm norm, parsePruneNorm(o.norm));
  if (!(o.sparsity >= 0.0 && o.sparsity < 1.0)) {
    char b[64];
    std::snprintf(b, sizeof b, "%g", o.sparsity);
    return Error(ErrorCode::Usage, std::string("--sparsity must be in [0, 1), got ") + b);
  }
  if (o.perLayer && method != PruneMethod::Magnitude)
    return Error(ErrorCode::Usage,
                 "--per-layer applies to --method magnitude (channel pruning is "
                 "always per layer group)");
  if (o.normGiven && method != PruneMethod::Channel)
    return Error(ErrorCode::Usage, "--norm applies to --method channel");
  if (!o.eval.empty() && o.evalRandom > 0)
    return Error(ErrorCode::Usage, "--eval and --eval-random are exclusive");
  if (o.evalRandom < 0)
    return Error(ErrorCode::Usage, "--eval-random must be positive");
  if (!o.evalLabels.empty() && o.eval.empty())
    return Error(ErrorCode::Usage, "--eval-labels needs --eval");
  std::vector<std::string> layers;
  for (const std::string &spec : o.layers) {
    std::stringstream ss(spec);
    std::string item;
    while (std::getline(ss, item, ','))
      if (!item.empty()) layers.push_back(item);
  }

  ImportOptions io;
  for (const auto &s : o.inputShapes)
    EDGEC_TRY(parseInputShapeOverride(s, io.inputShapes));
  EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<Model> orig, loadModelFile(o.model, io));
  EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<Model> m, loadModelFile(o.model, io));
  Totals tOrig = totalsOf(*orig);
  if (o.level > 0) {
    PassManager pm;
    EDGEC_TRY(pm.addLevel(o.level));
    EDGEC_TRY(pm.run(*m));
  }
  Totals tBefore = totalsOf(*m);

  PruneOptions po;
  po.method = method;
  po.sparsity = o.sparsity;
  po.perLayer = o.perLayer;
  po.norm = norm;
  po.layers = layers;
  EDGEC_ASSIGN_OR_RETURN(PruneResult res, pruneModel(*m, po));
  Totals tAfter = totalsOf(*m);

  if (!o.output.empty()) EDGEC_TRY(exportOnnxFile(*m, o.output));

  std::optional<DeviationReport> dev;
  std::string evalWhat;
  if (!o.eval.empty() || o.evalRandom > 0) {
    std::vector<CalibSample> samples;
    if (!o.eval.empty()) {
      EDGEC_ASSIGN_OR_RETURN(samples, loadCalibrationData(*orig, o.eval));
      evalWhat = o.eval;
    } else {
      EDGEC_ASSIGN_OR_RETURN(samples, randomCalibrationData(*orig, o.evalRandom));
      evalWhat = "random noise (--eval-random: not a measure of accuracy)";
      std::cerr << "warning: --eval-random feeds uniform noise; the deviation it "
                   "reports says little about accuracy on real data\n";
    }
    std::vector<int64_t> labels;
    if (!o.evalLabels.empty()) {
      EDGEC_ASSIGN_OR_RETURN(labels, loadLabels(o.evalLabels, samples));
    }
    EDGEC_ASSIGN_OR_RETURN(DeviationReport r,
                           compareModels(*orig, *m, samples,
                                         o.evalLabels.empty() ? nullptr : &labels));
    dev = r;
  }

  // Text report.
  std::ostream &os = std::cout;
  os << "model: " << o.model << "\n";
  os << "method: " << pruneMethodName(method);
  if (method == PruneMethod::Channel) os << " (" << pruneNormName(norm) << " norm)";
  else os << (o.perLayer ? " (per layer)" : " (global)");
  char b[320];
  std::snprintf(b, sizeof b, ", sparsity %g, pipeline -O%d\n\n", o.sparsity, o.level);
  os << b;
  if (method == PruneMethod::Magnitude) {
    std::snprintf(b, sizeof b, "  %-36s %-14s %10s %10s %10s\n", "layer", "op", "weights",
                  "sparsity", "after");
    os << b;
    for (const PruneLayer &L : res.layers) {
      std::snprintf(b, sizeof b, "  %-36s %-14s %10lld %10s %10s%s\n",
                    shorten(L.name, 36).c_str(), L.op.c_str(), (long long)L.weightElements,
                    fmtPct(ratio(L.zerosBefore, L.weightElements)).c_str(),
                    fmtPct(ratio(L.zerosAfter, L.weightElements)).c_str(),
                    L.selected ? "" : "  (not selected)");
      os << b;
    }
    int64_t w = 0, z0 = 0, z1 = 0;
    for (const PruneLayer &L : res.layers) {
      w += L.weightElements;
      z0 += L.zerosBefore;
      z1 += L.zerosAfter;
    }
    std::snprintf(b, sizeof b, "  %-36s %-14s %10lld %10s %10s\n", "overall", "",
                  (long long)w, fmtPct(ratio(z0, w)).c_str(), fmtPct(ratio(z1, w)).c_str());
    os << b;
    os << "\nweights zeroed: " << res.weightsZeroed
       << " (dense shapes and MACs are unchanged; sparse kernels or compression "
          "turn zeros into savings)\n";
  } else {
    std::snprintf(b, sizeof b, "  %-36s %-18s %-20s %-14s %-14s %-24s\n", "layer", "op",
                  "params", "out channels", "in channels", "MACs");
    os << b;
    for (const PruneLayer &L : res.layers) {
      std::snprintf(b, sizeof b, "  %-36s %-18s %-20s %-14s %-14s %-24s",
                    shorten(L.name, 36).c_str(), L.op.c_str(),
                    arrow(fmtInt(L.paramsBefore), fmtInt(L.paramsAfter)).c_str(),
                    arrow(fmtInt(L.outChannelsBefore), fmtInt(L.outChannelsAfter)).c_str(),
                    arrow(fmtInt(L.inChannelsBefore), fmtInt(L.inChannelsAfter)).c_str(),
                    arrow(fmtOpt(L.macsBefore), fmtOpt(L.macsAfter)).c_str());
      os << b;
      if (!L.note.empty()) os << "  " << L.note;
      os << "\n";
    }
    os << "\nchannel groups: " << res.channelGroups << ", pruned: " << res.groupsPruned
       << ", channels removed: " << res.channelsRemoved << "\n";
  }
  printTotals(os, tOrig, tBefore, tAfter, o.level > 0);
  if (dev) printDeviation(os, *dev, evalWhat);
  if (!o.output.empty()) os << "\nwrote " << o.output << "\n";

  if (!o.report.empty()) {
    Json j = Json::object();
    j["schema"] = "edgec.prune/1";
    j["model"] = o.model;
    j["method"] = std::string(pruneMethodName(method));
    j["sparsity"] = o.sparsity;
    j["level"] = o.level;
    j["output"] = o.output.empty() ? Json(nullptr) : Json(o.output);
    if (method == PruneMethod::Channel) j["norm"] = std::string(pruneNormName(norm));
    else j["per_layer"] = o.perLayer;
    Json ls = Json::array();
    int64_t w = 0, z0 = 0, z1 = 0;
    for (const PruneLayer &L : res.layers) {
      Json l = Json::object();
      l["name"] = L.name;
      l["op"] = L.op;
      l["selected"] = L.selected;
      l["params_before"] = L.paramsBefore;
      l["params_after"] = L.paramsAfter;
      if (method == PruneMethod::Magnitude) {
        l["weights"] = L.weightElements;
        l["zeros_before"] = L.zerosBefore;
        l["zeros_after"] = L.zerosAfter;
        l["sparsity_before"] = ratio(L.zerosBefore, L.weightElements);
        l["sparsity_after"] = ratio(L.zerosAfter, L.weightElements);
        w += L.weightElements;
        z0 += L.zerosBefore;
        z1 += L.zerosAfter;
      } else {
        l["out_channels_before"] = chan(L.outChannelsBefore);
        l["out_channels_after"] = chan(L.outChannelsAfter);
        l["in_channels_before"] = chan(L.inChannelsBefore);
        l["in_channels_after"] = chan(L.inChannelsAfter);
        l["macs_before"] = optInt(L.macsBefore);
        l["macs_after"] = optInt(L.macsAfter);
        l["note"] = L.note;
      }
      ls.push(l);
    }
    j["layers"] = ls;
    Json s = Json::object();
    if (method == PruneMethod::Magnitude) {
      s["weights"] = w;
      s["zeros_before"] = z0;
      s["zeros_after"] = z1;
      s["sparsity_before"] = ratio(z0, w);
      s["sparsity_after"] = ratio(z1, w);
      s["weights_zeroed"] = res.weightsZeroed;
    } else {
      s["channel_groups"] = res.channelGroups;
      s["groups_pruned"] = res.groupsPruned;
      s["channels_removed"] = res.channelsRemoved;
    }
    j["summary"] = s;
    Json t = Json::object();
    t["original"] = totalsJson(tOrig);
    t["before"] = totalsJson(tBefore);
    t["after"] = totalsJson(tAfter);
    j["totals"] = t;
    if (dev) {
      Json e = deviationJson(*dev);
      e["source"] = o.eval.empty() ? Json("random") : Json(o.eval);
      j["eval"] = e;
    } else {
      j["eval"] = nullptr;
    }
    EDGEC_TRY(writeFileBytes(o.report, j.dump()));
  }
  return Status::ok();
}

} // namespace

Runner addPruneCommand(CLI::App &app) {
  auto o = std::make_shared<PruneCliOptions>();
  CLI::App *c = app.add_subcommand(
      "prune",
      "Prune a model (magnitude or channel) and write it as ONNX\n\n"
      "Examples:\n  edgec prune model.onnx -o pruned.onnx --sparsity 0.5\n"
      "  edgec prune model.onnx -o pruned.onnx --method channel --sparsity 0.25 "
      "--report report.json\n"
      "  edgec prune model.onnx -o p.onnx --method channel --sparsity 0.25 "
      "--eval data/ --eval-labels labels.txt\n"
      "  edgec prune model.onnx -o p.onnx --sparsity 0.8 --per-layer --layers conv1,conv2");
  c->add_option("model", o->model, "model file (.onnx or ONNX text)");
  c->add_option("-o,--output", o->output, "write the pruned model (.onnx)");
  c->add_option("--sparsity", o->sparsity,
                "fraction to prune, in [0, 1) (default 0.5): of the weights "
                "(magnitude) or of each layer group's channels (channel)");
  c->add_option("--method", o->method,
                "magnitude (default: zero the smallest weights) or channel "
                "(remove whole output channels)");
  c->add_flag("--per-layer", o->perLayer,
              "magnitude: prune each layer to the sparsity instead of ranking globally");
  c->add_option("--norm", o->norm, "channel: filter ranking norm, l1 (default) or l2");
  c->add_option("--layers", o->layers,
                "only these nodes (comma-separated, repeatable; names as in "
                "`edgec inspect --per-node`)");
  c->add_option("--report", o->report, "write the report as JSON to this file");
  c->add_option("--eval", o->eval,
                "evaluation data (calibration-data layout) for the output deviation");
  c->add_option("--eval-random", o->evalRandom,
                "evaluate on N samples of random noise (smoke tests only)");
  c->add_option("--eval-labels", o->evalLabels,
                "labels for --eval (text: one per line or 'NAME LABEL'; or .npy) "
                "for top-1 accuracy");
  c->add_option("--input-shape", o->inputShapes,
                "override an input shape: name=d0,d1,... (repeatable)");
  c->add_option("-O,--level", o->level,
                "optimize before pruning at this level 0-3 (default 2: folds "
                "BatchNorm, fuses activations)")
      ->check(CLI::Range(0, 3));
  return [o, c] {
    PruneCliOptions copy = *o;
    copy.normGiven = c->count("--norm") > 0;
    return runPrune(copy);
  };
}

} // namespace edgec::tool
