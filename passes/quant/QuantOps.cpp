#include "passes/quant/QuantOps.h"

#include "ir/Annotations.h"
#include "qmath/LookupTable.h"

#include <map>

namespace edgec {

const QuantOpInfo *quantOpInfo(const std::string &opType) {
  using O = QuantOutput;
  static const std::map<std::string, QuantOpInfo> kOps = [] {
    std::map<std::string, QuantOpInfo> m;
    for (const char *op : {"Conv", "Gemm", "MatMul", "Add", "Sub", "Mul", "Max",
                           "Min", "Concat", "AveragePool", "GlobalAveragePool",
                           "ReduceMean", "Relu", "Clip", "LeakyRelu"})
      m[op] = {O::Calibrated, true, false};
    for (const char *op : {"MaxPool", "GlobalMaxPool", "Reshape", "Flatten",
                           "Squeeze", "Unsqueeze", "Transpose", "Identity",
                           "Slice", "Pad"})
      m[op] = {O::SameAsInput, true, false};
    m["Resize"] = {O::SameAsInput, false, false};
    m["HardSwish"] = {O::Calibrated, false, false};
    m["Softmax"] = {O::Fixed, false, false};
    m["Sigmoid"] = {O::Fixed, true, false};
    m["Tanh"] = {O::Fixed, true, false};
    for (const char *op : qmath::kLookupTableOps)
      m[op] = {O::Calibrated, true, true};
    return m;
  }();
  auto it = kOps.find(opType);
  return it == kOps.end() ? nullptr : &it->second;
}

QuantInput quantInputRole(const Node &n, size_t i) {
  const std::string &op = n.opType;
  if (op == "Conv" || op == "Gemm")
    return i == 0 ? QuantInput::Data
                  : i == 1 ? QuantInput::Weight : QuantInput::Bias;
  if (op == "MatMul") {
    const Value *b = n.input(1);
    return i == 1 && b && b->constant ? QuantInput::Weight : QuantInput::Data;
  }
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Max" ||
      op == "Min" || op == "Concat")
    return QuantInput::Data;
  return i == 0 ? QuantInput::Data : QuantInput::Param;
}

QuantParams fixedOutputParams(const std::string &opType, DataType t) {
  QuantParams q;
  if (t == DataType::Int16) {
    q.scale = {1.0f / 32768};
    q.zeroPoint = {0};
  } else if (opType == "Tanh") {
    q.scale = {1.0f / 128};
    q.zeroPoint = {0};
  } else {
    q.scale = {1.0f / 256};
    q.zeroPoint = {-128};
  }
  return q;
}

std::set<std::string> floatNodes(const Model &m) {
  std::set<std::string> out;
  auto it = m.metadata.find(kFloatNodesMetadata);
  if (it == m.metadata.end()) return out;
  size_t start = 0;
  const std::string &v = it->second;
  while (start <= v.size()) {
    size_t e = v.find('\n', start);
    if (e == std::string::npos) e = v.size();
    if (e > start) out.insert(v.substr(start, e - start));
    start = e + 1;
  }
  return out;
}

bool fusedActivationQuantizable(const Node &n) {
  const Attribute *a = n.attr(kFusedActivationAttr);
  if (!a) return true;
  if (a->kind != Attribute::Kind::String) return false;
  if (a->s == "Relu" || a->s == "Clip") return true;
  return a->s == "LeakyRelu" &&
         (n.opType == "Conv" || n.opType == "Gemm" || n.opType == "MatMul");
}

bool quantizableShape(const Graph &g, const Node &n) {
  const Value *y = n.outputs.empty() ? nullptr : n.outputs[0];
  if (!y || y->type.dtype != DataType::Float32) return false;
  for (size_t o = 1; o < n.outputs.size(); ++o)
    if (n.outputs[o] &&
        (!g.usersOf(n.outputs[o]).empty() || g.isGraphOutput(n.outputs[o])))
      return false;
  return fusedActivationQuantizable(n);
}

int weightChannelAxis(const Node &n, size_t i, size_t rank) {
  (void)i;
  if (n.opType == "Gemm") {
    const Attribute *t = n.attr("transB");
    return t && t->kind == Attribute::Kind::Int && t->i != 0 ? 0 : 1;
  }
  if (n.opType == "MatMul") return rank == 0 ? 0 : (int)rank - 1;
  return 0;
}

} // namespace edgec
