// edgec-conformance: runs ONNX backend node tests (or real-model folders in
// the same layout) through the reference interpreter.
//
//   edgec-conformance DIR [--filter REGEX] [--verbose] [--rtol R] [--atol A]
//                     [--expect FILE [--known-failures FILE]] [--write-expect FILE]
//                     [--write-known-failures FILE] [--report FILE.md]
//                     [--timeout SECONDS] [--dir-env VAR]
//                     [--optimize LEVEL [--layout nhwc] [--roundtrip]
//                      [--opt-rtol R] [--opt-atol A]]
//                     [--target mcu [--cpu CPU]]
//
// --target mcu: the back-end conformance run. For every case the
// interpreter passes, the model is compiled for the MCU target (C99
// package), built with the host compiler (or for CPU under QEMU), run on
// the case's inputs and compared with the case's expected outputs (same
// --rtol/--atol). Cases the target refuses (an unsupported node) count as
// unsupported; a refused build, a crash or a mismatch is a failure.
//
// --optimize: the property test of the optimizer. For every case the
// interpreter passes, the model optimized at LEVEL (plus the NHWC layout
// pass with --layout nhwc; exported to ONNX and re-imported with
// --roundtrip) must give the same outputs as the unoptimized model (floats
// within --opt-rtol/--opt-atol, default 1e-4/1e-6; integers exactly). Cases
// the interpreter does not pass count as unsupported.
//
// --dir-env VAR: the environment variable VAR, when set, overrides DIR. When
// the data folder is absent the tool exits 77 (ctest reports "skipped").
//
// Each case runs in a forked child so that a crash or hang in one kernel is
// reported as a failure of that case instead of killing the run.
//
// --expect FILE [--known-failures FILE2]: the gate (ExpectationGate.h).
// Every case run must PASS if listed in FILE, FAIL if listed in FILE2
// (`case-name  reason` lines), and be UNSUPPORTED otherwise; every listed
// case must have a folder. Exit 1 naming each case that disagrees; exit 2
// when a list is missing, unreadable or malformed. --write-expect and
// --write-known-failures write the lists this run gives (known failures keep
// the reason already in FILE2).
#include "ExpectationGate.h"
#include "Progress.h"
#include "interp/ConstantEvaluation.h"
#include "interp/Interpreter.h"
#include "onnx/OnnxExporter.h"
#include "onnx/OnnxImporter.h"
#include "onnx/TestCase.h"
#include "passes/PassManager.h"
#include "targets/Target.h"
#include "support/FileIO.h"
#include "support/Process.h"
#include "targets/Driver.h"
#include "targets/Executor.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace edgec;
using edgec::conformance::Outcome;
using edgec::conformance::outcomeName;

