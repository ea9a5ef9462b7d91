#include "interp/Kernel.h"

namespace edgec {

#define EDGEC_OP_FAMILY(Name) void register##Name##Kernels(KernelRegistry &);
#define EDGEC_INTEGER_KERNEL_FAMILY(Name) EDGEC_OP_FAMILY(Name)
#include "interp/kernels/quant/Families.def"
#include "shape/ops/Families.def"
#undef EDGEC_INTEGER_KERNEL_FAMILY
#undef EDGEC_OP_FAMILY

void KernelRegistry::add(OpKernel k) {
  auto key = std::make_pair(k.domain, k.opType);
  assert(!kernels_.count(key) && "kernel registered twice");
  kernels_.emplace(std::move(key), std::move(k));
}

const OpKernel *KernelRegistry::find(const std::string &domain,
                                     const std::string &opType) const {
  const std::string &d = domain == "ai.onnx" ? std::string() : domain;
  auto it = kernels_.find({d, opType});
  return it == kernels_.end() ? nullptr : &it->second;
}

std::vector<std::string> KernelRegistry::opNames() const {
  std::vector<std::string> r;
  for (const auto &[k, v] : kernels_)
    r.push_back(k.first.empty() ? k.second : k.first + "." + k.second);
  return r;
}

const KernelRegistry &KernelRegistry::builtin() {
  static const KernelRegistry reg = [] {
    KernelRegistry r;
#define EDGEC_OP_FAMILY(Name) register##Name##Kernels(r);
#define EDGEC_INTEGER_KERNEL_FAMILY(Name) EDGEC_OP_FAMILY(Name)
#include "shape/ops/Families.def"
#include "interp/kernels/quant/Families.def"
#undef EDGEC_INTEGER_KERNEL_FAMILY
#undef EDGEC_OP_FAMILY
    return r;
  }();
  return reg;
}

} // namespace edgec
