// The explicit list of GPU kernel families, and the checks they share.
#include "targets/gpu/lower/GpuLowering.h"

#include <cctype>

namespace edgec::gpu {

KernelDesc GpuLowerContext::newKernel(const std::string &family) const {
  KernelDesc k;
  std::string op;
  for (char c : node().opType) op += char(std::tolower(static_cast<unsigned char>(c)));
  k.name = "k" + std::to_string(index()) + "_" + op;
  k.family = family;
  k.fused.push_back(node().opType);
  if (const Attribute *a = node().attr(kFusedActivationAttr); a && a->kind == Attribute::Kind::String)
    k.fused.push_back(a->s);
  return k;
}

void GpuLowerContext::launch(KernelDesc k, std::vector<Operand> operands) {
  std::string name = k.name;
  setKernel(k.family);
  sink_.push_back(std::move(k));
  call(name, std::move(operands));
}

const std::vector<GpuLowering> &allGpuLowerings() {
  static const std::vector<GpuLowering> all = [] {
    std::vector<GpuLowering> v;
    registerConv(v);
    registerGemm(v);
    registerPool(v);
    registerElementwise(v);
    registerSoftmax(v);
    registerData(v);
    registerReduce(v);
    registerSelect(v);
    return v;
  }();
  return all;
}

const GpuLowering *findGpuLowering(const Node &n) {
  if (!n.domain.empty()) return nullptr;
  for (const GpuLowering &l : allGpuLowerings())
    if (l.opType == n.opType) return &l;
  return nullptr;
}

std::string checkFloatNode(const Node &n, size_t inputsToCheck) {
  auto one = [](const Value *v, const std::string &what) -> std::string {
    if (!v) return "";
    if (v->type.dtype != DataType::Float32)
      return what + " '" + v->name + "' is " + v->type.str() + " (only float32 so far)";
    if (v->type.hasRank && v->type.isStatic()) {
      int64_t count = 1;
      for (int64_t d : v->type.staticShape()) count = d > 0 && count > INT32_MAX / d ? INT64_MAX : count * d;
      if (count > INT32_MAX) return what + " '" + v->name + "' has more than 2^31-1 elements";
    }
    return "";
  };
  for (size_t i = 0; i < n.inputs.size() && i < inputsToCheck; ++i)
    if (std::string w = one(n.inputs[i], "input"); !w.empty()) return w;
  for (size_t i = 0; i < n.outputs.size(); ++i)
    if (std::string w = one(n.outputs[i], "output"); !w.empty()) return w;
  if (isQuantizedNode(n)) return "quantized values (int8 is not generated yet)";
  if (n.attr(kLayoutAttr)) return "a layout annotation (the GPU target keeps NCHW)";
  return checkActivation(n);
}

Expected<WindowGeometry> windowOfNchw(const Node &n, const std::vector<int64_t> &kernel) {
  std::vector<int64_t> xd = staticDims(*n.inputs.at(0));
  if (xd.size() < 3) return Error(ErrorCode::Unsupported, "the input has no spatial dims");
  WindowRules rules;
  rules.ceilMode = n.opType == "MaxPool" || n.opType == "AveragePool";
  return slidingWindow(NodeContext(n), std::vector<int64_t>(xd.begin() + 2, xd.end()), kernel,
                       rules);
}

} // namespace edgec::gpu