namespace {

struct CaseResult {
  std::string name;
  Outcome outcome = Outcome::Fail;
  std::string reason;
  std::string op; // op the case is filed under in the report
  bool fromTarget = false; // the outcome comes from the --target stage
};

std::string squash(std::string s) {
  std::string r;
  for (char c : s)
    if (c != '_') r += (char)std::tolower((unsigned char)c);
  return r;
}

/// The op a case is about: the model op whose name best prefixes the case
/// name ("test_conv_with_strides" -> Conv).
std::string caseOp(const std::string &caseName, const Model *m) {
  std::string n = caseName.rfind("test_", 0) == 0 ? caseName.substr(5) : caseName;
  std::string sq = squash(n);
  std::string best;
  if (m) {
    std::set<std::string> ops;
    for (const auto &node : m->graph->nodes()) ops.insert(node->opType);
    for (const auto &op : ops) {
      std::string so = squash(op);
      if (sq.rfind(so, 0) == 0 && so.size() > best.size()) best = op;
    }
    if (best.empty() && !m->graph->nodes().empty())
      best = m->graph->nodes().front()->opType;
  }
  if (best.empty()) {
    auto u = n.find('_');
    best = n.substr(0, u);
  }
  return best;
}

/// Import as edgec's tools do: constant subexpressions evaluated by the
/// interpreter during shape inference.
ImportOptions importOptions() {
  ImportOptions o;
  o.evaluator = &interpreterEvaluator();
  return o;
}

struct OptimizeMode {
  int level = -1; ///< < 0: plain conformance run
  bool nhwc = false;
  bool roundtrip = false;
  CompareOptions cmp{1e-4, 1e-6};
};
OptimizeMode gOpt;

struct TargetMode {
  std::string target; ///< empty: not a target run
  std::string cpu = "host"; ///< for targets with a cpu option (mcu)
};
TargetMode gTarget;

/// Compiles the case for gTarget, runs the package on each data set and
/// compares with the expected outputs. "" when everything matches.
CaseResult runOnTarget(const std::string &dir, CaseResult r,
                       const std::vector<TestDataSet> &sets, const CompareOptions &cmp) {
  r.fromTarget = true;
  auto fail = [&](Outcome o, const std::string &why) {
    r.outcome = o;
    r.reason = why;
    return r;
  };
  // --cpu goes to targets that have a cpu option (the GPU has none).
  std::string cpu = gTarget.cpu;
  if (auto t = target::createTarget(gTarget.target); t.isOk()) {
    bool hasCpu = false;
    for (const target::TargetOption &o : (*t)->options()) hasCpu = hasCpu || o.name == "cpu";
    if (!hasCpu) cpu.clear();
  }
  auto setup = target::setUpTarget(gTarget.target, {}, cpu);
  if (!setup.isOk()) return fail(Outcome::Fail, setup.error().message());
  auto m = importOnnxFile(dir + "/model.onnx", importOptions());
  if (!m.isOk()) return fail(Outcome::Fail, m.error().message());
  std::unique_ptr<Model> model = m.take();
  // Shapes from the first data set fix dynamic inputs.
  std::vector<Value *> feeds;
  for (Value *v : model->graph->inputs)
    if (!v->isInitializer()) feeds.push_back(v);
  if (!sets.empty() && sets.front().inputs.size() == feeds.size())
    for (size_t i = 0; i < feeds.size(); ++i)
      feeds[i]->type = TensorType(feeds[i]->type.dtype, sets.front().inputs[i].shape());
  auto outcomeOf = [](const Error &e) {
    return e.code() == ErrorCode::Unsupported ? Outcome::Unsupported : Outcome::Fail;
  };
  auto prepared = target::prepareForTarget(*model, *setup);
  if (!prepared.isOk())
    return fail(outcomeOf(prepared.error()), "prepare: " + prepared.error().message());
  target::Partition part = target::partitionForTarget(*model, *setup);
  if (auto s = target::requireSupported(part); !s.isOk())
    return fail(outcomeOf(s.error()), s.error().message());
  auto emitted = target::emitForTarget(*model, part, *setup, "model");
  if (!emitted.isOk())
    return fail(outcomeOf(emitted.error()), "emit: " + emitted.error().message());
  auto exec = setup->target->createExecutor("");
  if (!exec.isOk()) return fail(Outcome::Fail, exec.error().message());
  auto tmp = makeTempDir("edgec-conf-");
  if (!tmp.isOk()) return fail(Outcome::Fail, tmp.error().message());
  TempDir cleanup(*tmp);
  if (auto s = target::writeArtifacts(*tmp, emitted->files); !s.isOk())
    return fail(Outcome::Fail, s.error().message());
  target::ExecRequest er;
  er.dir = *tmp;
  er.outputs.assign(model->graph->outputs.begin(), model->graph->outputs.end());
  er.extraCflags = "-Werror -O1";
  er.timeoutSeconds = 60;
  size_t nin = feeds.size();
  for (const auto &set : sets) {
    if (set.inputs.size() != nin)
      return fail(Outcome::Unsupported, "data set feeds initializer-backed inputs");
    er.inputs = set.inputs;
    auto run = (*exec)->run(er);
    if (!run.isOk()) return fail(Outcome::Fail, run.error().message());
    for (size_t i = 0; i < er.outputs.size() && i < set.outputs.size(); ++i) {
      std::string d = compareTensors(run->outputs[i], set.outputs[i], cmp);
      if (!d.empty())
        return fail(Outcome::Fail, "generated code, output " + std::to_string(i) + " ('" +
                                       er.outputs[i]->name + "'): " + d);
    }
  }
  r.outcome = Outcome::Pass;
  r.reason.clear();
  return r;
}

/// The optimized (and possibly exported and re-imported) model of a case.
Expected<std::unique_ptr<Model>> optimizedModel(const std::string &path,
                                                const std::string &dir) {
  EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<Model> m, importOnnxFile(path, importOptions()));
  PassManager pm;
  EDGEC_TRY(pm.addLevel(gOpt.level));
  if (gOpt.nhwc)
    EDGEC_TRY(pm.addStage(nhwcLayoutStage()));
  EDGEC_TRY(pm.run(*m));
  if (!gOpt.roundtrip) return m;
  EDGEC_ASSIGN_OR_RETURN(onnx::ModelProto mp, exportOnnxProto(*m));
  return importOnnxProto(mp, dir, importOptions());
}

