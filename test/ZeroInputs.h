// Zero-valued inputs for running a model in tests whose point is not the
// input values (bad-model cases, "imports and runs" checks).
#pragma once

#include "ir/Graph.h"

#include <map>
#include <string>

namespace edgec::test {

/// Zero tensors of each non-initializer graph input's declared type
/// (unknown dims become 1, an undefined element type float32).
inline std::map<std::string, Tensor> zeroInputs(const Model &m) {
  std::map<std::string, Tensor> r;
  for (const Value *v : m.graph->inputs) {
    if (v->isInitializer()) continue;
    TensorShape s;
    for (const Dim &d : v->type.dims) s.push_back(d.isStatic() ? d.value : 1);
    DataType dt = v->type.dtype == DataType::Undefined ? DataType::Float32 : v->type.dtype;
    r[v->name] = Tensor(dt, s);
  }
  return r;
}

} // namespace edgec::test
