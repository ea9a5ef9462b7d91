// Shape rules of the Linalg family that its kernels
// (interp/kernels/Linalg.cpp) share with its inference.
#pragma once

#include "shape/InferUtil.h"

#include <map>
#include <string>
#include <vector>

namespace edgec {

/// A parsed Einsum equation.
struct EinsumSpec {
  // Labels of each input and of the output; ellipsis dims get labels >= 256.
  std::vector<std::vector<int>> inputs;
  std::vector<int> output;
  std::map<int, int64_t> sizes;
};

/// The labels of one term of the equation.
Expected<std::vector<int>> parseTerm(const NodeContext &ctx,
                                     const std::string &term, int64_t rank,
                                     int64_t ellRank, bool isOutput);

/// Parses and checks an equation against the input shapes.
Expected<EinsumSpec> parseEinsum(const NodeContext &ctx, std::string eq,
                                 const std::vector<TensorShape> &shapes);

} // namespace edgec
