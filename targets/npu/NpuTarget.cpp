// The Ethos-U target (see NpuTarget.h).
#include "targets/npu/NpuTarget.h"

#include "export/TfliteExport.h"
#include "targets/common/StaticInputs.h"
#include "targets/npu/NpuCompile.h"
#include "targets/npu/NpuExecutor.h"

#include <set>

namespace edgec::ethosu {

TfliteProfile npuTfliteProfile() {
  TfliteProfile p = genericTfliteProfile();
  p.name = "ethos-u";
  p.quantizedPadAsConcat = false;
  return p;
}

NpuTarget::NpuTarget() : support_(npuTfliteProfile()) {
  // The defaults always resolve (built-in data).
  if (auto o = resolveNpuOptions("", "", "")) options_ = *o;
}

std::string NpuTarget::description() const {
  return "Arm Ethos-U55/U65 NPU: placement by Vela's operator constraints (every failing "
         "constraint named), CPU fallback through mcu; NPU code generation (conv, depthwise, "
         "fully connected, pools, add, mul) as a Vela-form .tflite: ethos-u operators with the "
         "CPU operators as TFLite builtins between them";
}

std::vector<target::TargetOption> NpuTarget::options() const {
  std::vector<std::string> accels;
  for (const npu::AcceleratorConfig &c : npu::acceleratorConfigs()) accels.emplace_back(c.name);
  std::string systems;
  for (const std::string &s : builtinSystemConfigs()) systems += (systems.empty() ? "" : ", ") + s;
  return {{"npu-config", "the accelerator configuration (MACs per cycle, U55 or U65)",
           "ethos-u55-128", accels},
          {"system-config",
           "NAME of a built-in system configuration (" + systems +
               ") or FILE.ini:NAME, a [System_Config.NAME] of a file in Vela's INI format",
           std::string(defaultSystemConfig(npu::Product::EthosU55)) + " on the U55, " +
               defaultSystemConfig(npu::Product::EthosU65) + " on the U65",
           {}},
          {"memory-mode",
           "sram-only, shared-sram, dedicated-sram or a [Memory_Mode.NAME] of the system-config "
           "file",
           std::string(defaultMemoryMode(npu::Product::EthosU55)) + " on the U55, " +
               defaultMemoryMode(npu::Product::EthosU65) + " on the U65",
           {}}};
}

Status NpuTarget::configure(const std::map<std::string, std::string> &values) {
  std::string accel, sys, mode;
  for (const auto &[k, v] : values) {
    if (k == "npu-config") accel = v;
    else if (k == "system-config") sys = v;
    else if (k == "memory-mode") mode = v;
    else return Error(ErrorCode::Usage, "target npu has no option '" + k + "'");
    if (v.empty()) return Error(ErrorCode::Usage, "npu option " + k + ": empty value");
  }
  EDGEC_ASSIGN_OR_RETURN(options_, resolveNpuOptions(accel, sys, mode));
  return Status::ok();
}

std::vector<target::OpSupport> NpuTarget::supportedOps() const {
  std::vector<target::OpSupport> out;
  for (const std::string &op : npuOperators()) {
    std::string note;
    for (const Constraint &c : constraints())
      if (!c.generic && c.appliesTo(op)) note += (note.empty() ? "" : "; ") + std::string(c.sentence);
    out.push_back({op, {"int8", "uint8", "int16"}, note.empty() ? "generic constraints only" : note});
  }
  return out;
}

Status NpuTarget::prepareModel(Model &m) {
  EDGEC_TRY(target::fixStaticInputs(m, notes));
  // The graph Vela would read: the int8 TFLite form (QDQ folded, NHWC,
  // shapes inferred), judged operator by operator.
  return prepareForTflite(m);
}

target::Pipeline NpuTarget::pipeline(const Model &) const { return {}; }

NodeJudgement NpuTarget::judge(const Node &n) const { return judgeNode(n, support_.query(n)); }

std::string NpuTarget::checkNode(const Node &n) const {
  return failuresText(judge(n).failures);
}

PlacementReport NpuTarget::report(const target::Partition &p) const {
  return placementReport(p, *options_.accelerator, options_.system,
                         [this](const Node &n) { return judge(n); });
}

target::PlacementView NpuTarget::describePlacement(const Model &m,
                                                   const target::Partition &p) const {
  PlacementReport r = report(p);
  target::PlacementView v;
  v.present = true;
  v.json = placementJson(r);
  v.text = placementText(r, m.graph->name.empty() ? "the model" : m.graph->name);
  return v;
}

Expected<std::unique_ptr<target::Executor>> NpuTarget::createExecutor(const std::string &where) const {
  if (where.empty() || where == "ethos-u") return std::unique_ptr<target::Executor>(new NpuExecutor());
  return target::Target::createExecutor(where);
}

Expected<target::EmitResult> NpuTarget::emit(const Model &m, const target::Partition &p,
                                             const target::EmitContext &ctx) {
  PlacementReport r = report(p);
  Json pj = placementJson(r);
  std::string text = placementText(r, ctx.name);
  target::EmitResult out;
  out.files.push_back({ctx.name + "_npu_placement.json", pj.dump() + "\n"});
  out.files.push_back({ctx.name + "_npu_placement.log", text});
  out.report = Json::object();
  out.report["schema"] = "edgec.compile-report.v1";
  out.report["target"] = "npu";
  out.report["name"] = ctx.name;
  Json files = Json::array();
  for (const target::Artifact &a : out.files) files.push(a.path);
  out.report["files"] = files;
  out.report["npu"] = pj;
  out.report["placement"] = target::partitionJson(p);
  out.textReport = text;
  auto refuse = [&](const std::string &why) {
    out.report["code_generation"] = why;
    out.unfinished = Error(ErrorCode::Unsupported,
                           "target npu: " + why + " (placement done: " +
                               std::to_string(r.npuOperators) + " NPU and " +
                               std::to_string(r.cpuOperators) + " CPU operators, written to " +
                               ctx.name + "_npu_placement.json/.log); no package was produced");
    return out;
  };
  std::set<const Node *> onNpu;
  for (const target::NodePlacement &pl : p.placements)
    if (pl.kind == target::NodePlacement::Kind::OnTarget) onNpu.insert(pl.node);
  Expected<CompiledNpuModel> c = compileNpuModel(m, onNpu, *options_.accelerator, memorySystem(options_.system),
                                                 support_.profile(), ctx.name);
  if (!c) return refuse(c.error().message());
  out.files.push_back({ctx.name + "_npu.tflite", c->tflite});
  files.push(ctx.name + "_npu.tflite");
  out.report["files"] = files;
  Json cg = Json::object();
  cg["file"] = ctx.name + "_npu.tflite";
  cg["ethosu_operators"] = int64_t(c->ethosuOperators);
  cg["cpu_operators"] = int64_t(c->cpuOperators);
  cg["npu_operations"] = int64_t(c->operations);
  cg["command_stream_words"] = int64_t(c->streamWords);
  cg["flash_bytes"] = int64_t(c->flashBytes);
  cg["arena_bytes"] = int64_t(c->arenaBytes);
  Json moved = Json::array();
  std::string movedText;
  for (const NpuCpuNode &f : c->loweringFallbacks) {
    Json j = Json::object();
    j["node"] = f.node->name;
    j["op"] = f.node->opType;
    j["reason"] = f.reason;
    moved.push(j);
    movedText += "  " + f.node->opType + " '" + f.node->name + "' placed on the CPU by code generation\n   - " +
                 f.reason + "\n";
  }
  cg["lowering_fallbacks"] = moved;
  out.report["code_generation"] = cg;
  out.textReport += "code generation: " + ctx.name + "_npu.tflite, " +
                    std::to_string(c->ethosuOperators) + " ethos-u operator(s) (" +
                    std::to_string(c->operations) + " NPU operations, command streams " +
                    std::to_string(c->streamWords) + " words, flash " + std::to_string(c->flashBytes) +
                    " bytes, arena " + std::to_string(c->arenaBytes) + " bytes), " +
                    std::to_string(c->cpuOperators) + " node(s) as TFLite builtins on the CPU\n" + movedText;
  return out;
}

} // namespace edgec::ethosu
