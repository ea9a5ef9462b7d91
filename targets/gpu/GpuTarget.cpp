// The GPU target (see GpuTarget.h).
#include "targets/gpu/GpuTarget.h"

#include "targets/common/CompileReport.h"
#include "targets/common/MemoryPlan.h"
#include "targets/common/ProgramBuilder.h"
#include "targets/common/StaticInputs.h"
#include "targets/gpu/GpuPackage.h"
#include "targets/gpu/KernelDesc.h"
#include "targets/gpu/OpenClExecutor.h"
#include "targets/gpu/lower/GpuLowering.h"

#include <map>

namespace edgec::gpu {

namespace {

bool isView(const Node &n) {
  static const char *const ops[] = {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity"};
  if (!n.domain.empty()) return false;
  for (const char *o : ops)
    if (n.opType == o) return true;
  return false;
}

} // namespace

std::string GpuTarget::description() const {
  return "GPU kernels (OpenCL C 1.2; CUDA later) with a C99 host launcher that loads the driver "
         "at run time: one device arena, weights in one read-only buffer";
}

std::vector<target::TargetOption> GpuTarget::options() const {
  return {
      {"api", "kernel dialect and driver (cuda: not generated yet)", "opencl", {"opencl", "cuda"}},
      {"precision", "storage and math precision (fp16, int8: not generated yet)", "fp32",
       {"fp32", "fp16", "int8"}},
      {"work-group", "work-items per work-group (power of two, 1-1024)", "64", {}},
      {"cuda-kernels", "also write the kernels as CUDA C++ (NAME_kernels.cu; compile-only so far)",
       "off", {"on", "off"}},
  };
}

Status GpuTarget::configure(const std::map<std::string, std::string> &values) {
  return parseGpuOptions(values, options_);
}

std::vector<target::OpSupport> GpuTarget::supportedOps() const {
  std::vector<target::OpSupport> out;
  for (const GpuLowering &l : allGpuLowerings()) out.push_back({l.opType, l.types, l.note});
  for (const char *v : {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity"})
    out.push_back({v, {"float32", "bool", "int64", "int32"}, "a view (no code) or a buffer copy"});
  std::sort(out.begin(), out.end(),
            [](const target::OpSupport &a, const target::OpSupport &b) { return a.op < b.op; });
  return out;
}

Status GpuTarget::prepareModel(Model &m) { return target::fixStaticInputs(m, notes); }

target::Pipeline GpuTarget::pipeline(const Model &) const {
  target::Pipeline p;
  // Weights live in device memory: fold constants of any size.
  p.options.foldMaxElements = int64_t(1) << 28;
  p.options.foldMaxGrowthBytes = int64_t(1) << 32;
  p.addLevel(2);
  p.add("inline-if,eliminate-dead-code");
  return p;
}

std::string GpuTarget::checkNode(const Node &n) const {
  if (isView(n)) {
    if (n.outputs.empty() || !n.outputs[0] || !*openClType(n.outputs[0]->type.dtype))
      return "a view of " + (n.outputs.empty() || !n.outputs[0] ? std::string("nothing")
                                                                 : n.outputs[0]->type.str());
    return "";
  }
  if (!n.subgraphs().empty()) return "control flow (" + n.opType + ") is not supported";
  const GpuLowering *l = findGpuLowering(n);
  if (!l)
    return n.domain.empty() ? "no GPU kernel for this op" : "no GPU kernel for domain '" + n.domain + "'";
  return l->check(n);
}

Expected<target::EmitResult> GpuTarget::emit(const Model &m, const target::Partition &p,
                                             const target::EmitContext &ctx) {
  std::vector<KernelDesc> kernels;
  std::map<std::string, target::NodeLowering> lowerings;
  const GpuOptions &o = options_;
  const FusionPlan fusion = planPointwiseFusion(m, p, "gpu", isPointwise);
  lowerings["gpu"] = [&kernels, &o, &fusion](target::StepBuilder &b) -> Status {
    const Node &n = b.node();
    if (const Node *c = fusion.consumerOf(n)) {
      b.setKernel("fused into " + c->name);
      return Status::ok();
    }
    const GpuLowering *l = findGpuLowering(n);
    if (!l) return Error(ErrorCode::Unsupported, n.label() + ": no GPU kernel");
    if (std::string why = l->check(n); !why.empty())
      return Error(ErrorCode::Unsupported, n.label() + ": " + why);
    GpuLowerContext c(b, o, kernels, fusion);
    return l->lower(c);
  };
  target::LowerOptions lo;
  lo.name = ctx.name;
  EDGEC_ASSIGN_OR_RETURN(target::Program prog, target::lowerProgram(m, p, lowerings, lo));
  // The values a chain keeps in registers need no memory: each becomes a
  // view of the chain's result (never read or written through).
  for (const auto &node : m.graph->nodes()) {
    const Node *last = fusion.consumerOf(*node);
    if (!last) continue;
    while (const Node *next = fusion.consumerOf(*last)) last = next;
    prog.setStorage(node->outputs[0], {target::Storage::Kind::Alias, 0, last->outputs[0], -1});
  }
  target::MemoryOptions mo;
  mo.alignment = 64;
  EDGEC_TRY(target::planMemory(prog, mo));
  EDGEC_ASSIGN_OR_RETURN(GpuPackage pkg, gpuPackage(prog, kernels, o));
  target::EmitResult r;
  r.files = std::move(pkg.files);
  Json j = target::programReport(prog, p, mo.strategy);
  j["schema"] = "edgec.compile-report.v1";
  j["target"] = "gpu";
  j["api"] = apiName(o.api);
  j["precision"] = precisionName(o.precision);
  j["name"] = ctx.name;
  j["kernel_launches"] = int64_t(pkg.launches);
  j["nodes_fused_into_pointwise_chains"] = int64_t(fusion.fusedCount());
  j["buffer_copies"] = int64_t(pkg.copies);
  j["weight_bytes"] = pkg.weightBytes;
  j["arena_lower_bound"] = prog.memory.arena.lowerBound;
  r.report = j;
  r.textReport = target::programReportText(
      prog, p,
      std::string("target gpu (") + apiName(o.api) + ", " + precisionName(o.precision) +
          "), package '" + ctx.name + "'") +
      "gpu: " + std::to_string(pkg.launches) + " kernel launches (" +
      std::to_string(fusion.fusedCount()) + " pointwise nodes fused into the next one's kernel), " + std::to_string(pkg.copies) +
      " buffer copies per run; arena " + std::to_string(prog.memory.arena.arenaSize) +
      " bytes (lower bound " + std::to_string(prog.memory.arena.lowerBound) + "), weights " +
      std::to_string(pkg.weightBytes) + " bytes\n";
  return r;
}

Expected<std::unique_ptr<target::Executor>> GpuTarget::createExecutor(const std::string &where) const {
  if (where.empty() || where == "opencl")
    return std::unique_ptr<target::Executor>(new OpenClExecutor());
  return Error(ErrorCode::Usage, "target 'gpu' runs compiled output on: opencl (not '" + where + "')");
}

} // namespace edgec::gpu
