// edgec inspect: inputs/outputs, opsets, op histogram, parameters, MACs,
// activation sizes and unsupported ops of a model.
#include "Commands.h"
#include "NpuEstimate.h"

#include "targets/Driver.h"
#include "targets/Target.h"

#include "analysis/ModelStats.h"
#include "frontend/ModelLoader.h"
#include "onnx/OnnxImporter.h"
#include "support/FileIO.h"
#include "interp/EthosU.h"
#include "npu/EthosUNode.h"
#include "npu/Listing.h"
#include "npu/Payload.h"

#include <cstdio>
#include <filesystem>
#include <array>
#include <iostream>
#include <memory>
#include <map>
#include <sstream>

namespace edgec::tool {

namespace {

struct InspectOptions {
  std::string model;
  std::vector<std::string> inputShapes;
  bool json = false;
  std::string output;
  bool perNode = false;
  std::vector<std::string> targets; ///< --target: check support per target
  bool npuStream = false; ///< --npu-stream: list each Ethos-U command stream
  bool npuEstimate = false; ///< --npu-estimate: Vela-style cycle estimate report
  NpuEstimateOptions estimate;
};

std::string withCommas(int64_t v);

/// The Ethos-U payloads of a model (Vela's `ethos-u` custom operators):
/// header and operation counts, with --npu-stream the command listing.
Status printNpuPayloads(std::ostream &os, const Graph &g, bool listing, Json *json,
                        const NpuEstimateOptions &eo) {
  for (const auto &n : g.nodes()) {
    if (n->domain != npu::kEthosUDomain || n->inputs.empty() || !n->inputs[0] ||
        !n->inputs[0]->constant)
      continue;
    const Tensor &t = *n->inputs[0]->constant;
    EDGEC_ASSIGN_OR_RETURN(npu::Payload p, npu::parsePayload(t.data<uint8_t>(), t.byteSize()));
    EDGEC_ASSIGN_OR_RETURN(std::vector<npu::Command> cmds, npu::decodeCommandStream(p.stream));
    EDGEC_ASSIGN_OR_RETURN(std::vector<npu::Operation> ops, npu::buildOperations(cmds));
    std::map<std::string, int64_t> hist;
    for (const npu::Operation &op : ops) hist[npu::operationName(op)]++;
    // Per-operation counters from one run on zero inputs (they do not
    // depend on the data).
    // A stream the model cannot run still gets its header and listing.
    std::vector<npu::OpCounters> counters;
    std::string countersError;
    auto req = ethosURequest(*n, std::vector<const Tensor *>(n->inputs.size() > 2 ? n->inputs.size() - 2 : 0, nullptr));
    auto run = req ? npu::invokePayload(*req) : Expected<npu::InvokeResult>(req.error());
    if (run) counters = run->counters;
    else countersError = run.error().message();
    // The cycle estimate (lib/npu/estimate) on the --npu-estimate system;
    // per operation by stream index.
    auto est = estimatePayload(*n, p, eo, eo.network);
    std::map<size_t, double> opCycles;
    if (est)
      for (const npu::OpEstimate &e : est->estimate.ops) opCycles[e.index] = e.totalCycles;
    if (json) {
      Json j = Json::object();
      Json opsJson = Json::array();
      for (const npu::OpCounters &k : counters) {
        Json o = Json::object();
        o["index"] = int64_t(k.index);
        o["op"] = k.name;
        o["macs"] = k.macs;
        Json rd = Json::object(), wr = Json::object();
        for (int r = 0; r < npu::kMaxRegions; ++r) {
          if (k.bytesRead[size_t(r)]) rd[std::to_string(r)] = k.bytesRead[size_t(r)];
          if (k.bytesWritten[size_t(r)]) wr[std::to_string(r)] = k.bytesWritten[size_t(r)];
        }
        o["bytes_read"] = rd;
        o["bytes_written"] = wr;
        o["internal_buffer_bytes"] = k.internalBytes;
        if (opCycles.count(k.index)) o["estimated_cycles"] = opCycles[k.index];
        opsJson.push(o);
      }
      j["per_operation"] = opsJson;
      if (!countersError.empty()) j["counters_error"] = countersError;
      if (est) j["estimated_total_cycles"] = est->estimate.totalCycles;
      else j["estimate_error"] = est.error().message();
      j["node"] = n->name;
      j["config"] = npu::describeConfig(p.config);
      j["config_word"] = int64_t(p.config.word);
      j["stream_words"] = int64_t(p.stream.size());
      j["commands"] = int64_t(cmds.size());
      Json h = Json::object();
      for (const auto &[k, v] : hist) h[k] = v;
      j["operations"] = h;
      (*json).push(j);
      continue;
    }
    os << "\nEthos-U payload of node '" << n->name << "': " << npu::describeConfig(p.config)
       << "\n  command stream: " << p.stream.size() << " words at payload byte " << p.streamOffset
       << ", " << cmds.size() << " commands, " << ops.size() << " operations\n";
    for (const auto &[k, v] : hist) os << "    " << k << ": " << v << "\n";
    int64_t macs = 0;
    for (const npu::OpCounters &k : counters) macs += k.macs;
    if (!countersError.empty()) os << "  no per-operation counters: " << countersError << "\n";
    else os << "  MACs " << withCommas(macs) << "\n";
    if (est)
      os << "  estimated cycles " << withCommas(int64_t(est->estimate.totalCycles + 0.5)) << " on "
         << est->context.accelerator << ", " << est->context.systemConfig << ", " << est->context.memoryMode
         << " (Vela's method; --npu-estimate for the report)\n";
    else os << "  no cycle estimate: " << est.error().message() << "\n";
    if (listing) {
      os << "  per operation (MACs, bytes read/written per region, estimated cycles):\n";
      for (const npu::OpCounters &k : counters) {
        os << "    op " << k.index << " " << k.name << ": MACs " << withCommas(k.macs);
        for (int r = 0; r < npu::kMaxRegions; ++r)
          if (k.bytesRead[size_t(r)] || k.bytesWritten[size_t(r)])
            os << ", region " << r << " r " << k.bytesRead[size_t(r)] << " w " << k.bytesWritten[size_t(r)];
        if (k.internalBytes) os << ", internal buffer w " << k.internalBytes;
        if (opCycles.count(k.index)) os << ", est. cycles " << int64_t(opCycles[k.index] + 0.5);
        os << "\n";
      }
      os << npu::commandListing(cmds, ops);
    }
  }
  return Status::ok();
}

/// Support of the model on one target: prepared with that target's
/// pipeline (a copy of the model), then every node placed by the target's
/// partition policy (on the target, on its fallback, or nowhere).
struct TargetSupport {
  std::string target, error;
  std::unique_ptr<Model> model; ///< the prepared copy the placements point into
  target::Partition partition;
  target::PlacementView view; ///< the target's own account (Edge TPU: the compiler's table)
};

Expected<std::vector<TargetSupport>> targetSupport(const InspectOptions &o, const ImportOptions &io) {
  std::vector<TargetSupport> out;
  for (const std::string &name : o.targets) {
    EDGEC_ASSIGN_OR_RETURN(target::TargetSetup setup, target::setUpTarget(name, {}, ""));
    TargetSupport ts;
    ts.target = name;
    EDGEC_ASSIGN_OR_RETURN(ts.model, loadModelFile(o.model, io));
    auto prep = target::prepareForTarget(*ts.model, setup);
    if (!prep.isOk()) ts.error = prep.error().message();
    else {
      ts.partition = target::partitionForTarget(*ts.model, setup);
      ts.view = setup.target->describePlacement(*ts.model, ts.partition);
    }
    out.push_back(std::move(ts));
  }
  return out;
}

Json targetSupportJson(const std::vector<TargetSupport> &all) {
  Json arr = Json::array();
  for (const TargetSupport &ts : all) {
    Json j = Json::object();
    j["target"] = ts.target;
    if (!ts.error.empty()) {
      j["error"] = ts.error;
      arr.push(j);
      continue;
    }
    j["nodes"] = int64_t(ts.partition.placements.size());
    Json bad = Json::array();
    for (const target::NodePlacement *pl : ts.partition.unsupported()) {
      Json u = Json::object();
      u["node"] = pl->node->name;
      u["op"] = pl->node->opType;
      u["reason"] = pl->reason;
      bad.push(u);
    }
    j["unsupported"] = bad;
    j["placement"] = target::partitionJson(ts.partition);
    if (ts.view.present) j["prediction"] = ts.view.json;
    arr.push(j);
  }
  return arr;
}

void printTargetSupport(std::ostream &os, const std::vector<TargetSupport> &all) {
  for (const TargetSupport &ts : all) {
    os << "\ntarget " << ts.target << ": ";
    if (!ts.error.empty()) {
      os << "cannot prepare the model: " << ts.error << "\n";
      continue;
    }
    size_t n = ts.partition.placements.size(), bad = ts.partition.unsupported().size();
    if (bad == 0) os << "all " << n << " nodes (after its pipeline) run\n";
    else os << bad << " of " << n << " nodes not supported\n";
    os << target::partitionText(ts.partition);
    if (ts.view.present) os << "\n" << ts.view.text;
  }
}

std::string human(int64_t bytes) {
  char b[32];
  if (bytes >= (1 << 20))
    std::snprintf(b, sizeof b, "%.2f MiB", bytes / 1048576.0);
  else if (bytes >= 1024)
    std::snprintf(b, sizeof b, "%.1f KiB", bytes / 1024.0);
  else
    std::snprintf(b, sizeof b, "%lld B", (long long)bytes);
  return b;
}

std::string withCommas(int64_t v) {
  std::string s = std::to_string(v), r;
  int n = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it) {
    if (n && n % 3 == 0 && *it != '-') r += ',';
    r += *it;
    ++n;
  }
  return std::string(r.rbegin(), r.rend());
}

/// The quantization parameters of every value that has them (TFLite models
/// and quantized graphs), graph inputs, initializers and node outputs alike.
void printQuantization(std::ostream &os, const Graph &g) {
  std::vector<const Value *> q;
  for (const auto &v : g.values())
    if (v->quant) q.push_back(v.get());
  if (q.empty()) return;
  auto list = [](const auto &xs) {
    std::ostringstream s;
    s << "[";
    for (size_t i = 0; i < xs.size() && i < 4; ++i) s << (i ? ", " : "") << xs[i];
    if (xs.size() > 4) s << ", ... (" << xs.size() << ")";
    return s.str() + "]";
  };
  os << "\nquantized tensors: " << q.size() << "\n";
  for (const Value *v : q) {
    const QuantParams &p = *v->quant;
    os << "  " << v->name << ": " << v->type.str();
    if (p.perAxis() && p.scale.size() != 1)
      os << " axis " << p.axis << " scale " << list(p.scale) << " zero_point "
         << list(p.zeroPoint) << "\n";
    else
      os << " scale " << (p.scale.empty() ? 0.0f : p.scale[0]) << " zero_point "
         << (p.zeroPoint.empty() ? 0 : p.zeroPoint[0]) << "\n";
  }
}

/// What inspect prints for a model the verifier rejects: its interface and
/// its nodes, the failing one marked.
void describeInvalid(std::ostream &os, const std::string &path, const Model &m,
                     const Verdict &v) {
  os << "model: " << path << "\n";
  os << "INVALID: " << v.status.error().message() << "\n\ninputs:\n";
  for (const Value *x : m.graph->inputs)
    if (!x->isInitializer()) os << "  " << x->name << ": " << x->type.str() << "\n";
  os << "outputs:\n";
  for (const Value *x : m.graph->outputs)
    os << "  " << x->name << ": " << x->type.str() << "\n";
  os << "\nnodes: " << m.graph->nodes().size() << "\n";
  for (const auto &n : m.graph->nodes())
    os << "  " << n->label() << (n.get() == v.node ? "  <-- invalid" : "")
       << "\n";
  if (v.node && v.node->owner() != m.graph.get())
    os << "  (invalid node in a subgraph: " << v.node->label() << ")\n";
}

Status runInspect(const InspectOptions &o) {
  ImportOptions io;
  for (const auto &s : o.inputShapes)
    EDGEC_TRY(parseInputShapeOverride(s, io.inputShapes));
  EDGEC_ASSIGN_OR_RETURN(LoadedModel loaded, loadModelFileUnchecked(o.model, io));
  if (!loaded.verdict.isOk()) {
    // Described, but no statistics: they would rest on shapes the model
    // contradicts. Exit code and error line as every other command.
    if (!o.json) describeInvalid(std::cout, o.model, *loaded.model, loaded.verdict);
    return loaded.verdict.status;
  }
  std::unique_ptr<Model> m = std::move(loaded.model);
  ModelStats st = computeModelStats(*m);
  EDGEC_ASSIGN_OR_RETURN(std::vector<TargetSupport> support, targetSupport(o, io));
  if (o.json) {
    Json report = modelReportJson(*m, st);
    if (!o.targets.empty()) report["targets"] = targetSupportJson(support);
    Json npuJson = Json::array();
    EDGEC_TRY(printNpuPayloads(std::cout, *m->graph, false, &npuJson, o.estimate));
    if (!npuJson.elements().empty()) report["npu_payloads"] = npuJson;
    if (o.npuEstimate) {
      Json est = Json::array();
      EDGEC_TRY(reportNpuEstimates(nullptr, &est, *m->graph, o.estimate));
      report["npu_estimate"] = est;
    }
    std::string doc = report.dump();
    if (!o.output.empty()) return writeFileBytes(o.output, doc);
    std::cout << doc;
    return Status::ok();
  }
  std::ostream &os = std::cout;
  os << "model: " << o.model << "\n";
  os << "producer: " << (m->producerName.empty() ? "-" : m->producerName)
     << ", ir_version " << m->irVersion << ", opsets:";
  for (const auto &[d, v] : m->opsets)
    os << " " << (d.empty() ? "ai.onnx" : d) << "=" << v;
  os << "\n\ninputs:\n";
  for (const Value *v : m->graph->inputs)
    if (!v->isInitializer()) os << "  " << v->name << ": " << v->type.str() << "\n";
  os << "outputs:\n";
  for (const Value *v : m->graph->outputs)
    os << "  " << v->name << ": " << v->type.str() << "\n";
  os << "\nnodes: " << st.nodeCount << "\n";
  for (const auto &[op, c] : st.opHistogram)
    os << "  " << op << ": " << c << "\n";
  os << "\nparameters: " << withCommas(st.parameterCount) << " ("
     << human(st.parameterBytes) << ")\n";
  os << "MACs: " << withCommas(st.totalMacs)
     << (st.macsComplete ? "" : " (incomplete: some shapes are dynamic; "
                                "use --input-shape)")
     << "\n";
  if (!st.largestActivation.empty())
    os << "largest activation: " << st.largestActivation << " ("
       << human(st.largestActivationBytes) << ")\n";
  printQuantization(os, *m->graph);
  if (o.perNode) {
    os << "\nper node (name, op, MACs, output bytes):\n";
    for (const auto &n : st.nodes)
      os << "  " << n.name << "  " << n.opType << "  "
         << (n.macs ? withCommas(*n.macs) : "?") << "  "
         << (n.outputBytes ? human(*n.outputBytes) : "?") << "\n";
  }
  if (st.unsupported.empty()) {
    os << "\nall ops are supported by the reference interpreter\n";
  } else {
    os << "\nunsupported ops (" << st.unsupported.size() << "):\n";
    for (const auto &u : st.unsupported)
      os << "  " << u.op << " (opset " << u.opset << "): " << u.count
         << " node" << (u.count == 1 ? "" : "s") << ", first '" << u.firstNode
         << "'\n";
  }
  EDGEC_TRY(printNpuPayloads(os, *m->graph, o.npuStream, nullptr, o.estimate));
  if (o.npuEstimate) EDGEC_TRY(reportNpuEstimates(&os, nullptr, *m->graph, o.estimate));
  printTargetSupport(os, support);
  return Status::ok();
}

} // namespace

