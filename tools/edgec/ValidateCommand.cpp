// edgec validate: compile for a target, build and run the generated code
// through one of the target's executors (the host, QEMU Cortex-M, ...) and
// compare every output with the reference interpreter on the same prepared
// model and inputs.
#include "Commands.h"

#include "CompileDriver.h"
#include "support/Json.h"
#include "targets/Executor.h"

#include <iostream>

namespace edgec::tool {

namespace {

struct ValidateOptions {
  CompileRequest req;
  std::string run; ///< executor ("" = the target's default)
  RunRequest runReq;
  Tolerance tol;
  bool json = false;
};

Status runValidate(ValidateOptions o) {
  EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<PackageBuild> pb,
                         buildPackage(o.req, o.runReq, "edgec-validate-"));
  CompileOutput &c = pb->compiled;
  EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<target::Executor> exec,
                         c.setup.target->createExecutor(o.run));
  EDGEC_TRY(exec->checkFits(c.result.report));
  EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> want, referenceOutputs(*c.model, pb->inputs));

  target::ExecRequest er = execRequest(*pb);
  er.extraCflags = "-Werror";
  EDGEC_ASSIGN_OR_RETURN(target::ExecResult run, exec->run(er));

  bool pass = true;
  Json jo = Json::array();
  std::vector<OutputCheck> checks;
  for (size_t i = 0; i < er.outputs.size(); ++i) {
    OutputCheck ck = compareOutput(er.outputs[i]->name, run.outputs[i], want[i], o.tol);
    pass = pass && ck.pass;
    checks.push_back(ck);
    jo.push(outputCheckJson(ck, *er.outputs[i]));
  }
  const Json *cpu = c.result.report.find("cpu");
  if (o.json) {
    Json j = Json::object();
    j["schema"] = "edgec.validate-report.v1";
    j["model"] = o.req.model;
    j["target"] = o.req.target;
    if (cpu) j["cpu"] = *cpu;
    j["run"] = exec->reportKey();
    j["executor"] = exec->name();
    j["rtol"] = o.tol.rtol;
    j["atol"] = o.tol.atol;
    j["steps"] = o.tol.steps;
    j["outputs"] = jo;
    j["pass"] = pass;
    std::cout << j.dump() << "\n";
  } else {
    std::cout << "validate " << o.req.model << " on " << exec->name() << " (rtol " << o.tol.rtol
              << ", atol " << o.tol.atol << ", integer steps " << o.tol.steps << ")\n";
    for (const OutputCheck &ck : checks) std::cout << outputCheckLine(ck);
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
  c->add_option("--run", o->run,
                "where to run: an executor of the target (mcu: host or qemu; default: qemu "
                "for a Cortex-M --cpu, else the host)");
  addRunOptions(c, o->runReq);
  c->add_option("--rtol", o->tol.rtol, "float: relative tolerance (default 1e-4)");
  c->add_option("--atol", o->tol.atol, "float: absolute tolerance (default 1e-5)");
  c->add_option("--steps", o->tol.steps, "integer outputs: allowed difference in steps (default 0)");
  c->add_flag("--json", o->json, "machine-readable report");
  return [o] { return runValidate(*o); };
}

} // namespace edgec::tool
