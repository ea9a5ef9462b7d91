// edgec bench: compile for a target and measure the generated code through
// each of the target's executors: host latency (median of N runs after
// warm-up) next to the reference interpreter in the same run, and for a
// Cortex-M --cpu, instructions per inference under QEMU -icount (total and
// per layer), MACs per instruction, flash, RAM and the worst stack frame
// chain. Every executor's outputs are first checked against the
// interpreter, and with --expect both against the golden: a benchmark of
// wrong results fails (exit 8). With --targets, the same once per entry and
// one table (BenchMatrix.h).
#include "Bench.h"
#include "BenchMatrix.h"
#include "Commands.h"

#include "interp/Interpreter.h"
#include "report/BenchHtml.h"
#include "support/FileIO.h"
#include "support/Json.h"
#include "targets/Executor.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <sstream>

namespace edgec::tool {

namespace {

/// Median wall time of the interpreter on the same inputs.
Expected<double> interpreterMedianNs(const Model &m, const std::vector<Tensor> &inputs, int runs) {
  std::map<std::string, Tensor> feeds;
  size_t k = 0;
  for (const Value *v : m.graph->inputs)
    if (!v->isInitializer()) feeds[v->name] = inputs[k++];
  Interpreter interp(m);
  std::vector<double> ts;
  int n = std::max(3, std::min(runs, 10));
  for (int r = 0; r < n + 1; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> got, interp.run(feeds));
    auto t1 = std::chrono::steady_clock::now();
    if (r > 0) ts.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
  }
  std::sort(ts.begin(), ts.end());
  return ts[ts.size() / 2];
}

} // namespace

void resolveHostAlias(CompileRequest &r) {
  if (r.target != "host") return;
  r.target = "mcu";
  if (r.cpu.empty()) r.cpu = "host";
}

Expected<Json> benchTarget(BenchOptions o, std::ostream &text) {
  resolveHostAlias(o.req);
  Progress progress("bench " + o.req.target + (o.req.cpu.empty() ? "" : ":" + o.req.cpu));
  EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<PackageBuild> pb,
                         buildPackage(o.req, o.runReq, "edgec-bench-", &progress));
  CompileOutput &c = pb->compiled;
  const Json &rep = c.result.report;
  auto num = [](const Json *x) { return x ? x->asInt() : int64_t(0); };
  int64_t macs = num(rep.find("macs")), weights = num(rep.find("weight_bytes"));
  int64_t arena = rep.find("arena") ? num(rep.find("arena")->find("bytes")) : 0;
  int64_t withIo = rep.find("arena") ? num(rep.find("arena")->find("bytes_with_io")) : 0;
  const Json *lowerBound = rep.find("arena") ? rep.find("arena")->find("lower_bound") : nullptr;
  progress.step("reference interpreter");
  EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> want, referenceOutputs(*c.model, pb->inputs));
  EDGEC_TRY(checkExpected(*pb, want, o.tol, "the interpreter"));
  Json j = Json::object();
  j["schema"] = "edgec.bench-report.v1";
  j["model"] = o.req.model;
  j["target"] = o.req.target;
  if (const Json *cpu = rep.find("cpu")) j["cpu"] = *cpu;
  j["macs"] = macs;
  j["arena_bytes"] = arena;
  if (lowerBound) j["arena_lower_bound_bytes"] = lowerBound->asInt();
  j["weight_bytes"] = weights;
  j["expected_outputs_checked"] = int64_t(pb->expected.size());
  text << "bench " << o.req.model << " (" << macs << " MACs, arena " << arena << " B, weights "
       << weights << " B)\n";

  std::vector<std::string> where = c.setup.target->executors();
  if (o.noHost) where.erase(std::remove(where.begin(), where.end(), "host"), where.end());
  if (where.empty())
    return Error(ErrorCode::Usage, "nothing to measure: target '" + o.req.target +
                                       "' runs only on the host and --no-host was given");
  target::ExecRequest er = execRequest(*pb);
  if (progress.enabled()) er.onStep = [&progress](const std::string &s) { progress.step(s); };
  for (const std::string &w : where) {
    EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<target::Executor> exec, c.setup.target->createExecutor(w));
    EDGEC_TRY(exec->checkFits(rep));
    target::ExecRequest r = er;
    const bool timing = w == "host";
    r.runs = timing ? o.runs : 1;
    r.warmup = timing ? o.warmup : 0;
    r.profile = !timing;
    r.sizes = !timing;
    EDGEC_ASSIGN_OR_RETURN(target::ExecResult res, exec->run(r));
    // The figures below are only worth something for correct results.
    for (size_t i = 0; i < er.outputs.size(); ++i) {
      OutputCheck ck = compareOutput(er.outputs[i]->name, res.outputs[i], want[i], o.tol);
      if (!ck.pass)
        return Error(ErrorCode::Mismatch, "bench on " + exec->name() + ": output '" + ck.name +
                                              "' differs from the interpreter (max abs error " +
                                              std::to_string(ck.maxAbs) + "); not measuring wrong results");
    }
    EDGEC_TRY(checkExpected(*pb, res.outputs, o.tol, "bench on " + exec->name()));
    Json ej = res.metrics;
    if (timing) {
      ej["runs"] = o.runs;
      ej["median_ns"] = int64_t(res.medianCount);
      ej["min_ns"] = int64_t(res.minCount);
      text << "host: compiled code median " << double(res.medianCount) / 1e6 << " ms (min "
           << double(res.minCount) / 1e6 << " ms, " << o.runs << " runs)\n";
      if (!o.noInterpreter) {
        progress.step("timing the interpreter");
        EDGEC_ASSIGN_OR_RETURN(double med, interpreterMedianNs(*c.model, pb->inputs, o.runs));
        double speedup = res.medianCount ? med / double(res.medianCount) : 0.0;
        ej["interpreter_median_ns"] = int64_t(med);
        ej["speedup_vs_interpreter"] = speedup;
        text << "host: interpreter median " << med / 1e6 << " ms -> compiled code is " << speedup
             << "x faster\n";
      }
    } else {
      double mpi = res.medianCount ? double(macs) / double(res.medianCount) : 0.0;
      ej["unit"] = res.unit;
      ej["instructions"] = int64_t(res.medianCount);
      ej["macs_per_instruction"] = mpi;
      text << exec->name() << ": " << res.medianCount << " " << res.unit << " per inference, "
           << mpi << " MACs/" << (res.unit == "instructions" ? "instruction" : res.unit) << "\n";
      for (const std::string &l : res.metricLines) text << "  " << l << "\n";
      // What the model needs in RAM: the arena, the caller's input/output
      // buffers and the worst stack of the run (the model and kernel objects
      // have no static data: runtime_rules_test checks it).
      if (const Json *st = res.metrics.find("stack_bytes")) {
        int64_t stack = std::max<int64_t>(st->asInt(), 0);
        ej["ram_bytes"] = withIo + stack;
        text << "  model RAM: arena + inputs/outputs " << withIo << " B + stack " << stack
             << " B = " << withIo + stack << " B\n";
      }
      // The compile report's row of each profiled layer ("OP NAME"): its
      // kernel and its flash for constants.
      std::map<std::string, const Json *> rows;
      if (const Json *rl = rep.find("layers"))
        for (const Json &l : rl->elements())
          if (l.find("op") && l.find("name"))
            rows[l.find("op")->asString() + " " + l.find("name")->asString()] = &l;
      Json layers = Json::array();
      for (const auto &[nm, cnt] : res.layers) {
        Json lj = Json::object();
        lj["layer"] = nm;
        lj["instructions"] = int64_t(cnt);
        auto row = rows.find(nm);
        if (row != rows.end()) {
          if (const Json *k = row->second->find("kernel")) lj["kernel"] = *k;
          lj["weight_bytes"] = num(row->second->find("weight_bytes"));
        }
        layers.push(lj);
        text << "  " << cnt << "\t" << nm << "\n";
      }
      ej["layers"] = layers;
    }
    j[exec->reportKey()] = ej;
  }
  return j;
}

