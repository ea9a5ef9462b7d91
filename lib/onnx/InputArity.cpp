#include "onnx/InputArity.h"

#include <onnx/defs/schema.h>

#include <algorithm>

namespace edgec {

Status checkRequiredInputs(const Graph &g) {
  for (const auto &n : g.nodes()) {
    const std::string domain = n->domain.empty() ? std::string("") : n->domain;
    int version = (int)std::clamp<int64_t>(n->opsetVersion, 1, 100000);
    const onnx::OpSchema *s =
        onnx::OpSchemaRegistry::Schema(n->opType, version, domain);
    // libonnx knows opsets <= 17: inputs that later versions made optional.
    bool newerOptional = n->domain.empty() && n->opsetVersion >= 18 &&
                         n->opType == "OptionalHasElement";
    if (s && !newerOptional) {
      const auto &formals = s->inputs();
      for (size_t i = 0; i < formals.size(); ++i) {
        auto opt = formals[i].GetOption();
        if (opt == onnx::OpSchema::Optional) continue;
        bool variadic = opt == onnx::OpSchema::Variadic;
        bool present = i < n->inputs.size() && n->inputs[i] != nullptr;
        if (variadic && i >= n->inputs.size() && s->min_input() <= (int)i)
          continue;
        if (!present)
          return Error(ErrorCode::InvalidModel,
                       n->label() + ": required input " + std::to_string(i) +
                           " ('" + formals[i].GetName() + "') is missing");
      }
    }
    for (Graph *sg : n->subgraphs()) EDGEC_TRY(checkRequiredInputs(*sg));
  }
  return Status::ok();
}

} // namespace edgec
