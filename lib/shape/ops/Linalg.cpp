// Shape and type inference of the Linalg family (kernels:
// interp/kernels/Linalg.cpp).
#include "shape/ops/Linalg.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <type_traits>

namespace edgec {

Expected<std::vector<int>> parseTerm(const NodeContext &ctx,
                                     const std::string &term, int64_t rank,
                                     int64_t ellRank, bool isOutput) {
  std::vector<int> labels;
  bool seenEll = false;
  int64_t letters = 0;
  for (size_t i = 0; i < term.size(); ++i)
    if (std::isalpha((unsigned char)term[i]))
      ++letters;
  for (size_t i = 0; i < term.size(); ++i) {
    char ch = term[i];
    if (ch == '.') {
      if (seenEll || term.compare(i, 3, "...") != 0)
        return ctx.error("malformed ellipsis in einsum equation");
      seenEll = true;
      i += 2;
      int64_t n = isOutput ? ellRank : rank - letters;
      if (n < 0 || n > ellRank)
        return ctx.error("einsum term '" + term + "' does not match rank " +
                         std::to_string(rank));
      // Ellipsis dims are right-aligned across operands.
      for (int64_t d = ellRank - n; d < ellRank; ++d)
        labels.push_back(256 + (int)d);
    } else if (std::isalpha((unsigned char)ch)) {
      labels.push_back((unsigned char)ch);
    } else {
      return ctx.error(std::string("invalid character '") + ch +
                       "' in einsum equation");
    }
  }
  if (!isOutput && !seenEll && (int64_t)labels.size() != rank)
    return ctx.error("einsum term '" + term + "' does not match rank " +
                     std::to_string(rank));
  return labels;
}

Expected<EinsumSpec> parseEinsum(const NodeContext &ctx, std::string eq,
                                 const std::vector<TensorShape> &shapes) {
  eq.erase(std::remove(eq.begin(), eq.end(), ' '), eq.end());
  std::string lhs = eq, rhs;
  bool explicitOut = false;
  size_t arrow = eq.find("->");
  if (arrow != std::string::npos) {
    lhs = eq.substr(0, arrow);
    rhs = eq.substr(arrow + 2);
    explicitOut = true;
  }
  std::vector<std::string> terms;
  size_t start = 0;
  while (true) {
    size_t comma = lhs.find(',', start);
    terms.push_back(lhs.substr(start, comma - start));
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  if (terms.size() != shapes.size())
    return ctx.error("einsum equation has " + std::to_string(terms.size()) +
                     " operands but the node has " +
                     std::to_string(shapes.size()) + " inputs");
  // Rank covered by the ellipsis: the max over operands.
  int64_t ellRank = 0;
  for (size_t i = 0; i < terms.size(); ++i) {
    int64_t letters = 0;
    for (char ch : terms[i])
      letters += std::isalpha((unsigned char)ch) ? 1 : 0;
    if (terms[i].find("...") != std::string::npos)
      ellRank = std::max(ellRank, (int64_t)shapes[i].size() - letters);
  }
  EinsumSpec spec;
  std::map<int, int> counts;
  for (size_t i = 0; i < terms.size(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(
        auto labels,
        parseTerm(ctx, terms[i], (int64_t)shapes[i].size(), ellRank, false));
    for (size_t d = 0; d < labels.size(); ++d) {
      int64_t size = shapes[i][d];
      auto it = spec.sizes.find(labels[d]);
      if (it == spec.sizes.end() || it->second == 1)
        spec.sizes[labels[d]] = size;
      else if (size != it->second && !(labels[d] >= 256 && size == 1))
        return ctx.error("einsum dimension sizes differ for a label",
                         ErrorCode::InvalidInput);
      ++counts[labels[d]];
    }
    spec.inputs.push_back(std::move(labels));
  }
  if (explicitOut) {
    EDGEC_ASSIGN_OR_RETURN(spec.output,
                           parseTerm(ctx, rhs, 0, ellRank, true));
    for (int l : spec.output)
      if (!spec.sizes.count(l))
        return ctx.error("einsum output label does not occur in the inputs");
  } else {
    for (int64_t d = 0; d < ellRank; ++d)
      spec.output.push_back(256 + (int)d);
    for (auto [l, c] : counts)
      if (l < 256 && c == 1)
        spec.output.push_back(l);
  }
  return spec;
}

namespace {

Status inferEinsum(InferContext &ctx) {
  if (ctx.outputs.empty() || !ctx.hasInput(0))
    return Status::ok();
  std::vector<TensorShape> shapes;
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    if (!ctx.hasInput(i) || !ctx.inputType(i).isStatic()) {
      ctx.outputs[0] = TensorType(ctx.inputType(0).dtype);
      return Status::ok();
    }
    shapes.push_back(ctx.inputType(i).staticShape());
  }
  EDGEC_ASSIGN_OR_RETURN(
      EinsumSpec spec,
      parseEinsum(ctx, ctx.attrString("equation", ""), shapes));
  TensorShape out;
  for (int l : spec.output)
    out.push_back(spec.sizes[l]);
  ctx.outputs[0] = TensorType(ctx.inputType(0).dtype, out);
  return Status::ok();
}

Status inferDet(InferContext &ctx) {
  if (ctx.outputs.empty() || !ctx.hasInput(0))
    return Status::ok();
  const TensorType &x = ctx.inputType(0);
  if (!x.hasRank) {
    ctx.outputs[0] = TensorType(x.dtype);
    return Status::ok();
  }
  if (x.rank() < 2)
    return ctx.error("det needs an input of rank >= 2");
  ctx.outputs[0] = TensorType(
      x.dtype, std::vector<Dim>(x.dims.begin(), x.dims.end() - 2));
  return Status::ok();
}

} // namespace

void registerLinalgInference(InferRegistry &r) {
  r.add("Einsum", inferEinsum);
  r.add("Det", inferDet);
}

} // namespace edgec
