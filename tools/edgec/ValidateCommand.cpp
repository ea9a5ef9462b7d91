// edgec validate: compile for a target, build and run the generated code
// through one of the target's executors (the host, QEMU Cortex-M, ...) and
// compare every output with the reference interpreter on the same prepared
// model and inputs. With --per-layer every intermediate value is checked
// too and the first diverging layer is named.
#include "Commands.h"

#include "CompileDriver.h"
#include "TensorDump.h"
#include "support/Json.h"
#include "targets/Executor.h"

#include <iostream>
#include <optional>

namespace edgec::tool {

namespace {

struct ValidateOptions {
  CompileRequest req;
  std::string run; ///< executor ("" = the target's default)
  RunRequest runReq;
  Tolerance tol;
  bool json = false;
  std::string dumpDir; ///< the compiled code's outputs as a tensor dump
};

Status runValidate(ValidateOptions o) {
  Progress progress("validate");
  EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<PackageBuild> pb,
                         buildPackage(o.req, o.runReq, "edgec-validate-", &progress));
  CompileOutput &c = pb->compiled;
  EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<target::Executor> exec,
                         c.setup.target->createExecutor(o.run));
  EDGEC_TRY(exec->checkFits(c.result.report));
  progress.step("reference interpreter");
  EDGEC_ASSIGN_OR_RETURN(std::vector<Tensor> want, referenceOutputs(*c.model, pb->inputs));
  EDGEC_TRY(checkExpected(*pb, want, o.tol, "the interpreter"));

  target::ExecRequest er = execRequest(*pb);
  er.extraCflags = "-Werror";
  if (progress.enabled()) er.onStep = [&progress](const std::string &s) { progress.step(s); };
  EDGEC_ASSIGN_OR_RETURN(target::ExecResult run, exec->run(er));
  progress.clear();
  EDGEC_TRY(checkExpected(*pb, run.outputs, o.tol, "the compiled code on " + exec->name()));

  // The model's own outputs, then (--per-layer) every intermediate value in
  // node order: the first one outside the tolerance is where the compiled
  // code starts to diverge.
  bool pass = true;
  Json jo = Json::array(), jl = Json::array();
  std::vector<OutputCheck> checks;
  std::optional<OutputCheck> first; ///< of the first diverging layer
  const Value *firstValue = nullptr;
  size_t layers = 0, badLayers = 0;
  for (size_t i = 0; i < er.outputs.size(); ++i) {
    const Value &v = *er.outputs[i];
    OutputCheck ck = compareOutput(v.name, run.outputs[i], want[i], o.tol);
    Json j = outputCheckJson(ck, v);
    if (i < c.modelOutputs) {
      pass = pass && ck.pass;
      checks.push_back(ck);
      jo.push(std::move(j));
      continue;
    }
    j["producer"] = v.producer() ? Json(v.producer()->name) : Json();
    j["op"] = v.producer() ? Json(v.producer()->opType) : Json();
    jl.push(std::move(j));
    ++layers;
    if (ck.pass) continue;
    if (!badLayers++) {
      first = ck;
      firstValue = &v;
    }
  }
  pass = pass && badLayers == 0;
  if (!o.dumpDir.empty()) {
    EDGEC_ASSIGN_OR_RETURN(TensorDump dump, TensorDump::create(o.dumpDir));
    std::vector<Value *> ins = c.model->graph->runtimeInputs();
    for (size_t i = 0; i < ins.size() && i < pb->inputs.size(); ++i) dump.add(*ins[i], pb->inputs[i]);
    for (size_t i = 0; i < er.outputs.size(); ++i) dump.add(*er.outputs[i], run.outputs[i]);
    EDGEC_TRY(dump.finish(o.req.model));
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
    j["expected_outputs_checked"] = int64_t(pb->expected.size());
    if (o.req.exposeIntermediates) {
      j["layers"] = jl;
      j["layers_out_of_tolerance"] = (int64_t)badLayers;
      j["first_divergence"] = firstValue ? Json(firstValue->name) : Json();
    }
    j["pass"] = pass;
    std::cout << j.dump() << "\n";
  } else {
    std::cout << "validate " << o.req.model << " on " << exec->name() << " (rtol " << o.tol.rtol
              << ", atol " << o.tol.atol << ", integer steps " << o.tol.steps << ")\n";
    for (const OutputCheck &ck : checks) std::cout << outputCheckLine(ck);
    if (!pb->expected.empty())
      std::cout << "expected outputs: " << pb->expected.size()
                << " --expect file(s) matched by the interpreter and the compiled code\n";
    if (o.req.exposeIntermediates) {
      std::cout << "per layer: " << layers << " intermediate values, " << badLayers
                << " outside the tolerance\n";
      if (first) {
        const Node *p = firstValue->producer();
        std::cout << "first divergence: '" << firstValue->name << "'"
                  << (p ? " (" + p->opType + " node '" + p->name + "')" : std::string()) << "\n"
                  << outputCheckLine(*first);
      }
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
  c->add_option("--run", o->run,
                "where to run: an executor of the target (mcu: host or qemu; default: qemu "
                "for a Cortex-M --cpu, else the host)");
  addRunOptions(c, o->runReq);
  c->add_option("--rtol", o->tol.rtol, "float: relative tolerance (default 1e-4)");
  c->add_option("--atol", o->tol.atol, "float: absolute tolerance (default 1e-5)");
  c->add_option("--steps", o->tol.steps, "integer outputs: allowed difference in steps (default 0)");
  c->add_flag("--json", o->json, "machine-readable report");
  c->add_flag("--per-layer", o->req.exposeIntermediates,
              "also return and check every intermediate value (each becomes an output of the "
              "compiled code); names the first layer that diverges");
  c->add_option("--dump-tensors", o->dumpDir,
                "write the inputs and what the compiled code returned (every layer with "
                "--per-layer) there as NNNN_NAME.npy with manifest.json, as edgec run "
                "--dump-tensors does");
  return [o] { return runValidate(*o); };
}

} // namespace edgec::tool
