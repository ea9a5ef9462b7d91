// Linear-algebra kernels beyond plain matrix products: Einsum and Det.
#include "interp/KernelUtil.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <type_traits>

namespace edgec {
namespace {

/// a * b + acc with wrap-around for integers (no signed-overflow UB).
template <typename T> T mulAdd(T acc, T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::conditional_t<(sizeof(T) < 4), uint32_t,
                                 std::make_unsigned_t<T>>;
    return T(U(acc) + U(a) * U(b));
  } else {
    return acc + a * b;
  }
}

//===----------------------------------------------------------------------===//
// Einsum
//===----------------------------------------------------------------------===//

struct EinsumSpec {
  // Labels of each input and of the output; ellipsis dims get labels >= 256.
  std::vector<std::vector<int>> inputs;
  std::vector<int> output;
  std::map<int, int64_t> sizes;
};

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

Status runEinsum(KernelContext &ctx) {
  std::vector<TensorShape> shapes;
  DataType dt = DataType::Undefined;
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    if (!ctx.hasInput(i))
      return ctx.error("einsum inputs cannot be omitted");
    shapes.push_back(ctx.input(i).shape());
    if (i == 0)
      dt = ctx.input(i).dtype();
    else if (ctx.input(i).dtype() != dt)
      return ctx.error("einsum input types differ");
  }
  if (shapes.empty())
    return ctx.error("einsum needs at least one input");
  if (isStorageOnlyType(dt))
    return ctx.unsupported("einsum on " + std::string(dataTypeName(dt)));
  EDGEC_ASSIGN_OR_RETURN(
      EinsumSpec spec,
      parseEinsum(ctx, ctx.attrString("equation", ""), shapes));
  // Loop labels: output labels first, then the summed ones.
  std::vector<int> loop = spec.output;
  for (auto &[l, s] : spec.sizes)
    if (std::find(loop.begin(), loop.end(), l) == loop.end())
      loop.push_back(l);
  TensorShape outShape;
  for (int l : spec.output)
    outShape.push_back(spec.sizes[l]);
  EDGEC_ASSIGN_OR_RETURN(int64_t outCount,
                         checkedNumElements(outShape, int64_t(1) << 31));
  TensorShape loopShape;
  for (int l : loop)
    loopShape.push_back(spec.sizes[l]);
  EDGEC_ASSIGN_OR_RETURN(int64_t work,
                         checkedNumElements(loopShape, int64_t(1) << 30));
  // Stride of each loop variable in each input (0 when absent or broadcast).
  std::vector<std::vector<int64_t>> strides(shapes.size());
  for (size_t i = 0; i < shapes.size(); ++i) {
    std::vector<int64_t> s = stridesOf(shapes[i]);
    strides[i].assign(loop.size(), 0);
    for (size_t d = 0; d < spec.inputs[i].size(); ++d) {
      size_t li = (size_t)(std::find(loop.begin(), loop.end(),
                                     spec.inputs[i][d]) -
                           loop.begin());
      if (shapes[i][d] != 1)
        strides[i][li] += s[d];
    }
  }
  Tensor y(dt, outShape);
  int64_t sumCount = outCount ? work / outCount : 0;
  dispatchType(dt, [&](auto tag) {
    using T = decltype(tag);
    using Acc = std::conditional_t<std::is_integral_v<T>, T, double>;
    std::vector<const T *> in;
    for (size_t i = 0; i < shapes.size(); ++i)
      in.push_back(ctx.input(i).template data<T>());
    T *py = y.data<T>();
    std::vector<int64_t> idx(loop.size(), 0);
    std::vector<int64_t> off(shapes.size(), 0);
    for (int64_t o = 0; o < outCount; ++o) {
      Acc acc = Acc(0);
      for (int64_t s = 0; s < sumCount; ++s) {
        Acc prod = Acc(1);
        for (size_t i = 0; i < in.size(); ++i) {
          if constexpr (std::is_same_v<T, bool>)
            prod = prod && in[i][off[i]];
          else
            prod = mulAdd(Acc(0), prod, Acc(in[i][off[i]]));
        }
        if constexpr (std::is_same_v<T, bool>)
          acc = acc || prod;
        else
          acc = mulAdd(acc, prod, Acc(1));
        // Advance the odometer (last loop label fastest).
        for (size_t d = loop.size(); d-- > 0;) {
          for (size_t i = 0; i < in.size(); ++i)
            off[i] += strides[i][d];
          if (++idx[d] < loopShape[d])
            break;
          for (size_t i = 0; i < in.size(); ++i)
            off[i] -= strides[i][d] * loopShape[d];
          idx[d] = 0;
        }
      }
      py[o] = T(acc);
    }
  });
  ctx.outputs[0] = y;
  return Status::ok();
}

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

//===----------------------------------------------------------------------===//
// Det
//===----------------------------------------------------------------------===//

Status runDet(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  if (x.rank() < 2 || x.dim(x.rank() - 1) != x.dim(x.rank() - 2))
    return ctx.error("det needs [*, M, M] input, got " + describe(x),
                     ErrorCode::InvalidInput);
  if (!isFloatType(x.dtype()))
    return ctx.error("det needs a float input");
  int64_t n = x.dim(x.rank() - 1);
  TensorShape outShape(x.shape().begin(), x.shape().end() - 2);
  Tensor y(x.dtype(), outShape);
  int64_t batches = y.numElements();
  std::vector<double> lu((size_t)(n * n));
  for (int64_t b = 0; b < batches; ++b) {
    for (int64_t i = 0; i < n * n; ++i)
      lu[(size_t)i] = x.getDouble(b * n * n + i);
    // LU decomposition with partial pivoting.
    double det = 1.0;
    for (int64_t c = 0; c < n; ++c) {
      int64_t piv = c;
      for (int64_t r = c + 1; r < n; ++r)
        if (std::fabs(lu[(size_t)(r * n + c)]) >
            std::fabs(lu[(size_t)(piv * n + c)]))
          piv = r;
      if (lu[(size_t)(piv * n + c)] == 0.0) {
        det = 0.0;
        break;
      }
      if (piv != c) {
        for (int64_t j = 0; j < n; ++j)
          std::swap(lu[(size_t)(c * n + j)], lu[(size_t)(piv * n + j)]);
        det = -det;
      }
      double d = lu[(size_t)(c * n + c)];
      det *= d;
      for (int64_t r = c + 1; r < n; ++r) {
        double f = lu[(size_t)(r * n + c)] / d;
        for (int64_t j = c; j < n; ++j)
          lu[(size_t)(r * n + j)] -= f * lu[(size_t)(c * n + j)];
      }
    }
    y.setDouble(b, det);
  }
  ctx.outputs[0] = y;
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

void registerLinalgKernels(KernelRegistry &r) {
  r.add("Einsum", runEinsum, inferEinsum);
  r.add("Det", runDet, inferDet);
}

} // namespace edgec
