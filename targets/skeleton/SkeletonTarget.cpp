// The skeleton target (see SkeletonTarget.h).
#include "targets/skeleton/SkeletonTarget.h"

#include "ir/Annotations.h"
#include "targets/common/CPackage.h"
#include "targets/common/CompileReport.h"
#include "targets/common/ProgramBuilder.h"
#include "targets/common/StaticInputs.h"
#include "targets/mcu/McuTarget.h"

namespace edgec::skeleton {

namespace {

const char *const kAllOps[] = {"Add", "Sub", "Mul", "Relu"};

const char *opCode(const std::string &op) {
  if (op == "Add") return "EC_SKEL_ADD";
  if (op == "Sub") return "EC_SKEL_SUB";
  if (op == "Mul") return "EC_SKEL_MUL";
  return "EC_SKEL_RELU";
}

} // namespace

std::string SkeletonTarget::description() const {
  return "template back end: float32 Add/Sub/Mul/Relu with its own kernel, every other "
         "node on mcu (fallback partition); the code to copy for a new target";
}

std::vector<target::TargetOption> SkeletonTarget::options() const {
  return {{"ops", "comma-separated ops the skeleton runs itself (the rest falls back to mcu)",
           "Add,Sub,Mul,Relu", {}}};
}

Status SkeletonTarget::configure(const std::map<std::string, std::string> &values) {
  for (const auto &[k, v] : values) {
    if (k != "ops") return Error(ErrorCode::Usage, "target skeleton has no option '" + k + "'");
    std::set<std::string> ops;
    size_t p = 0;
    while (p <= v.size()) {
      size_t e = v.find(',', p);
      if (e == std::string::npos) e = v.size();
      std::string op = v.substr(p, e - p);
      bool known = false;
      for (const char *o : kAllOps) known = known || op == o;
      if (!known)
        return Error(ErrorCode::Usage, "skeleton option ops: '" + op +
                                           "' is not one of Add, Sub, Mul, Relu");
      ops.insert(op);
      p = e + 1;
    }
    options_.ops = ops;
  }
  return Status::ok();
}

std::vector<target::OpSupport> SkeletonTarget::supportedOps() const {
  std::vector<target::OpSupport> out;
  for (const std::string &op : options_.ops)
    out.push_back({op, {"float32"}, "operands of one shape (no broadcasting); fused Relu"});
  return out;
}

Status SkeletonTarget::prepareModel(Model &m) { return target::fixStaticInputs(m, notes); }

target::Pipeline SkeletonTarget::pipeline(const Model &m) const {
  // What the skeleton cannot run goes to mcu, so it prepares the model the
  // way mcu does.
  return mcu::McuTarget().pipeline(m);
}

std::string SkeletonTarget::checkNode(const Node &n) const {
  if (!n.domain.empty() || !options_.ops.count(n.opType)) {
    std::string list;
    for (const std::string &op : options_.ops) list += (list.empty() ? "" : ", ") + op;
    return n.opType + " is not one of the skeleton's ops (" + list + "; option ops)";
  }
  size_t arity = n.opType == "Relu" ? 1 : 2;
  if (n.inputs.size() != arity || n.outputs.size() != 1 || !n.outputs[0])
    return "expects " + std::to_string(arity) + " input(s) and one output";
  const Value &y = *n.outputs[0];
  if (y.type.dtype != DataType::Float32) return "only float32 (output is " + y.type.str() + ")";
  for (const Value *x : n.inputs) {
    if (!x) return "missing input";
    if (!(x->type == y.type))
      return "input '" + x->name + "' " + x->type.str() + " differs from the output " +
             y.type.str() + " (no broadcasting)";
  }
  if (isQuantizedNode(n)) return "quantized values";
  if (n.attr(kLayoutAttr)) return "a layout annotation";
  if (const Attribute *a = n.attr(kFusedActivationAttr); a && a->s != "Relu")
    return "fused activation '" + a->s + "' (only Relu)";
  return "";
}

Status SkeletonTarget::lowerNode(target::StepBuilder &b) const {
  const Node &n = b.node();
  bool relu = n.attr(kFusedActivationAttr) != nullptr;
  target::Operand p = b.params("ec_skel_eltwise_params", "skel_" + n.name,
                               target::Fields()
                                   .sym("op", opCode(n.opType))
                                   .i("count", target::elementCount(b.outValue(0)))
                                   .i("relu", relu ? 1 : 0));
  target::Operand a = b.in(0);
  target::Operand second = n.opType == "Relu" ? a : b.in(1);
  b.useRuntime("kernels/skeleton/eltwise_f32.h");
  b.call("ec_skel_eltwise_f32", {p, a, second, b.out(0)});
  b.setKernel("skel_eltwise_f32");
  b.allowInPlace(0);
  return Status::ok();
}

Expected<target::EmitResult> SkeletonTarget::emit(const Model &m, const target::Partition &p,
                                                  const target::EmitContext &ctx) {
  if (!ctx.fallback) return Error(ErrorCode::Internal, "the skeleton needs its fallback target");
  auto *fb = dynamic_cast<mcu::McuTarget *>(ctx.fallback);
  if (!fb) return Error(ErrorCode::Internal, "the skeleton's fallback must be mcu");
  target::CEmitRequest req;
  req.name = ctx.name;
  req.lowerings["skeleton"] = [this](target::StepBuilder &b) { return lowerNode(b); };
  req.lowerings["mcu"] = [fb](target::StepBuilder &b) { return fb->lowerNode(b); };
  req.memory = fb->memoryOptions();
  req.package.defaultCpu = fb->mcuOptions().cpu;
  EDGEC_ASSIGN_OR_RETURN(target::CEmitOutput out, target::emitCPackage(m, p, req));
  target::EmitResult r;
  r.files = std::move(out.files);
  r.report = target::programReport(out.program, p, req.memory.strategy);
  r.report["schema"] = "edgec.compile-report.v1";
  r.report["target"] = "skeleton";
  r.report["cpu"] = fb->mcuOptions().cpu;
  r.report["name"] = ctx.name;
  r.textReport = target::programReportText(out.program, p,
                                           "target skeleton (fallback mcu, " +
                                               fb->mcuOptions().cpu + "), package '" +
                                               ctx.name + "'");
  return r;
}

} // namespace edgec::skeleton
