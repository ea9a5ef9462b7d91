#include "targets/npu/NpuCompile.h"

#include "npu/CommandStreamEncoder.h"
#include "npu/PayloadWriter.h"
#include "targets/npu/NpuLowering.h"
#include "targets/npu/NpuTfliteFile.h"

namespace edgec::ethosu {

Expected<CompiledNpuModel> compileNpuModel(const Model &m, const npu::AcceleratorConfig &c,
                                           const std::string &name) {
  const Graph &g = *m.graph;
  EDGEC_ASSIGN_OR_RETURN(NpuProgram prog, lowerNpuGraph(g, c));
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
  for (const Value *v : g.outputs) {
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
  return out;
}

} // namespace edgec::ethosu
