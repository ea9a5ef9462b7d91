#include "ir/Type.h"

namespace edgec {

std::string Dim::str() const {
  if (isStatic()) return std::to_string(value);
  if (!symbol.empty()) return symbol;
  return "?";
}

TensorType::TensorType(DataType t, const TensorShape &shape)
    : dtype(t), hasRank(true) {
  for (int64_t d : shape)
    dims.push_back(Dim::fixed(d));
}

bool TensorType::isStatic() const {
  if (!hasRank) return false;
  for (const Dim &d : dims)
    if (!d.isStatic()) return false;
  return true;
}

TensorShape TensorType::staticShape() const {
  assert(isStatic() && "staticShape() on a non-static type");
  TensorShape s;
  for (const Dim &d : dims) s.push_back(d.value);
  return s;
}

std::string TensorType::str() const {
  std::string r(dataTypeName(dtype));
  if (!hasRank) return r + "[*]";
  r += "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i) r += ",";
    r += dims[i].str();
  }
  return r + "]";
}

} // namespace edgec
