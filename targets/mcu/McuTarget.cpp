// The MCU target (see McuTarget.h).
#include "targets/mcu/McuTarget.h"

#include "ir/Annotations.h"
#include "passes/PassRegistry.h"
#include "targets/common/CHarness.h"
#include "targets/common/CPackage.h"
#include "targets/common/CompileReport.h"
#include "targets/common/StaticInputs.h"
#include "targets/mcu/QemuExecutor.h"
#include "targets/mcu/lower/FlashBudget.h"
#include "targets/mcu/lower/Lowering.h"

#include <cstdio>
#include <map>
#include <set>

namespace edgec::mcu {

namespace {

bool isView(const Node &n) {
  static const char *const ops[] = {"Reshape", "Flatten", "Squeeze", "Unsqueeze",
                                    "Identity"};
  if (!n.domain.empty()) return false;
  for (const char *o : ops)
    if (n.opType == o) return true;
  return false;
}

} // namespace

bool hasQdq(const Model &m) {
  for (const auto &n : m.graph->nodes())
    if (n->domain.empty() &&
        (n->opType == "DequantizeLinear" || n->opType == "QLinearConv" ||
         n->opType == "QLinearMatMul"))
      return true;
  return false;
}

std::string McuTarget::description() const {
  return "C99 code and a tiny runtime for Arm Cortex-M (and the host): one "
         "caller-owned arena, weights in flash, no heap";
}

std::vector<target::TargetOption> McuTarget::options() const {
  std::vector<std::string> cpus;
  for (const CpuInfo &c : cpuTable()) cpus.push_back(c.name);
  return {
      {"cpu", "core to generate code for (selects the optimized kernels)", "cortex-m4", cpus},
      {"alignment", "alignment of arena buffers in bytes (power of two, 4-256)", "16", {}},
      {"arena-strategy", "arena planner strategy", "best", {"best", "size", "conflict", "start"}},
      {"kernels", "optimized: Cortex-M variants where the CPU allows; portable: C only",
       "optimized", {"optimized", "portable"}},
      {"in-place", "let elementwise kernels overwrite an input that dies", "on", {"on", "off"}},
      {"flash-budget",
       "extra flash bytes for the faster 16-bit pair weight layout, spent on the int8 layers "
       "with the most MACs per extra byte (0: one byte per int8 weight)",
       "0", {}},
  };
}

Status McuTarget::configure(const std::map<std::string, std::string> &values) {
  for (const auto &[k, v] : values) {
    if (k == "cpu") {
      const CpuInfo *c = findCpu(v);
      if (!c) {
        std::string known;
        for (const CpuInfo &x : cpuTable()) known += (known.empty() ? "" : ", ") + std::string(x.name);
        return Error(ErrorCode::Usage, "unknown cpu '" + v + "' (known: " + known + ")");
      }
      options_.cpu = c->name;
      cpuGiven_ = true;
    } else if (k == "alignment") {
      char *end = nullptr;
      long a = std::strtol(v.c_str(), &end, 10);
      if (!end || *end || a < 4 || a > 256 || (a & (a - 1)))
        return Error(ErrorCode::Usage, "alignment must be a power of two in 4..256, got '" + v + "'");
      options_.alignment = a;
    } else if (k == "arena-strategy") {
      EDGEC_ASSIGN_OR_RETURN(options_.strategy, plan::parseArenaStrategy(v));
    } else if (k == "kernels") {
      if (v != "optimized" && v != "portable")
        return Error(ErrorCode::Usage, "kernels must be optimized or portable, got '" + v + "'");
      options_.optimizedKernels = v == "optimized";
    } else if (k == "in-place") {
      if (v != "on" && v != "off")
        return Error(ErrorCode::Usage, "in-place must be on or off, got '" + v + "'");
      options_.inPlace = v == "on";
    } else if (k == "flash-budget") {
      char *end = nullptr;
      long long b = std::strtoll(v.c_str(), &end, 10);
      if (v.empty() || !end || *end || b < 0)
        return Error(ErrorCode::Usage, "flash-budget must be a byte count >= 0, got '" + v + "'");
      options_.flashBudget = b;
    } else {
      return Error(ErrorCode::Usage, "target mcu has no option '" + k + "'");
    }
  }
  return Status::ok();
}

std::vector<target::OpSupport> McuTarget::supportedOps() const {
  std::map<std::string, target::OpSupport> byOp;
  for (const Lowering &l : allLowerings()) {
    target::OpSupport &s = byOp[l.opType];
    s.op = l.opType;
    for (const std::string &t : l.types) {
      bool have = false;
      for (const std::string &x : s.types) have = have || x == t;
      if (!have) s.types.push_back(t);
    }
    if (!l.note.empty()) s.note += (s.note.empty() ? "" : "; ") + l.note;
  }
  for (const char *v : {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity"}) {
    target::OpSupport &s = byOp[v];
    s.op = v;
    s.types = {"any"};
    s.note = "a view (no code) or a copy";
  }
  std::vector<target::OpSupport> out;
  for (auto &[k, v] : byOp) out.push_back(v);
  return out;
}

Status McuTarget::prepareModel(Model &m) { return target::fixStaticInputs(m, notes); }

target::Pipeline McuTarget::pipeline(const Model &m) const {
  target::Pipeline p;
  // Weights go to flash: fold constants of any size (the optimizer's
  // default limits keep large folded tensors out of exported models).
  p.options.foldMaxElements = int64_t(1) << 28;
  p.options.foldMaxGrowthBytes = int64_t(1) << 32;
  if (hasQdq(m)) {
    // A quantized model: fold its QDQ groups into integer ops; the float
    // optimizer would fold the weight DequantizeLinear nodes away.
    p.add("infer-shapes,fold-qdq,inline-if,eliminate-dead-code,infer-shapes");
    p.stages.push_back(nhwcLayoutStage());
    p.add("infer-shapes");
    return p;
  }
  bool integer = false;
  for (const auto &n : m.graph->nodes()) integer = integer || isQuantizedNode(*n);
  if (integer) {
    p.add("infer-shapes,inline-if,eliminate-dead-code");
    return p;
  }
  p.addLevel(2);
  // Control flow: branch-free form (both branches, then a select).
  p.add("inline-if,eliminate-dead-code");
  return p;
}

std::string McuTarget::checkNode(const Node &n) const {
  if (isView(n)) return "";
  if (!n.subgraphs().empty())
    return n.opType == "If"
               ? "an If whose branches differ in output types or shapes (or hold control "
                 "flow themselves) cannot be made branch-free; generated code has no control flow"
               : "control flow (" + n.opType + ") is not supported by generated code";
  const Lowering *l = findLowering(n);
  if (!l) {
    if (!n.domain.empty()) return "no MCU kernel for domain '" + n.domain + "'";
    bool q = isQuantizedNode(n);
    bool other = false;
    for (const Lowering &x : allLowerings()) other = other || x.opType == n.opType;
    if (other)
      return std::string("no ") + (q ? "integer (quantized)" : "float") +
             " MCU kernel for this op";
    return "no MCU kernel for this op";
  }
  return l->check(n, options_);
}

Status McuTarget::lowerNode(target::StepBuilder &b) const {
  const Node &n = b.node();
  const CpuInfo *cpu = findCpu(options_.cpu);
  if (!cpu) return Error(ErrorCode::Usage, "unknown --cpu '" + options_.cpu + "'");
  const Lowering *l = findLowering(n);
  if (!l) return Error(ErrorCode::Unsupported, n.label() + ": no MCU kernel");
  std::string why = l->check(n, options_);
  if (!why.empty()) return Error(ErrorCode::Unsupported, n.label() + ": " + why);
  LowerContext ctx(b, options_, *cpu, pairLayers_.count(&n) != 0);
  return l->lower(ctx);
}

target::MemoryOptions McuTarget::memoryOptions() const {
  target::MemoryOptions mo;
  mo.alignment = options_.alignment;
  mo.strategy = options_.strategy;
  mo.inPlace = options_.inPlace;
  return mo;
}

Expected<target::EmitResult> McuTarget::emit(const Model &m, const target::Partition &p,
                                             const target::EmitContext &ctx) {
  pairLayers_.clear();
  const CpuInfo *cpu = findCpu(options_.cpu);
  if (options_.flashBudget > 0 && options_.optimizedKernels && cpu && cpu->dsp)
    pairLayers_ = choosePairLayers(pairCandidates(*m.graph), options_.flashBudget);
  target::CEmitRequest req;
  req.name = ctx.name;
  req.lowerings["mcu"] = [this](target::StepBuilder &b) { return lowerNode(b); };
  req.memory = memoryOptions();
  req.package.defaultCpu = options_.cpu;
  EDGEC_ASSIGN_OR_RETURN(target::CEmitOutput out, target::emitCPackage(m, p, req));
  target::EmitResult r;
  r.files = std::move(out.files);
  Json j = target::programReport(out.program, p, options_.strategy);
  j["schema"] = "edgec.compile-report.v1";
  j["target"] = "mcu";
  j["cpu"] = options_.cpu;
  j["name"] = ctx.name;
  j["kernels"] = options_.optimizedKernels ? "optimized" : "portable";
  j["flash_budget"] = options_.flashBudget;
  {
    Json pairs = Json::array();
    for (const auto &n : m.graph->nodes())
      if (pairLayers_.count(n.get())) pairs.push(n->name);
    j["pair_layout_layers"] = pairs; // graph order
  }
  r.report = j;
  r.textReport = target::programReportText(
      out.program, p,
      "target mcu (" + options_.cpu + ", " + (options_.optimizedKernels ? "optimized" : "portable") +
          " kernels), package '" + ctx.name + "'");
  return r;
}

std::vector<std::string> McuTarget::executors() const {
  const CpuInfo *c = findCpu(options_.cpu);
  if (c && c->qemuMachine[0]) return {"host", "qemu"};
  return {"host"};
}

std::string McuTarget::defaultExecutor() const {
  const CpuInfo *c = findCpu(options_.cpu);
  return cpuGiven_ && c && c->qemuMachine[0] ? "qemu" : "host";
}

Expected<std::unique_ptr<target::Executor>> McuTarget::createExecutor(const std::string &where) const {
  const CpuInfo *c = findCpu(options_.cpu);
  std::string w = where.empty() ? defaultExecutor() : where;
  if (w == "qemu") {
    if (!c || !c->qemuMachine[0])
      return Error(ErrorCode::Usage, "running under QEMU needs a Cortex-M --cpu (got '" +
                                         options_.cpu + "')");
    return std::unique_ptr<target::Executor>(new QemuExecutor(*c));
  }
  return target::Target::createExecutor(where);
}

} // namespace edgec::mcu