Runner addInspectCommand(CLI::App &app) {
  auto o = std::make_shared<InspectOptions>();
  CLI::App *c = app.add_subcommand(
      "inspect",
      "Show a model's inputs, outputs, ops, parameters, MACs and activation "
      "sizes\n\nExamples:\n  edgec inspect model.onnx\n"
      "  edgec inspect model.onnx --input-shape x=1,3,48,192 --json -o r.json");
  c->add_option("model", o->model, "model file (.onnx, ONNX text or .tflite)")
      ->required();
  c->add_option("--input-shape", o->inputShapes,
                "override an input shape: name=d0,d1,... (repeatable)");
  c->add_flag("--json", o->json, "write the machine-readable report (stable "
                                 "schema, see docs/cli.md)");
  c->add_option("-o,--output", o->output, "write --json output to this file");
  c->add_flag("--per-node", o->perNode, "list MACs and output size per node");
  c->add_flag("--npu-stream", o->npuStream,
              "list each Ethos-U command stream (register writes and operations, as Vela's "
              "--verbose-register-command-stream) after the payload summary");
  c->add_flag("--npu-estimate", o->npuEstimate,
              "print the Vela-style cycle estimate of each Ethos-U payload (Vela's network summary "
              "lines; with --json an \"npu_estimate\" array)");
  c->add_option("--npu-config", o->estimate.npuConfig,
                "estimate on this accelerator instead of the payload's (ethos-u55-32|64|128|256, "
                "ethos-u65-256|512)");
  c->add_option("--system-config", o->estimate.systemConfig,
                "Vela system configuration for the estimate: NAME or FILE.ini:NAME (default: Vela's "
                "for the product)");
  c->add_option("--memory-mode", o->estimate.memoryMode,
                "Vela memory mode for the estimate: sram-only|shared-sram|dedicated-sram or a "
                "section of the --system-config file");
  c->add_option("--npu-csv", o->estimate.csvDir,
                "with --npu-estimate, write Vela's summary and per-layer CSV files to this directory");
  c->add_option("--target", o->targets,
                "also check which nodes this target supports (after its pipeline); repeatable");
  return [o] {
    // Vela names reports after its input network: the file's stem, less
    // the "_vela" Vela appends to its output.
    std::string stem = std::filesystem::path(o->model).stem().string();
    if (stem.size() > 5 && stem.compare(stem.size() - 5, 5, "_vela") == 0) stem.resize(stem.size() - 5);
    o->estimate.network = stem;
    if (!o->estimate.csvDir.empty()) o->npuEstimate = true;
    return runInspect(*o);
  };
}

} // namespace edgec::tool