CaseResult runCase(const std::string &dir, const CompareOptions &cmp) {
  CaseResult r;
  r.name = fs::path(dir).filename().string();
  std::string modelPath = dir + "/model.onnx";
  auto m = importOnnxFile(modelPath, importOptions());
  if (!m.isOk()) {
    r.op = caseOp(r.name, nullptr);
    r.outcome = m.error().code() == ErrorCode::Unsupported ? Outcome::Unsupported
                                                           : Outcome::Fail;
    r.reason = m.error().message();
    return r;
  }
  const Model &model = **m;
  r.op = caseOp(r.name, &model);
  Interpreter interp(model);
  if (auto s = interp.checkSupported(); !s.isOk()) {
    r.outcome = Outcome::Unsupported;
    r.reason = s.error().message();
    return r;
  }
  auto sets = loadTestDataSets(dir);
  if (!sets.isOk()) {
    r.outcome = sets.error().code() == ErrorCode::Unsupported
                    ? Outcome::Unsupported
                    : Outcome::Fail;
    r.reason = sets.error().message();
    return r;
  }
  if (sets->empty()) {
    r.reason = "no test_data_set_* folders";
    return r;
  }
  std::vector<const Value *> feeds;
  for (const Value *v : model.graph->inputs)
    if (!v->isInitializer()) feeds.push_back(v);
  std::unique_ptr<Model> optimized;
  std::unique_ptr<Interpreter> optInterp;
  for (const auto &set : *sets) {
    std::map<std::string, Tensor> ins;
    // Inputs map to graph inputs in order; initializer-backed inputs may be
    // overridden when the data set provides more inputs.
    const auto &gi = set.inputs.size() == feeds.size()
                         ? feeds
                         : std::vector<const Value *>(model.graph->inputs.begin(),
                                                      model.graph->inputs.end());
    for (size_t i = 0; i < set.inputs.size() && i < gi.size(); ++i)
      ins[gi[i]->name] = set.inputs[i];
    auto out = interp.run(ins);
    if (!out.isOk()) {
      r.outcome = out.error().code() == ErrorCode::Unsupported
                      ? Outcome::Unsupported
                      : Outcome::Fail;
      r.reason = out.error().message();
      return r;
    }
    if (out->size() != set.outputs.size()) {
      r.reason = "model produced " + std::to_string(out->size()) +
                 " outputs, data set has " + std::to_string(set.outputs.size());
      return r;
    }
    for (size_t i = 0; i < out->size(); ++i) {
      std::string d = compareTensors((*out)[i], set.outputs[i], cmp);
      if (!d.empty()) {
        r.reason = "output " + std::to_string(i) + " ('" +
                   model.graph->outputs[i]->name + "'): " + d;
        if (gOpt.level >= 0 || !gTarget.target.empty()) {
          r.outcome = Outcome::Unsupported;
          r.reason = "reference run does not pass: " + r.reason;
        }
        return r;
      }
    }
    if (gOpt.level < 0) continue;
    if (!gTarget.target.empty()) continue;
    if (!optimized) {
      auto om = optimizedModel(modelPath, dir);
      if (!om.isOk()) {
        r.reason = "optimizing: " + om.error().message();
        return r;
      }
      optimized = om.take();
      optInterp = std::make_unique<Interpreter>(*optimized);
    }
    std::map<std::string, Tensor> oins;
    for (const auto &[name, t] : ins)
      if (optimized->graph->findValue(name)) oins[name] = t;
    auto oout = optInterp->run(oins);
    if (!oout.isOk()) {
      r.reason = "optimized model: " + oout.error().message();
      return r;
    }
    if (oout->size() != out->size()) {
      r.reason = "optimized model has " + std::to_string(oout->size()) + " outputs";
      return r;
    }
    for (size_t i = 0; i < out->size(); ++i) {
      std::string d = compareTensors((*oout)[i], (*out)[i], gOpt.cmp);
      if (!d.empty()) {
        r.reason = "optimized output " + std::to_string(i) + " ('" +
                   model.graph->outputs[i]->name + "'): " + d;
        return r;
      }
    }
  }
  if (!gTarget.target.empty()) return runOnTarget(dir, r, *sets, cmp);
  r.outcome = Outcome::Pass;
  return r;
}

/// In --optimize mode, a case whose unoptimized model does not pass is not
/// a test of the optimizer: it counts as unsupported.
CaseResult runCaseForMode(const std::string &dir, const CompareOptions &cmp) {
  CaseResult r = runCase(dir, cmp);
  if ((gOpt.level >= 0 || !gTarget.target.empty()) && r.outcome == Outcome::Fail &&
      !r.fromTarget && r.reason.rfind("optimiz", 0) != 0)
    r.outcome = Outcome::Unsupported;
  return r;
}

