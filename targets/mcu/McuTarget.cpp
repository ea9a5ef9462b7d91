// The MCU target (see McuTarget.h).
#include "targets/mcu/McuTarget.h"

#include "ir/Annotations.h"
#include "passes/PassManager.h"
#include "targets/mcu/CodeGen.h"
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

Status McuTarget::prepare(Model &m) {
  // Generated code has static shapes: a dynamic batch dimension (the only
  // dynamic dim of an input) is compiled for batch 1.
  for (Value *v : m.graph->inputs) {
    if (v->isInitializer() || !v->type.hasRank || v->type.dims.empty()) continue;
    bool restStatic = true;
    for (size_t i = 1; i < v->type.dims.size(); ++i)
      restStatic = restStatic && v->type.dims[i].isStatic();
    if (!v->type.dims[0].isStatic() && restStatic) {
      v->type.dims[0] = Dim::fixed(1);
      notes.push_back("input '" + v->name + "' has a dynamic batch dimension; compiling for " +
                      "batch 1 (set it with --input-shape)");
    }
  }
  std::string dynamic;
  for (const Value *v : m.graph->inputs)
    if (!v->isInitializer() && !(v->type.hasRank && v->type.isStatic()))
      dynamic += (dynamic.empty() ? "" : ", ") + ("'" + v->name + "' " + v->type.str());
  if (!dynamic.empty())
    return Error(ErrorCode::Unsupported,
                 "generated code needs static shapes, and input " + dynamic +
                     " is dynamic: fix it with --input-shape NAME=D0,D1,...");
  // Weights go to flash: fold constants of any size (the optimizer's
  // default limits keep large folded tensors out of exported models).
  PassManagerOptions pmo;
  pmo.pass.foldMaxElements = int64_t(1) << 28;
  pmo.pass.foldMaxGrowthBytes = int64_t(1) << 32;
  PassManager pm(pmo);
  if (hasQdq(m)) {
    // A quantized model: fold its QDQ groups into integer ops; the float
    // optimizer would fold the weight DequantizeLinear nodes away.
    EDGEC_TRY(pm.addPassList("infer-shapes,fold-qdq,inline-if,eliminate-dead-code,infer-shapes"));
  } else {
    bool integer = false;
    for (const auto &n : m.graph->nodes()) integer = integer || isQuantizedNode(*n);
    if (integer) EDGEC_TRY(pm.addPassList("infer-shapes,inline-if,eliminate-dead-code"));
    else {
      EDGEC_TRY(pm.addLevel(2));
      // Control flow: branch-free form (both branches, then a select).
      EDGEC_TRY(pm.addPassList("inline-if,eliminate-dead-code"));
    }
  }
  EDGEC_TRY(pm.run(m));
  return m.graph->sortTopologically();
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

Expected<target::EmitResult> McuTarget::emit(const Model &m, const target::Partition &,
                                             const target::EmitOptions &opts) {
  EDGEC_ASSIGN_OR_RETURN(GeneratedPackage pkg, generatePackage(m, options_, opts.name));
  const PackageInfo &info = pkg.info;
  target::EmitResult r;
  r.files = std::move(pkg.files);
  Json j = Json::object();
  j["schema"] = "edgec.compile-report.v1";
  j["target"] = "mcu";
  j["cpu"] = options_.cpu;
  j["name"] = opts.name;
  j["kernels"] = options_.optimizedKernels ? "optimized" : "portable";
  Json arena = Json::object();
  arena["bytes"] = info.arena.arenaSize;
  arena["lower_bound"] = info.arena.lowerBound;
  arena["ratio"] = info.arena.lowerBound > 0
                       ? double(info.arena.arenaSize) / double(info.arena.lowerBound)
                       : 1.0;
  arena["alignment"] = options_.alignment;
  arena["strategy"] = plan::arenaStrategyName(info.arena.strategy);
  Json tried = Json::object();
  for (const auto &[k, v] : info.arena.tried) tried[k] = v;
  arena["tried"] = tried;
  arena["io_bytes"] = info.ioBytes;
  arena["bytes_with_io"] = info.arenaWithIo;
  arena["lower_bound_with_io"] = info.lowerBoundWithIo;
  j["arena"] = arena;
  j["weight_bytes"] = info.weightBytes;
  j["macs"] = info.macs;
  Json layers = Json::array();
  for (const LayerInfo &l : info.layers) {
    Json x = Json::object();
    x["index"] = l.index;
    x["name"] = l.name;
    x["op"] = l.op;
    x["kernel"] = l.kernel;
    Json ins = Json::array();
    for (const std::string &s : l.inputs) ins.push(s);
    x["inputs"] = ins;
    Json outs = Json::array();
    for (const std::string &s : l.outputs) outs.push(s);
    x["outputs"] = outs;
    x["macs"] = l.macs;
    x["weight_bytes"] = l.weightBytes;
    x["storage"] = l.storage;
    x["arena_offset"] = l.arenaOffset;
    x["arena_bytes"] = l.arenaBytes;
    x["in_place"] = l.inPlace;
    layers.push(x);
  }
  j["layers"] = layers;
  r.report = j;

  std::string t;
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "target mcu (%s, %s kernels), package '%s'\n"
                "arena: %lld bytes (lower bound %lld, %.3fx, strategy %s, alignment %lld)\n"
                "arena + inputs/outputs: %lld bytes (lower bound %lld)\n"
                "weights: %lld bytes, MACs: %lld, layers: %zu\n\n",
                options_.cpu.c_str(), options_.optimizedKernels ? "optimized" : "portable",
                opts.name.c_str(), (long long)info.arena.arenaSize,
                (long long)info.arena.lowerBound,
                info.arena.lowerBound > 0
                    ? double(info.arena.arenaSize) / double(info.arena.lowerBound)
                    : 1.0,
                plan::arenaStrategyName(info.arena.strategy), (long long)options_.alignment,
                (long long)info.arenaWithIo, (long long)info.lowerBoundWithIo,
                (long long)info.weightBytes, (long long)info.macs, info.layers.size());
  t += buf;
  std::snprintf(buf, sizeof buf, "%4s  %-18s %-24s %12s %10s %10s %8s  %s\n", "#", "op",
                "kernel", "MACs", "weights", "offset", "bytes", "output");
  t += buf;
  for (const LayerInfo &l : info.layers) {
    std::string off = l.arenaOffset >= 0 ? std::to_string(l.arenaOffset) : l.storage;
    if (off.size() > 10) off = off.substr(0, 10);
    std::snprintf(buf, sizeof buf, "%4d  %-18s %-24s %12lld %10lld %10s %8lld  %s%s\n", l.index,
                  l.op.substr(0, 18).c_str(), l.kernel.substr(0, 24).c_str(),
                  (long long)l.macs, (long long)l.weightBytes, off.c_str(),
                  (long long)l.arenaBytes, l.outputs.empty() ? "" : l.outputs[0].c_str(),
                  l.inPlace ? " (in place)" : "");
    t += buf;
  }
  r.textReport = t;
  return r;
}

} // namespace edgec::mcu