namespace {

Status runBench(const BenchOptions &o) {
  std::ostringstream text;
  EDGEC_ASSIGN_OR_RETURN(Json j, benchTarget(o, text));
  if (!o.html.empty()) EDGEC_TRY(writeFileBytes(o.html, report::benchReportHtml(j)));
  if (o.json) std::cout << j.dump() << "\n";
  else std::cout << text.str();
  return Status::ok();
}

} // namespace

Runner addBenchCommand(CLI::App &app) {
  auto o = std::make_shared<BenchOptions>();
  auto m = std::make_shared<MatrixOptions>();
  CLI::App *c = app.add_subcommand(
      "bench", "measure compiled code (after checking its outputs): host latency, QEMU "
               "instructions, flash, RAM, stack; one table over several targets with --targets");
  addCompileOptions(c, o->req);
  c->add_option("--runs", o->runs, "host runs (median reported), default 20");
  c->add_option("--warmup", o->warmup, "host warm-up runs, default 3");
  addRunOptions(c, o->runReq);
  c->add_option("--rtol", o->tol.rtol, "float outputs: relative tolerance of the check (default 1e-4)");
  c->add_option("--atol", o->tol.atol, "float outputs: absolute tolerance of the check (default 1e-5)");
  c->add_option("--steps", o->tol.steps, "integer outputs: allowed difference in steps (default 0)");
  c->add_flag("--no-interpreter", o->noInterpreter, "skip timing the reference interpreter");
  c->add_flag("--no-host", o->noHost,
              "skip the host measurement (with --targets: of the entries that also run elsewhere)");
  c->add_flag("--json", o->json, "machine-readable report");
  c->add_option("--html", o->html, "write the report as one self-contained HTML page "
                                   "(with --targets: the comparison and every entry)");
  CLI::Option *targets =
      c->add_option("--targets", m->targets,
                    "bench each TARGET[:CPU] of this comma-separated list and print one table, "
                    "e.g. mcu:cortex-m4,mcu:cortex-m55,mcu:host");
  targets->excludes(c->get_option("--target"))->excludes(c->get_option("--cpu"));
  CLI::Option *baseline = c->add_option(
      "--baseline", m->baseline,
      "with --targets: an earlier --json output; a figure worse than it by more than --threshold "
      "fails (exit 9)");
  baseline->needs(targets);
  c->add_option("--threshold", m->thresholdPct, "with --baseline: allowed worsening in percent (default 5)")
      ->check(CLI::NonNegativeNumber)
      ->needs(baseline);
  c->add_flag("--baseline-latency", m->baselineLatency,
              "with --baseline: compare the host latency too (wall time is noisy: off by default)")
      ->needs(baseline);
  return [o, m] { return m->targets.empty() ? runBench(*o) : runBenchMatrix(*o, *m); };
}

} // namespace edgec::tool