/// Runs a case in a child process with a timeout.
CaseResult runIsolated(const std::string &dir, const CompareOptions &cmp,
                       int timeoutSec) {
  int fds[2];
  if (pipe(fds) != 0) return runCaseForMode(dir, cmp);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    alarm((unsigned)timeoutSec);
    CaseResult r = runCaseForMode(dir, cmp);
    std::string msg = std::to_string((int)r.outcome) + "\n" + r.op + "\n" + r.reason;
    if (write(fds[1], msg.data(), msg.size()) < 0) _exit(3);
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  std::string buf;
  char tmp[4096];
  ssize_t k;
  while ((k = read(fds[0], tmp, sizeof tmp)) > 0) buf.append(tmp, (size_t)k);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  CaseResult r;
  r.name = fs::path(dir).filename().string();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || buf.empty()) {
    r.outcome = Outcome::Fail;
    r.op = caseOp(r.name, nullptr);
    if (WIFSIGNALED(status))
      r.reason = WTERMSIG(status) == SIGALRM
                     ? "timed out after " + std::to_string(timeoutSec) + " s"
                     : std::string("crashed with signal ") +
                           strsignal(WTERMSIG(status));
    else
      r.reason = "child exited abnormally";
    return r;
  }
  auto nl1 = buf.find('\n');
  auto nl2 = buf.find('\n', nl1 + 1);
  r.outcome = (Outcome)std::stoi(buf.substr(0, nl1));
  r.op = buf.substr(nl1 + 1, nl2 - nl1 - 1);
  r.reason = buf.substr(nl2 + 1);
  return r;
}

void writeReport(const std::string &path, const std::vector<CaseResult> &rs,
                 const std::string &title) {
  std::map<std::string, std::array<int, 3>> byOp;
  std::array<int, 3> tot{0, 0, 0};
  for (const auto &r : rs) {
    byOp[r.op][(int)r.outcome]++;
    tot[(int)r.outcome]++;
  }
  std::ofstream os(path);
  os << "# " << title << "\n\n"
     << "Generated by `edgec-conformance` (see docs/testing.md); do not edit.\n\n"
     << "**" << tot[0] << " of " << rs.size() << " cases pass**, " << tot[1]
     << " fail, " << tot[2] << " are unsupported.\n\n"
     << "| op | pass | fail | unsupported |\n|---|---:|---:|---:|\n";
  for (const auto &[op, c] : byOp)
    os << "| " << op << " | " << c[0] << " | " << c[1] << " | " << c[2] << " |\n";
  os << "\n## Cases not passing\n\n| case | result | reason |\n|---|---|---|\n";
  for (const auto &r : rs) {
    if (r.outcome == Outcome::Pass) continue;
    std::string reason = r.reason;
    std::replace(reason.begin(), reason.end(), '|', '/');
    std::replace(reason.begin(), reason.end(), '\n', ' ');
    if (reason.size() > 160) reason = reason.substr(0, 157) + "...";
    os << "| " << r.name << " | " << outcomeName(r.outcome) << " | " << reason
       << " |\n";
  }
}

int usage() {
  std::cerr << "usage: edgec-conformance DIR [--filter REGEX] [--verbose] "
               "[--rtol R] [--atol A] [--expect FILE [--known-failures FILE]] "
               "[--write-expect FILE] [--write-known-failures FILE] "
               "[--report FILE.md] [--title TEXT] [--timeout S] [--optimize LEVEL "
               "[--layout nhwc] [--roundtrip] [--opt-rtol R] [--opt-atol A]] "
               "[--target mcu [--cpu CPU]]\n";
  return 2;
}

/// Writes `text` to `path`; false (with a message) when it cannot.
bool writeText(const std::string &path, const std::string &text) {
  Status s = writeFileBytes(path, text);
  if (!s.isOk()) std::cerr << "error: " << s.error().message() << "\n";
  return s.isOk();
}

} // namespace

