// Linear-algebra kernels beyond plain matrix products: Einsum and Det.
#include "interp/KernelUtil.h"
#include "shape/ops/Linalg.h"

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

} // namespace

void registerLinalgKernels(KernelRegistry &r) {
  r.add("Einsum", runEinsum);
  r.add("Det", runDet);
}

} // namespace edgec
