// Matrix-product kernels: MatMul, Gemm, MatMulInteger and QLinearMatMul,
// plus the shared float GEMM (GemmCore.h) used by Conv. (Einsum and Det are
// in Linalg.cpp.)
#include "interp/KernelUtil.h"
#include "interp/kernels/GemmCore.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

namespace edgec {

//===----------------------------------------------------------------------===//
// Float GEMM core
//===----------------------------------------------------------------------===//

namespace {

// Register tile (kMR x kNR accumulators) and cache blocks. A and B blocks are
// packed so the micro-kernel reads both contiguously; the tile loops have
// constant trip counts so the compiler keeps the tile in vector registers.
constexpr int64_t kMR = 4, kNR = 16, kKC = 256, kMC = 96, kNC = 2048;

void microKernel(int64_t kc, const float *a, const float *b, float *c,
                 int64_t ldc, int64_t mr, int64_t nr, bool add) {
  float acc[kMR][kNR] = {};
  for (int64_t k = 0; k < kc; ++k) {
    const float *ak = a + k * kMR;
    const float *bk = b + k * kNR;
#pragma GCC unroll 16
    for (int r = 0; r < kMR; ++r)
#pragma GCC unroll 16
      for (int j = 0; j < kNR; ++j)
        acc[r][j] += ak[r] * bk[j];
  }
  for (int64_t r = 0; r < mr; ++r) {
    float *cr = c + r * ldc;
    if (add)
      for (int64_t j = 0; j < nr; ++j)
        cr[j] += acc[r][j];
    else
      for (int64_t j = 0; j < nr; ++j)
        cr[j] = acc[r][j];
  }
}

} // namespace

void gemmF32(int64_t m, int64_t n, int64_t k, MatrixView a, MatrixView b,
             float *c, int64_t ldc, bool accumulate) {
  if (m <= 0 || n <= 0)
    return;
  if (k <= 0) {
    if (!accumulate)
      for (int64_t i = 0; i < m; ++i)
        std::fill(c + i * ldc, c + i * ldc + n, 0.0f);
    return;
  }
  std::vector<float> bp((size_t)(kKC * (kNC + kNR)));
  std::vector<float> ap((size_t)(kKC * (kMC + kMR)));
  for (int64_t jc = 0; jc < n; jc += kNC) {
    int64_t nc = std::min(kNC, n - jc);
    for (int64_t pc = 0; pc < k; pc += kKC) {
      int64_t kc = std::min(kKC, k - pc);
      // Pack B[pc:pc+kc, jc:jc+nc] as column panels of kNR (zero padded).
      for (int64_t jp = 0; jp < nc; jp += kNR) {
        float *dst = bp.data() + jp * kc;
        int64_t nr = std::min(kNR, nc - jp);
        for (int64_t kk = 0; kk < kc; ++kk) {
          const float *src =
              b.data + (pc + kk) * b.rowStride + (jc + jp) * b.colStride;
          float *d = dst + kk * kNR;
          if (b.colStride == 1)
            std::memcpy(d, src, (size_t)nr * sizeof(float));
          else
            for (int64_t j = 0; j < nr; ++j)
              d[j] = src[j * b.colStride];
          std::fill(d + nr, d + kNR, 0.0f);
        }
      }
      for (int64_t ic = 0; ic < m; ic += kMC) {
        int64_t mc = std::min(kMC, m - ic);
        // Pack A[ic:ic+mc, pc:pc+kc] as row panels of kMR (zero padded).
        for (int64_t ip = 0; ip < mc; ip += kMR) {
          float *dst = ap.data() + ip * kc;
          int64_t mr = std::min(kMR, mc - ip);
          for (int64_t kk = 0; kk < kc; ++kk) {
            float *d = dst + kk * kMR;
            for (int64_t r = 0; r < mr; ++r)
              d[r] = a.data[(ic + ip + r) * a.rowStride +
                            (pc + kk) * a.colStride];
            for (int64_t r = mr; r < kMR; ++r)
              d[r] = 0.0f;
          }
        }
        bool add = accumulate || pc > 0;
        for (int64_t jp = 0; jp < nc; jp += kNR)
          for (int64_t ip = 0; ip < mc; ip += kMR)
            microKernel(kc, ap.data() + ip * kc, bp.data() + jp * kc,
                        c + (ic + ip) * ldc + jc + jp, ldc,
                        std::min(kMR, mc - ip), std::min(kNR, nc - jp), add);
      }
    }
  }
}

const float *floatData(const Tensor &t, std::vector<float> &storage) {
  if (t.dtype() == DataType::Float32)
    return t.data<float>();
  storage.resize((size_t)t.numElements());
  dispatchType(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16> ||
                  std::is_same_v<T, double>) {
      const T *p = t.data<T>();
      for (size_t i = 0; i < storage.size(); ++i)
        storage[i] = (float)p[i];
    } else {
      for (size_t i = 0; i < storage.size(); ++i)
        storage[i] = (float)t.getDouble((int64_t)i);
    }
  });
  return storage.data();
}