int main(int argc, char **argv) {
  std::string dir, filter, writeExpect, writeKnown, report;
  std::string title = "ONNX node-test conformance";
  std::string dirEnv;
  bool verbose = false;
  int timeout = 120;
  CompareOptions cmp;
  conformance::Expectations ex;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) { usage(); std::exit(2); }
      return argv[++i];
    };
    if (a == "--filter") filter = next();
    else if (a == "--verbose" || a == "-v") verbose = true;
    else if (a == "--rtol") cmp.rtol = std::stod(next());
    else if (a == "--atol") cmp.atol = std::stod(next());
    else if (a == "--expect") ex.passingPath = next();
    else if (a == "--known-failures") ex.knownFailuresPath = next();
    else if (a == "--write-expect") writeExpect = next();
    else if (a == "--write-known-failures") writeKnown = next();
    else if (a == "--report") report = next();
    else if (a == "--title") title = next();
    else if (a == "--timeout") timeout = std::stoi(next());
    else if (a == "--dir-env") dirEnv = next();
    else if (a == "--optimize") gOpt.level = std::stoi(next());
    else if (a == "--layout") gOpt.nhwc = next() == "nhwc";
    else if (a == "--roundtrip") gOpt.roundtrip = true;
    else if (a == "--opt-rtol") gOpt.cmp.rtol = std::stod(next());
    else if (a == "--opt-atol") gOpt.cmp.atol = std::stod(next());
    else if (a == "--target") gTarget.target = next();
    else if (a == "--cpu") gTarget.cpu = next();
    else if (!a.empty() && a[0] == '-') return usage();
    else dir = a;
  }
  if (!dirEnv.empty())
    if (const char *e = std::getenv(dirEnv.c_str()); e && *e) dir = e;
  if (dir.empty()) return usage();
  if (!ex.knownFailuresPath.empty() && ex.passingPath.empty()) {
    std::cerr << "error: --known-failures needs --expect\n";
    return 2;
  }
  // The lists are read first: a missing or malformed list is an error even
  // where the data is absent.
  if (Status s = conformance::readExpectations(ex); !s.isOk()) {
    std::cerr << "error: " << s.error().message() << "\n";
    return 2;
  }
  if (!fs::is_directory(dir)) {
    std::cout << "conformance data not found at " << dir << " (set "
              << (dirEnv.empty() ? "DIR" : dirEnv) << "): skipping\n";
    return 77; // ctest SKIP_RETURN_CODE
  }
  std::vector<std::string> cases;
  std::set<std::string> folders;
  for (const auto &e : fs::directory_iterator(dir))
    if (e.is_directory() && fs::exists(e.path() / "model.onnx")) {
      cases.push_back(e.path().string());
      folders.insert(e.path().filename().string());
    }
  std::sort(cases.begin(), cases.end());
  std::regex re(filter.empty() ? ".*" : filter);
  std::vector<CaseResult> results;
  std::vector<std::string> selected;
  for (const auto &c : cases)
    if (filter.empty() || std::regex_search(fs::path(c).filename().string(), re))
      selected.push_back(c);
  // Per case on stderr when it is a terminal (tools/edgec/Progress.h).
  edgec::tool::Progress progress("conformance");
  for (const auto &c : selected) {
    progress.count((int)results.size(), (int)selected.size(), "cases");
    CaseResult r = runIsolated(c, cmp, timeout);
    if (verbose || (r.outcome != Outcome::Pass && !filter.empty())) {
      progress.clear();
      std::cout << outcomeName(r.outcome) << " " << r.name
                << (r.reason.empty() ? "" : ": " + r.reason) << "\n" << std::flush;
    }
    results.push_back(std::move(r));
  }
  progress.clear();
  int counts[3] = {0, 0, 0};
  std::vector<conformance::CaseOutcome> outcomes;
  for (const auto &r : results) {
    counts[(int)r.outcome]++;
    outcomes.push_back({r.name, r.outcome, r.reason});
  }

  int rc = 0;
  if (!ex.passingPath.empty()) {
    auto problems = conformance::checkGate(ex, outcomes, folders);
    for (const auto &p : problems) std::cout << p << "\n";
    if (!problems.empty()) {
      std::cout << problems.size() << " case(s) disagree with " << ex.passingPath
                << (ex.knownFailuresPath.empty() ? "" : " / " + ex.knownFailuresPath)
                << ". Fix a regression or a new failure; list a failure that is "
                   "accepted for now, with its reason, in the known failures; after "
                   "review, scripts/update-conformance.sh rewrites both lists "
                   "(docs/testing.md)\n";
      rc = 1;
    }
  }
  if (!writeExpect.empty() && !writeText(writeExpect, conformance::passingListText(outcomes)))
    rc = 2;
  if (!writeKnown.empty() &&
      !writeText(writeKnown, conformance::knownFailuresText(outcomes, ex)))
    rc = 2;
  if (!report.empty()) writeReport(report, results, title);
  std::cout << counts[0] << " passed, " << counts[1] << " failed, "
            << counts[2] << " unsupported (of " << results.size() << ")\n";
  return rc;
}
