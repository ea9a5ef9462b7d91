// The LLVM target (see LlvmTarget.h).
#include "targets/llvm/LlvmTarget.h"

#include "targets/common/CompileReport.h"
#include "targets/common/MemoryPlan.h"
#include "targets/common/ProgramBuilder.h"
#include "targets/llvm/LlvmCodegen.h"
#include "targets/llvm/LlvmExecutor.h"
#include "targets/llvm/LlvmPackage.h"

namespace edgec::llvmtarget {

LlvmTarget::LlvmTarget() {
  // The default triple's lowering (configure() applies --triple).
  (void)mcu_.configure({{"cpu", findTriple(options_.triple)->mcuCpu}});
}

std::string LlvmTarget::description() const {
  return "one object file per model through LLVM 14 (x86-64, AArch64, Cortex-M): the MCU "
         "package's C API and arena, kernels specialised by LLVM";
}

std::vector<target::TargetOption> LlvmTarget::options() const {
  std::vector<std::string> triples;
  for (const TripleInfo &t : tripleTable()) triples.push_back(t.triple);
  return {
      {"triple", "target triple (--triple)", "x86_64-linux-gnu", triples},
      {"cpu", "LLVM CPU name (--cpu; default: the triple's baseline)", "", {}},
      {"features", "LLVM subtarget features, +NAME/-NAME comma-separated (--features)", "", {}},
      {"alignment", "alignment of arena buffers in bytes (power of two, 4-256)", "16", {}},
      {"arena-strategy", "arena planner strategy", "best", {"best", "size", "conflict", "start"}},
  };
}

Status LlvmTarget::configure(const std::map<std::string, std::string> &values) {
  for (const auto &[k, v] : values) {
    if (k == "triple") {
      if (!findTriple(v)) {
        std::string known;
        for (const TripleInfo &t : tripleTable()) known += (known.empty() ? "" : ", ") + std::string(t.triple);
        return Error(ErrorCode::Usage, "unknown --triple '" + v + "' (known: " + known + ")");
      }
      options_.triple = v;
    } else if (k == "cpu") {
      options_.cpu = v;
    } else if (k == "features") {
      options_.features = v;
    } else if (k == "alignment") {
      char *end = nullptr;
      long a = std::strtol(v.c_str(), &end, 10);
      if (!end || *end || a < 4 || a > 256 || (a & (a - 1)))
        return Error(ErrorCode::Usage, "alignment must be a power of two in 4..256, got '" + v + "'");
      options_.alignment = a;
    } else if (k == "arena-strategy") {
      EDGEC_ASSIGN_OR_RETURN(options_.strategy, plan::parseArenaStrategy(v));
    } else {
      return Error(ErrorCode::Usage, "target llvm has no option '" + k + "'");
    }
  }
  const TripleInfo &t = *findTriple(options_.triple);
  EDGEC_TRY(mcu_.configure({{"cpu", t.mcuCpu}}));
  if (!options_.cpu.empty() || !options_.features.empty())
    EDGEC_TRY(checkCpu(t, cpu(), options_.features));
  return Status::ok();
}

std::string LlvmTarget::cpu() const {
  return options_.cpu.empty() ? findTriple(options_.triple)->defaultCpu : options_.cpu;
}

Status LlvmTarget::prepareModel(Model &m) {
  Status s = mcu_.prepareModel(m);
  for (const std::string &n : mcu_.notes) notes.push_back(n);
  mcu_.notes.clear();
  return s;
}

Expected<target::EmitResult> LlvmTarget::emit(const Model &m, const target::Partition &p,
                                              const target::EmitContext &ctx) {
  const TripleInfo &t = *findTriple(options_.triple);
  std::map<std::string, target::NodeLowering> lowerings;
  lowerings["llvm"] = [this](target::StepBuilder &b) { return lowerNode(b); };
  target::LowerOptions lo;
  lo.name = ctx.name;
  EDGEC_ASSIGN_OR_RETURN(target::Program program, target::lowerProgram(m, p, lowerings, lo));
  target::MemoryOptions mo;
  mo.alignment = options_.alignment;
  mo.strategy = options_.strategy;
  EDGEC_TRY(target::planMemory(program, mo));
  PackageRequest pr{&t, cpu(), options_.features};
  EDGEC_ASSIGN_OR_RETURN(LlvmPackage pkg, buildPackage(program, pr));

  target::EmitResult r;
  r.files = std::move(pkg.files);
  Json j = target::programReport(program, p, options_.strategy);
  j["schema"] = "edgec.compile-report.v1";
  j["target"] = "llvm";
  j["triple"] = t.triple;
  j["cpu"] = cpu();
  j["features"] = options_.features;
  j["llvm"] = pkg.llvmVersion;
  j["object_bytes"] = int64_t(pkg.objectBytes);
  j["name"] = ctx.name;
  r.report = j;
  r.textReport = target::programReportText(
      program, p,
      "target llvm (" + std::string(t.triple) + ", cpu " + cpu() +
          (options_.features.empty() ? "" : ", " + options_.features) + "), object '" +
          ctx.name + ".o' (" + std::to_string(pkg.objectBytes) + " bytes, LLVM " +
          pkg.llvmVersion + ")");
  return r;
}

std::vector<std::string> LlvmTarget::executors() const {
  const TripleInfo &t = *findTriple(options_.triple);
  if (!*t.linker) return {};
  return {*t.boardCpu ? "qemu" : *t.runner ? t.runner : "host"};
}

Expected<std::unique_ptr<target::Executor>> LlvmTarget::createExecutor(const std::string &where) const {
  const TripleInfo &t = *findTriple(options_.triple);
  std::vector<std::string> all = executors();
  std::string w = where.empty() && !all.empty() ? all[0] : where;
  if (!all.empty() && w == all[0]) return std::unique_ptr<target::Executor>(new LlvmExecutor(t));
  return target::Target::createExecutor(where);
}

} // namespace edgec::llvmtarget