Tensor tensorFromFloats(DataType dtype, TensorShape shape,
                        const std::vector<float> &values) {
  Tensor t(dtype, std::move(shape));
  assert((size_t)t.numElements() == values.size() && "size mismatch");
  dispatchType(dtype, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, Half> ||
                  std::is_same_v<T, BFloat16> || std::is_same_v<T, double>) {
      T *p = t.data<T>();
      for (size_t i = 0; i < values.size(); ++i)
        p[i] = T(values[i]);
    } else {
      for (size_t i = 0; i < values.size(); ++i)
        t.setDouble((int64_t)i, values[i]);
    }
  });
  return t;
}

namespace {

bool isFloatLike(DataType t) { return isFloatType(t); }

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
// MatMul shape logic (numpy matmul: 1-D operands, batch broadcasting)
//===----------------------------------------------------------------------===//

struct MatMulPlan {
  int64_t m = 0, n = 0, k = 0;
  TensorShape outShape;
  std::vector<int64_t> aOff, bOff; // element offsets of each batch's matrices
};

Expected<MatMulPlan> planMatMul(const NodeContext &ctx, const TensorShape &a,
                                const TensorShape &b) {
  if (a.empty() || b.empty())
    return ctx.error("matmul operands must have rank >= 1",
                     ErrorCode::InvalidInput);
  TensorShape sa = a, sb = b;
  if (sa.size() == 1)
    sa.insert(sa.begin(), 1);
  if (sb.size() == 1)
    sb.push_back(1);
  MatMulPlan p;
  p.m = sa[sa.size() - 2];
  p.k = sa.back();
  p.n = sb.back();
  if (sb[sb.size() - 2] != p.k)
    return ctx.error("matmul inner dimensions differ: " + shapeToString(a) +
                         " x " + shapeToString(b),
                     ErrorCode::InvalidInput);
  TensorShape ba(sa.begin(), sa.end() - 2), bb(sb.begin(), sb.end() - 2);
  EDGEC_ASSIGN_OR_RETURN(TensorShape batch, broadcastShapes(ctx, ba, bb));
  EDGEC_ASSIGN_OR_RETURN(int64_t nb, checkedNumElements(batch));
  p.outShape = batch;
  if (a.size() > 1)
    p.outShape.push_back(p.m);
  if (b.size() > 1)
    p.outShape.push_back(p.n);
  EDGEC_ASSIGN_OR_RETURN(int64_t outCount,
                         checkedNumElements(p.outShape, kMaxOutputElements));
  if (outCount == 0)
    nb = 0; // nothing to compute (and no per-batch offsets to store)
  BroadcastIndexer ia(ba, batch), ib(bb, batch);
  p.aOff.resize((size_t)nb);
  p.bOff.resize((size_t)nb);
  for (int64_t i = 0; i < nb; ++i) {
    p.aOff[(size_t)i] = ia.map(i) * p.m * p.k;
    p.bOff[(size_t)i] = ib.map(i) * p.k * p.n;
  }
  return p;
}

//===----------------------------------------------------------------------===//
// MatMul
//===----------------------------------------------------------------------===//

template <typename T>
void matMulGeneric(const MatMulPlan &p, const T *a, const T *b, T *y) {
  for (size_t bi = 0; bi < p.aOff.size(); ++bi) {
    const T *ab = a + p.aOff[bi];
    const T *bb = b + p.bOff[bi];
    T *yb = y + (int64_t)bi * p.m * p.n;
    for (int64_t i = 0; i < p.m; ++i) {
      T *yr = yb + i * p.n;
      for (int64_t j = 0; j < p.n; ++j)
        yr[j] = T(0);
      for (int64_t kk = 0; kk < p.k; ++kk) {
        T av = ab[i * p.k + kk];
        const T *br = bb + kk * p.n;
        for (int64_t j = 0; j < p.n; ++j)
          yr[j] = mulAdd(yr[j], av, br[j]);
      }
    }
  }
}

Status runMatMul(KernelContext &ctx) {
  const Tensor &a = ctx.input(0), &b = ctx.input(1);
  if (a.dtype() != b.dtype())
    return ctx.error("matmul operand types differ");
  if (a.dtype() == DataType::Bool || isStorageOnlyType(a.dtype()))
    return ctx.unsupported("matmul on " +
                           std::string(dataTypeName(a.dtype())));
  EDGEC_ASSIGN_OR_RETURN(MatMulPlan p, planMatMul(ctx, a.shape(), b.shape()));
  DataType dt = a.dtype();
  if (dt == DataType::Float32 || dt == DataType::Float16 ||
      dt == DataType::BFloat16) {
    std::vector<float> sa, sb;
    const float *pa = floatData(a, sa), *pb = floatData(b, sb);
    Tensor y(DataType::Float32, p.outShape);
    float *py = y.data<float>();
    for (size_t bi = 0; bi < p.aOff.size(); ++bi)
      gemmF32(p.m, p.n, p.k, MatrixView{pa + p.aOff[bi], p.k, 1},
              MatrixView{pb + p.bOff[bi], p.n, 1},
              py + (int64_t)bi * p.m * p.n, p.n, false);
    ctx.outputs[0] = dt == DataType::Float32 ? y : y.castTo(dt);
    return Status::ok();
  }
  Tensor y(dt, p.outShape);
  dispatchType(dt, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool> && !std::is_same_v<T, Half> &&
                  !std::is_same_v<T, BFloat16> && !std::is_same_v<T, float>)
      matMulGeneric<T>(p, a.data<T>(), b.data<T>(), y.data<T>());
  });
  ctx.outputs[0] = y;
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// Gemm: Y = alpha * A' * B' + beta * C
//===----------------------------------------------------------------------===//

