#include "targets/npu/NpuExecutor.h"

#include "interp/Interpreter.h"
#include "tflite/TfliteImporter.h"

#include <algorithm>
#include <chrono>

namespace edgec::ethosu {

Expected<target::ExecResult> NpuExecutor::run(const target::ExecRequest &r) const {
  const std::string file = r.name + "_npu.tflite";
  const target::Artifact *a = nullptr;
  if (r.artifacts)
    for (const target::Artifact &x : *r.artifacts)
      if (x.path == file) a = &x;
  if (!a) return Error(ErrorCode::Internal, "ethos-u executor: no " + file + " among the artifacts");
  EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<Model> m,
                         importTfliteBytes(a->content.data(), a->content.size(), ImportOptions{}));
  std::vector<Value *> ins = m->graph->runtimeInputs();
  if (ins.size() != r.inputs.size())
    return Error(ErrorCode::Internal, "ethos-u executor: " + std::to_string(r.inputs.size()) +
                                          " inputs for a model with " + std::to_string(ins.size()));
  std::map<std::string, Tensor> feed;
  for (size_t i = 0; i < ins.size(); ++i) feed.emplace(ins[i]->name, r.inputs[i]);
  Interpreter interp(*m);
  target::ExecResult out;
  out.unit = "ns";
  std::vector<uint64_t> times;
  for (int i = 0; i < std::max(1, r.warmup + r.runs); ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    EDGEC_ASSIGN_OR_RETURN(out.outputs, interp.run(feed));
    const auto t1 = std::chrono::steady_clock::now();
    if (i >= r.warmup)
      times.push_back(uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
  }
  if (!times.empty()) {
    std::sort(times.begin(), times.end());
    out.minCount = times.front();
    out.medianCount = times[times.size() / 2];
  }
  return out;
}

} // namespace edgec::ethosu
