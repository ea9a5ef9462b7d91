// The explicit list of targets. Adding a back end: one line here plus its
// folder (docs/targets.md).
#include "targets/Target.h"
#include "targets/edgetpu/EdgeTpuTarget.h"
#include "targets/llvm/LlvmTarget.h"
#include "targets/gpu/GpuTarget.h"
#include "targets/mcu/McuTarget.h"
#include "targets/npu/NpuTarget.h"
#include "targets/skeleton/SkeletonTarget.h"
#include "targets/tflite/TfliteTarget.h"

#include <functional>

namespace edgec::target {

namespace {

struct Entry {
  const char *name;
  std::function<std::unique_ptr<Target>()> create;
};

const std::vector<Entry> &registry() {
  static const std::vector<Entry> entries = {
      {"mcu", [] { return std::unique_ptr<Target>(new mcu::McuTarget()); }},
      {"skeleton", [] { return std::unique_ptr<Target>(new skeleton::SkeletonTarget()); }},
      {"edgetpu", [] { return std::unique_ptr<Target>(new edgetpu::EdgeTpuTarget()); }},
      {"tflite", [] { return std::unique_ptr<Target>(new tflitecpu::TfliteTarget()); }},
      {"npu", [] { return std::unique_ptr<Target>(new ethosu::NpuTarget()); }},
      {"llvm", [] { return std::unique_ptr<Target>(new llvmtarget::LlvmTarget()); }},
      {"gpu", [] { return std::unique_ptr<Target>(new gpu::GpuTarget()); }},
  };
  return entries;
}

} // namespace

std::vector<std::string> targetNames() {
  std::vector<std::string> out;
  for (const Entry &e : registry()) out.push_back(e.name);
  return out;
}

Expected<std::unique_ptr<Target>> createTarget(const std::string &name) {
  std::string known;
  for (const Entry &e : registry()) {
    if (name == e.name) return e.create();
    known += (known.empty() ? "" : ", ") + std::string(e.name);
  }
  return Error(ErrorCode::Usage,
               "unknown target '" + name + "' (known: " + known + ")");
}

} // namespace edgec::target