Status runGemm(KernelContext &ctx) {
  const Tensor &a = ctx.input(0), &b = ctx.input(1);
  if (a.rank() != 2 || b.rank() != 2)
    return ctx.error("gemm operands must be 2-D", ErrorCode::InvalidInput);
  if (a.dtype() != b.dtype() ||
      (ctx.hasInput(2) && ctx.input(2).dtype() != a.dtype()))
    return ctx.error("gemm operand types differ");
  if (a.dtype() == DataType::Bool || isStorageOnlyType(a.dtype()))
    return ctx.unsupported("gemm on " + std::string(dataTypeName(a.dtype())));
  bool ta = ctx.attrInt("transA", 0) != 0, tb = ctx.attrInt("transB", 0) != 0;
  float alpha = ctx.attrFloat("alpha", 1.0f), beta = ctx.attrFloat("beta", 1.0f);
  int64_t m = ta ? a.dim(1) : a.dim(0), k = ta ? a.dim(0) : a.dim(1);
  int64_t kb = tb ? b.dim(1) : b.dim(0), n = tb ? b.dim(0) : b.dim(1);
  if (k != kb)
    return ctx.error("gemm inner dimensions differ: " + describe(a) + " x " +
                         describe(b),
                     ErrorCode::InvalidInput);
  TensorShape outShape{m, n};
  EDGEC_TRY(checkedNumElements(outShape, kMaxOutputElements));
  const Tensor *c = ctx.hasInput(2) ? &ctx.input(2) : nullptr;
  if (c) {
    if (c->rank() > 2)
      return ctx.error("gemm bias C must have rank <= 2",
                       ErrorCode::InvalidInput);
    EDGEC_ASSIGN_OR_RETURN(TensorShape bs,
                           broadcastShapes(ctx, c->shape(), outShape));
    if (bs != outShape)
      return ctx.error("gemm bias " + describe(*c) +
                           " does not broadcast to " + shapeToString(outShape),
                       ErrorCode::InvalidInput);
  }
  DataType dt = a.dtype();
  if (isFloatLike(dt) && dt != DataType::Float64) {
    std::vector<float> sa, sb;
    const float *pa = floatData(a, sa), *pb = floatData(b, sb);
    std::vector<float> y((size_t)(m * n));
    MatrixView va = ta ? MatrixView{pa, 1, m} : MatrixView{pa, k, 1};
    MatrixView vb = tb ? MatrixView{pb, 1, k} : MatrixView{pb, n, 1};
    gemmF32(m, n, k, va, vb, y.data(), n, false);
    std::vector<float> sc;
    const float *pc = c ? floatData(*c, sc) : nullptr;
    BroadcastIndexer ic(c ? c->shape() : TensorShape{}, outShape);
    for (int64_t i = 0; i < m * n; ++i) {
      float v = alpha * y[(size_t)i];
      if (pc && beta != 0.0f)
        v += beta * pc[ic.map(i)];
      y[(size_t)i] = v;
    }
    ctx.outputs[0] = tensorFromFloats(dt, outShape, y);
    return Status::ok();
  }
  Tensor y(dt, outShape);
  dispatchType(dt, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool> && !std::is_same_v<T, Half> &&
                  !std::is_same_v<T, BFloat16> && !std::is_same_v<T, float>) {
      const T *pa = a.data<T>(), *pb = b.data<T>();
      T *py = y.data<T>();
      for (int64_t i = 0; i < m; ++i)
        for (int64_t kk = 0; kk < k; ++kk) {
          T av = ta ? pa[kk * m + i] : pa[i * k + kk];
          for (int64_t j = 0; j < n; ++j)
            py[i * n + j] =
                mulAdd(py[i * n + j], av, tb ? pb[j * k + kk] : pb[kk * n + j]);
        }
      BroadcastIndexer ic(c ? c->shape() : TensorShape{}, outShape);
      for (int64_t i = 0; i < m * n; ++i) {
        if constexpr (std::is_integral_v<T>) {
          // Integer Gemm: alpha/beta applied in double, truncated back.
          double v = alpha * (double)py[i];
          if (c && beta != 0.0f)
            v += beta * c->getDouble(ic.map(i));
          y.setDouble(i, v);
        } else {
          T v = T(alpha) * py[i];
          if (c && beta != 0.0f)
            v += T(beta) * c->data<T>()[ic.map(i)];
          py[i] = v;
        }
      }
    }
  });
  ctx.outputs[0] = y;
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// Integer matmuls: MatMulInteger, QLinearMatMul
//===----------------------------------------------------------------------===//

