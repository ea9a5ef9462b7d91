// edgec validate: compile for a target, build and run the generated code
// (host, or QEMU for a Cortex-M), and compare every output with the
// reference interpreter on the same prepared model and inputs.
#include "Commands.h"

#include "CompileDriver.h"
#include "targets/mcu/PackageRunner.h"
#include "interp/Interpreter.h"
#include "support/Json.h"
#include "tensorio/NpyIO.h"

#include <cmath>
#include <cstdio>
#include <iostream>

namespace edgec::tool {

using namespace edgec::mcu;

namespace {

struct ValidateOptions {
  CompileRequest req;
  std::string run; ///< host | qemu ("" = auto)
  RunRequest runReq;
  double rtol = 1e-4, atol = 1e-5;
  int steps = 0;
  bool json = false;
};

struct OutputCheck {
  std::string name;
  int64_t elements = 0, exact = 0, bad = 0;
  double maxAbs = 0, maxRel = 0, cosine = 1;
  bool pass = true;
};

OutputCheck compare(const std::string &name, const Tensor &got, const Tensor &want,
                    const ValidateOptions &o) {
  OutputCheck c;
  c.name = name;
  c.elements = want.numElements();
  bool isFloat = want.dtype() == DataType::Float32;
  double dot = 0, ng = 0, nw = 0;
  for (int64_t i = 0; i < c.elements; ++i) {
    double a = got.getDouble(i), b = want.getDouble(i);
    double d = std::fabs(a - b);
    if (std::isnan(a) && std::isnan(b)) d = 0;
    if (a == b || d == 0) ++c.exact;
    c.maxAbs = std::max(c.maxAbs, d);
    if (b != 0) c.maxRel = std::max(c.maxRel, d / std::fabs(b));
    bool ok = isFloat ? d <= o.atol + o.rtol * std::fabs(b) : d <= double(o.steps);
    if (std::isnan(d)) ok = false;
    if (!ok) ++c.bad;
    dot += a * b;
    ng += a * a;
    nw += b * b;
  }
  c.cosine = (ng > 0 && nw > 0) ? dot / std::sqrt(ng * nw) : (ng == nw ? 1.0 : 0.0);
  c.pass = c.bad == 0 && got.shape() == want.shape();
  return c;
}

Status runValidate(ValidateOptions o) {
  std::string where = o.run;
  if (where.empty()) where = (!o.req.cpu.empty() && o.req.cpu != "host") ? "qemu" : "host";
  if (where != "host" && where != "qemu")
    return Error(ErrorCode::Usage, "--run must be host or qemu, got '" + o.run + "'");
  std::string cpu = "host";
  if (where == "qemu") {
    cpu = o.req.cpu.empty() ? "cortex-m4" : o.req.cpu;
    if (cpu == "host") return Error(ErrorCode::Usage, "--run qemu needs a Cortex-M --cpu");
  }
  EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<PackageBuild> pb,
                         buildPackage(o.req, o.runReq, "edgec-validate-"));
  CompileOutput &c = pb->compiled;
  const std::string &dir = pb->dir;
  const std::vector<Tensor> &inputs = pb->inputs;
  if (where == "qemu") EDGEC_TRY(checkFitsMachine(c.result.report, cpu));
  std::map<std::string, Tensor> feeds;
  size_t k = 0;
  for (const Value *v : c.model->graph->inputs)
    if (!v->isInitializer()) feeds[v->name] = inputs[k++];
  Interpreter interp(*c.model);
  EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> want, interp.run(feeds));

  HarnessRequest hr;
  hr.dir = dir;
  hr.cpu = cpu;
  hr.extraCflags = "-Werror";
  std::vector<const Value *> outs(c.model->graph->outputs.begin(), c.model->graph->outputs.end());
  EDGEC_ASSIGN_OR_RETURN(HarnessRun run, buildAndRun(hr, inputs, outs));

  bool pass = true;
  Json jo = Json::array();
  std::vector<OutputCheck> checks;
  for (size_t i = 0; i < outs.size(); ++i) {
    OutputCheck ck = compare(outs[i]->name, run.outputs[i], want[i], o);
    pass = pass && ck.pass;
    checks.push_back(ck);
    Json j = Json::object();
    j["name"] = ck.name;
    j["type"] = outs[i]->type.str();
    j["elements"] = ck.elements;
    j["max_abs_error"] = ck.maxAbs;
    j["max_rel_error"] = ck.maxRel;
    j["cosine"] = ck.cosine;
    j["exact_rate"] = ck.elements ? double(ck.exact) / double(ck.elements) : 1.0;
    j["out_of_tolerance"] = ck.bad;
    j["pass"] = ck.pass;
    jo.push(j);
  }
  if (o.json) {
    Json j = Json::object();
    j["schema"] = "edgec.validate-report.v1";
    j["model"] = o.req.model;
    j["target"] = o.req.target;
    j["cpu"] = cpu;
    j["run"] = where;
    j["rtol"] = o.rtol;
    j["atol"] = o.atol;
    j["steps"] = o.steps;
    j["outputs"] = jo;
    j["pass"] = pass;
    std::cout << j.dump() << "\n";
  } else {
    std::cout << "validate " << o.req.model << " on " << (where == "qemu" ? "QEMU " + cpu : "host")
              << " (rtol " << o.rtol << ", atol " << o.atol << ", integer steps " << o.steps
              << ")\n";
    for (const OutputCheck &ck : checks) {
      char buf[400];
      std::snprintf(buf, sizeof buf,
                    "  %-24s %s  max abs %.3g  max rel %.3g  cosine %.6f  exact %.2f%%\n",
                    ck.name.substr(0, 24).c_str(), ck.pass ? "PASS" : "FAIL", ck.maxAbs, ck.maxRel,
                    ck.cosine, ck.elements ? 100.0 * double(ck.exact) / double(ck.elements) : 100.0);
      std::cout << buf;
    }
    std::cout << (pass ? "PASS" : "FAIL") << "\n";
  }
  if (!pass)
    return Error(ErrorCode::Mismatch, "generated code differs from the interpreter beyond the tolerance");
  return Status::ok();
}

} // namespace

Runner addValidateCommand(CLI::App &app) {
  auto o = std::make_shared<ValidateOptions>();
  CLI::App *c = app.add_subcommand(
      "validate", "compile, build and run the generated code, compare with the interpreter");
  addCompileOptions(c, o->req);
  c->add_option("--run", o->run, "where to run: host or qemu (default: qemu for a Cortex-M --cpu)");
  addRunOptions(c, o->runReq);
  c->add_option("--rtol", o->rtol, "float: relative tolerance (default 1e-4)");
  c->add_option("--atol", o->atol, "float: absolute tolerance (default 1e-5)");
  c->add_option("--steps", o->steps, "integer outputs: allowed difference in steps (default 0)");
  c->add_flag("--json", o->json, "machine-readable report");
  return [o] { return runValidate(*o); };
}

} // namespace edgec::tool
