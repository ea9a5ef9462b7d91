#include "shape/Inference.h"

namespace edgec {

#define EDGEC_OP_FAMILY(Name) void register##Name##Inference(InferRegistry &);
#include "shape/ops/Families.def"
#undef EDGEC_OP_FAMILY

void InferRegistry::add(std::string opType, InferFn infer) {
  auto key = std::make_pair(std::string(), std::move(opType));
  assert(!fns_.count(key) && "inference registered twice");
  fns_.emplace(std::move(key), std::move(infer));
}

void InferRegistry::add(std::string opType, size_t required, InferFn infer) {
  add(std::move(opType), [required, infer](InferContext &ctx) -> Status {
    EDGEC_TRY(requireInputs(ctx, required));
    return infer(ctx);
  });
}

const InferFn *InferRegistry::find(const std::string &domain,
                                   const std::string &opType) const {
  const std::string &d = domain == "ai.onnx" ? std::string() : domain;
  auto it = fns_.find({d, opType});
  return it == fns_.end() ? nullptr : &it->second;
}

const InferRegistry &InferRegistry::builtin() {
  static const InferRegistry reg = [] {
    InferRegistry r;
#define EDGEC_OP_FAMILY(Name) register##Name##Inference(r);
#include "shape/ops/Families.def"
#undef EDGEC_OP_FAMILY
    return r;
  }();
  return reg;
}

} // namespace edgec