bool isByteType(DataType t) {
  return t == DataType::UInt8 || t == DataType::Int8;
}

/// Zero point of a quantized matmul operand: a scalar, or one value per row
/// (for A, `perRows` = M) / per column (for B, N). Returns the per-index
/// values (size 1 or the count).
Expected<std::vector<int32_t>> zeroPoints(const KernelContext &ctx, size_t idx,
                                          int64_t count, DataType valueType) {
  if (!ctx.hasInput(idx))
    return std::vector<int32_t>{0};
  const Tensor &z = ctx.input(idx);
  if (z.dtype() != valueType)
    return ctx.error("zero point type differs from its operand's");
  if (z.numElements() != 1 && z.numElements() != count)
    return ctx.error("zero point " + describe(z) +
                         " must be a scalar or have one value per row/column",
                     ErrorCode::InvalidInput);
  std::vector<int32_t> v((size_t)z.numElements());
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = (int32_t)z.getInt64((int64_t)i);
  return v;
}

/// int32 matmul of (A - azp) x (B - bzp) for 8-bit operands.
Expected<Tensor> integerMatMul(const KernelContext &ctx, const Tensor &a,
                               const Tensor &b,
                               const std::vector<int32_t> &azp,
                               const std::vector<int32_t> &bzp,
                               const MatMulPlan &p) {
  if (!isByteType(a.dtype()) || !isByteType(b.dtype()))
    return ctx.unsupported("integer matmul needs int8/uint8 operands");
  Tensor y(DataType::Int32, p.outShape);
  int32_t *py = y.data<int32_t>();
  std::vector<int32_t> av((size_t)(p.m * p.k)), bv((size_t)(p.k * p.n));
  for (size_t bi = 0; bi < p.aOff.size(); ++bi) {
    for (int64_t i = 0; i < p.m; ++i)
      for (int64_t kk = 0; kk < p.k; ++kk)
        av[(size_t)(i * p.k + kk)] =
            (int32_t)a.getInt64(p.aOff[bi] + i * p.k + kk) -
            azp[azp.size() == 1 ? 0 : (size_t)i];
    for (int64_t kk = 0; kk < p.k; ++kk)
      for (int64_t j = 0; j < p.n; ++j)
        bv[(size_t)(kk * p.n + j)] =
            (int32_t)b.getInt64(p.bOff[bi] + kk * p.n + j) -
            bzp[bzp.size() == 1 ? 0 : (size_t)j];
    int32_t *yb = py + (int64_t)bi * p.m * p.n;
    for (int64_t i = 0; i < p.m; ++i)
      for (int64_t kk = 0; kk < p.k; ++kk) {
        int32_t x = av[(size_t)(i * p.k + kk)];
        for (int64_t j = 0; j < p.n; ++j)
          yb[i * p.n + j] =
              mulAdd(yb[i * p.n + j], x, bv[(size_t)(kk * p.n + j)]);
      }
  }
  return y;
}

