// Static input shapes for generated code (see StaticInputs.h).
#include "targets/common/StaticInputs.h"

namespace edgec::target {

Status fixStaticInputs(Model &m, std::vector<std::string> &notes) {
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
  return Status::ok();
}

} // namespace edgec::target
