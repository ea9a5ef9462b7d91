#include "ir/Annotations.h"

#include <cstring>

namespace edgec {

bool hasFusedActivation(const Node &n) {
  return n.attr(kFusedActivationAttr) != nullptr;
}

bool isQuantizedNode(const Node &n) {
  if (!n.domain.empty() || n.outputs.empty() || !n.outputs[0]) return false;
  const Value &v = *n.outputs[0];
  if (!v.quant) return false;
  // The Q/DQ ops carry their own parameters as inputs.
  if (n.opType == "QuantizeLinear" || n.opType == "DequantizeLinear" ||
      n.opType == "DynamicQuantizeLinear")
    return false;
  DataType t = v.type.dtype;
  return t == DataType::Int8 || t == DataType::UInt8 || t == DataType::Int16 ||
         t == DataType::Int32;
}

bool isChannelsLast(const Node &n) {
  const Attribute *a = n.attr(kLayoutAttr);
  return a && a->kind == Attribute::Kind::String && a->s == "NHWC";
}

bool isFusibleActivation(const std::string &op) {
  return op == "Relu" || op == "Clip" || op == "LeakyRelu" ||
         op == "HardSwish" || op == "HardSigmoid" || op == "Sigmoid" ||
         op == "Tanh";
}

Expected<Node> fusedActivationNode(const Node &n) {
  const Attribute *a = n.attr(kFusedActivationAttr);
  assert(a && "fusedActivationNode without annotation");
  if (a->kind != Attribute::Kind::String || !isFusibleActivation(a->s))
    return Error(ErrorCode::InvalidModel,
                 n.label() + ": unknown fused activation '" + a->s + "'");
  Node act;
  act.name = n.name + "/activation";
  act.opType = a->s;
  // Clip with attribute bounds is the opset-6 form; the others have had the
  // same semantics since their latest change (HardSwish appeared in 14).
  act.opsetVersion = a->s == "Clip" ? 6 : 14;
  static const char *const kParams[] = {"alpha", "beta", "min", "max"};
  for (const char *p : kParams) {
    const Attribute *pa = n.attr(std::string(kFusedActivationAttr) + "." + p);
    if (!pa) continue;
    if (pa->kind != Attribute::Kind::Float)
      return Error(ErrorCode::InvalidModel,
                   n.label() + ": fused activation parameter '" + p +
                       "' must be a float");
    act.attrs[p] = *pa;
  }
  return act;
}

std::vector<int64_t> toChannelsLastPerm(size_t rank) {
  std::vector<int64_t> p{0};
  for (size_t i = 2; i < rank; ++i) p.push_back((int64_t)i);
  p.push_back(1);
  return p;
}

std::vector<int64_t> toChannelsFirstPerm(size_t rank) {
  std::vector<int64_t> p{0, (int64_t)rank - 1};
  for (size_t i = 1; i + 1 < rank; ++i) p.push_back((int64_t)i);
  return p;
}

Tensor permuteTensor(const Tensor &t, const std::vector<int64_t> &perm) {
  assert(perm.size() == t.rank() && "permuteTensor: rank mismatch");
  TensorShape outShape(t.rank());
  for (size_t i = 0; i < t.rank(); ++i) outShape[i] = t.dim((size_t)perm[i]);
  Tensor out(t.dtype(), outShape);
  size_t es = dataTypeSize(t.dtype());
  std::vector<int64_t> inStrides = stridesOf(t.shape());
  std::vector<int64_t> idx(t.rank(), 0);
  const auto *src = static_cast<const unsigned char *>(t.raw());
  auto *dst = static_cast<unsigned char *>(out.raw());
  for (int64_t o = 0; o < out.numElements(); ++o) {
    int64_t off = 0;
    for (size_t i = 0; i < idx.size(); ++i)
      off += idx[i] * inStrides[(size_t)perm[i]];
    std::memcpy(dst + (size_t)o * es, src + (size_t)off * es, es);
    for (size_t i = idx.size(); i-- > 0;) {
      if (++idx[i] < outShape[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

TensorType permuteType(const TensorType &t, const std::vector<int64_t> &perm) {
  if (!t.hasRank || t.rank() != perm.size()) return TensorType(t.dtype);
  std::vector<Dim> d(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) d[i] = t.dims[(size_t)perm[i]];
  return TensorType(t.dtype, d);
}

} // namespace edgec