Status runMatMulInteger(KernelContext &ctx) {
  const Tensor &a = ctx.input(0), &b = ctx.input(1);
  EDGEC_ASSIGN_OR_RETURN(MatMulPlan p, planMatMul(ctx, a.shape(), b.shape()));
  EDGEC_ASSIGN_OR_RETURN(auto azp, zeroPoints(ctx, 2, p.m, a.dtype()));
  EDGEC_ASSIGN_OR_RETURN(auto bzp, zeroPoints(ctx, 3, p.n, b.dtype()));
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0],
                         integerMatMul(ctx, a, b, azp, bzp, p));
  return Status::ok();
}

/// Round half to even, then saturate to the range of `dt` (8-bit types).
int64_t saturateRound(double v, DataType dt) {
  double lo = dt == DataType::UInt8 ? 0 : -128;
  double hi = dt == DataType::UInt8 ? 255 : 127;
  if (std::isnan(v))
    return 0;
  double r = std::nearbyint(v);
  return (int64_t)std::clamp(r, lo, hi);
}

Expected<std::vector<float>> scales(const KernelContext &ctx, size_t idx,
                                    int64_t count) {
  const Tensor &s = ctx.input(idx);
  if (!isFloatType(s.dtype()))
    return ctx.error("scale must be a float tensor");
  if (s.numElements() != 1 && s.numElements() != count)
    return ctx.error("scale " + describe(s) +
                         " must be a scalar or have one value per row/column",
                     ErrorCode::InvalidInput);
  std::vector<float> v((size_t)s.numElements());
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = (float)s.getDouble((int64_t)i);
  return v;
}

Status runQLinearMatMul(KernelContext &ctx) {
  for (size_t i : {0, 1, 3, 4, 6})
    if (!ctx.hasInput(i))
      return ctx.error("missing required input " + std::to_string(i));
  const Tensor &a = ctx.input(0), &b = ctx.input(3);
  EDGEC_ASSIGN_OR_RETURN(MatMulPlan p, planMatMul(ctx, a.shape(), b.shape()));
  EDGEC_ASSIGN_OR_RETURN(auto azp, zeroPoints(ctx, 2, p.m, a.dtype()));
  EDGEC_ASSIGN_OR_RETURN(auto bzp, zeroPoints(ctx, 5, p.n, b.dtype()));
  EDGEC_ASSIGN_OR_RETURN(auto as, scales(ctx, 1, p.m));
  EDGEC_ASSIGN_OR_RETURN(auto bs, scales(ctx, 4, p.n));
  EDGEC_ASSIGN_OR_RETURN(auto ys, scales(ctx, 6, 1));
  DataType yt = ctx.hasInput(7) ? ctx.input(7).dtype() : DataType::UInt8;
  if (!isByteType(yt))
    return ctx.unsupported("qlinearmatmul output must be int8/uint8");
  int64_t yzp = ctx.hasInput(7) && ctx.input(7).numElements() > 0
                    ? ctx.input(7).getInt64(0)
                    : 0;
  EDGEC_ASSIGN_OR_RETURN(Tensor acc, integerMatMul(ctx, a, b, azp, bzp, p));
  Tensor y(yt, p.outShape);
  const int32_t *pa = acc.data<int32_t>();
  int64_t total = acc.numElements();
  for (int64_t i = 0; i < total; ++i) {
    int64_t row = (i / p.n) % p.m, col = i % p.n;
    // Requantize in float, as the ONNX reference does.
    float mult = as[as.size() == 1 ? 0 : (size_t)row] *
                 bs[bs.size() == 1 ? 0 : (size_t)col] / ys[0];
    double v = (double)((float)pa[i] * mult);
    y.setInt64(i, saturateRound(std::nearbyint(v) + (double)yzp, yt));
  }
  ctx.outputs[0] = y;
  return Status::ok();
}

} // namespace

void registerGemmKernels(KernelRegistry &r) {
  r.add("MatMul", runMatMul);
  r.add("Gemm", runGemm);
  r.add("MatMulInteger", runMatMulInteger);
  r.add("QLinearMatMul", runQLinearMatMul);
}

} // namespace edgec
