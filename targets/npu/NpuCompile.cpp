#include "targets/npu/NpuCompile.h"

#include "npu/CommandStreamEncoder.h"
#include "npu/PayloadWriter.h"
#include "targets/npu/NpuLowering.h"
#include "targets/npu/NpuTfliteFile.h"

#include <algorithm>

namespace edgec::ethosu {

bool isCpuTailSoftmax(const Graph &g, const Node &n) {
  if (n.opType != "Softmax" || n.inputs.size() != 1 || n.outputs.size() != 1) return false;
  if (!g.isGraphOutput(n.outputs[0]) || n.attrInt("axis", -1) != -1) return false;
  const Value *x = n.inputs[0];
  if (!x->producer() || g.isGraphOutput(x) || x->type.dtype != DataType::Int8) return false;
  // Its input feeds nothing else.
  for (const auto &o : g.nodes())
    if (o.get() != &n)
      for (const Value *v : o->inputs)
        if (v == x) return false;
  return true;
}

Expected<CompiledNpuModel> compileNpuModel(const Model &m, const npu::AcceleratorConfig &c,
                                           const std::string &name) {
  const Graph &g = *m.graph;
  std::vector<const Node *> tail;
  for (const Value *v : g.outputs) {
    const Node *p = v->producer();
    if (p && isCpuTailSoftmax(g, *p)) tail.push_back(p);
  }
  EDGEC_ASSIGN_OR_RETURN(NpuProgram prog, lowerNpuGraph(g, c, tail));
  if (prog.ops.empty()) return Error(ErrorCode::Unsupported, "the model has no NPU operation");
  EDGEC_ASSIGN_OR_RETURN(std::vector<uint32_t> stream, npu::encodeOperations(prog.ops));
  EDGEC_ASSIGN_OR_RETURN(std::vector<uint32_t> payload, npu::payloadWords(c, stream));
  NpuTfliteModel tm;
  tm.payload = npu::wordBytes(payload);
  tm.flash = prog.flash;
  // An empty flash is written as 16 zero bytes (the reader drops it).
  if (tm.flash.empty()) tm.flash.assign(16, 0);
  tm.arenaSize = prog.arenaSize;
  tm.description = "edgec npu " + std::string(c.name) + " " + name;
  for (const Value *v : g.runtimeInputs()) tm.inputs.push_back({v, prog.offsets.at(v)});
  for (const Node *n : tail) {
    tm.outputs.push_back({n->inputs[0], prog.offsets.at(n->inputs[0])});
    tm.softmax.push_back({n->inputs[0], n->outputs[0]});
  }
  for (const Value *v : g.outputs) {
    if (v->producer() && std::find(tail.begin(), tail.end(), v->producer()) != tail.end()) continue;
    auto it = prog.offsets.find(v);
    if (it == prog.offsets.end() || !v->producer())
      return Error(ErrorCode::Unsupported, "graph output '" + v->name + "' is not computed on the NPU");
    tm.outputs.push_back({v, it->second});
  }
  EDGEC_ASSIGN_OR_RETURN(std::string bytes, writeNpuTflite(tm));
  CompiledNpuModel out;
  out.tflite = std::move(bytes);
  out.operations = prog.ops.size();
  out.streamWords = stream.size();
  out.flashBytes = prog.flash.size();
  out.arenaBytes = prog.arenaSize;
  out.cpuSoftmax = tail.size();
  return out;
}

} // namespace edgec::ethosu
