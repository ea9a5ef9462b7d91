// Integer Gemm and MatMul: TFLite's reference_integer_ops::FullyConnected
// (per tensor) / FullyConnectedPerChannel, BatchMatMul, and their 16x8
// variants (int16 activations, int8 weights, int64 accumulation and bias).
//
//   acc[i, j] = sum_k (a[i, k] - azp) * (b[k, j] - bzp[j]) + bias[j]
//   y = clamp(MultiplyByQuantizedMultiplier(acc, M[j]) + yzp, act_min, act_max)
//
// with M[j] = QuantizeMultiplier(double(a_scale) * double(b_scale[j]) /
// double(y_scale)) (GetQuantizedConvolutionMultipler). The weights' output
// channel axis is the N axis: axis 0 of B for Gemm with transB = 1 (TFLite's
// [out, in] filter layout), axis 1 for transB = 0, the last axis for MatMul.
#include "interp/kernels/quant/QuantUtil.h"

namespace edgec {
namespace {

using namespace qk;

/// What both ops share once operands are laid out.
struct FcPlan {
  bool is16x8 = false;
  TensorQ aq, yq;
  ChannelQ bq;
  std::vector<int64_t> bias; ///< empty or one per output column
  std::vector<QuantizedMultiplier> mult;
  /// Negative-accumulator multipliers of a fused LeakyRelu (else empty).
  std::vector<QuantizedMultiplier> multNeg;
  DataType yt = DataType::Int8;
};

/// Checks operand types and reads the parameters for `cols` output columns
/// with B's channel axis `bAxis`; bias (optional) is input `biasIdx`.
Expected<FcPlan> makePlan(const KernelContext &ctx, int64_t cols,
                          int64_t bAxis, size_t biasIdx) {
  EDGEC_TRY(requireQuantInput(ctx, 0));
  EDGEC_TRY(requireQuantInput(ctx, 1));
  FcPlan p;
  const DataType at = ctx.input(0).dtype(), bt = ctx.input(1).dtype();
  p.yt = outputType(ctx);
  p.is16x8 = at == DataType::Int16;
  const std::string op = ctx.node().opType;
  if (p.is16x8) {
    if (bt != DataType::Int8 || p.yt != DataType::Int16)
      return ctx.unsupported("16x8 " + op + " needs int8 weights and an int16 "
                             "output, got " + typeName(bt) + " and " +
                             typeName(p.yt));
  } else if ((at != DataType::Int8 && at != DataType::UInt8) ||
             (bt != DataType::Int8 && bt != DataType::UInt8) ||
             (p.yt != DataType::Int8 && p.yt != DataType::UInt8)) {
    return ctx.unsupported("quantized " + op + " on " + typeName(at) + " x " +
                           typeName(bt) + " -> " + typeName(p.yt) +
                           " (int8/uint8 or 16x8 supported)");
  }
  EDGEC_ASSIGN_OR_RETURN(p.aq, inputParams(ctx, 0));
  EDGEC_ASSIGN_OR_RETURN(p.bq, channelParams(ctx, 1, cols, bAxis));
  EDGEC_ASSIGN_OR_RETURN(p.yq, outputParams(ctx));
  if (p.is16x8 && (p.aq.zeroPoint != 0 || p.yq.zeroPoint != 0))
    return ctx.error("16x8 " + op + " needs symmetric int16 input and output "
                     "(zero point 0)");
  EDGEC_ASSIGN_OR_RETURN(p.bias, biasValues(ctx, biasIdx, cols, p.aq.scale,
                                            p.bq, p.yq.scale, p.is16x8));
  p.mult.resize((size_t)cols);
  const std::optional<float> leaky = qmath::fusedLeakyReluAlpha(ctx.node());
  if (leaky) p.multNeg.resize((size_t)cols);
  for (int64_t j = 0; j < cols; ++j) {
    double real = (double)p.aq.scale * (double)p.bq.scale[(size_t)j] /
                  (double)p.yq.scale;
    EDGEC_ASSIGN_OR_RETURN(
        p.mult[(size_t)j],
        qmath::requantMultiplier(real, "output channel " + std::to_string(j)));
    if (leaky) {
      EDGEC_ASSIGN_OR_RETURN(
          p.multNeg[(size_t)j],
          qmath::requantMultiplier(real * (double)*leaky,
                            "fused LeakyRelu of channel " + std::to_string(j)));
    }
    if (p.is16x8 && !qmath::multiplier64Usable(p.mult[(size_t)j]))
      return ctx.unsupported("output channel " + std::to_string(j) +
                             ": rescaling factor " + std::to_string(real) +
                             " is outside the 16x8 range (shift in [-31, 7])");
  }
  return p;
}

/// y[i, j] for i < rows, j < cols: a is row-major (rows x depth, already
/// offset by -azp); b(k, j) = b[k * bRow + j * bCol] (offset by -bzp[j]).
Status multiply(const KernelContext &ctx, const FcPlan &p, const int32_t *a,
                const int32_t *b, int64_t bRow, int64_t bCol, int64_t rows,
                int64_t cols, int64_t depth, int32_t *y) {
  const QRange yr = rangeOf(p.yt);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      int64_t acc = 0;
      const int32_t *ar = a + i * depth;
      const int32_t *bc = b + j * bCol;
      for (int64_t k = 0; k < depth; ++k)
        acc += (int64_t)ar[k] * bc[k * bRow];
      if (!p.bias.empty())
        acc += p.bias[(size_t)j];
      int64_t r;
      if (p.is16x8) {
        if (!qmath::int64MultiplyInContract(acc))
          return ctx.error("accumulator exceeds the 48-bit range of the 16x8 "
                           "arithmetic",
                           ErrorCode::Runtime);
        r = qmath::multiplyByQuantizedMultiplier64(
            acc, !p.multNeg.empty() && acc < 0 ? p.multNeg[(size_t)j]
                                               : p.mult[(size_t)j]);
      } else {
        if (acc < std::numeric_limits<int32_t>::min() ||
            acc > std::numeric_limits<int32_t>::max())
          return ctx.error("accumulator overflows int32 (output column " +
                               std::to_string(j) + ")",
                           ErrorCode::Runtime);
        r = qmath::multiplyByQuantizedMultiplier(
            (int32_t)acc, !p.multNeg.empty() && acc < 0 ? p.multNeg[(size_t)j]
                                                        : p.mult[(size_t)j]);
      }
      y[i * cols + j] = qmath::clampTo(r + p.yq.zeroPoint, yr);
    }
  return Status::ok();
}

/// Offsets B's elements by the zero point of their column (axis `colAxis`
/// of a [.., K, N] layout given by bRow/bCol strides over one matrix).
std::vector<int32_t> offsetB(const Tensor &b, const ChannelQ &q, int64_t mats,
                             int64_t depth, int64_t cols, int64_t bRow,
                             int64_t bCol) {
  std::vector<int32_t> v = toInt32(b);
  for (int64_t mIdx = 0; mIdx < mats; ++mIdx)
    for (int64_t k = 0; k < depth; ++k)
      for (int64_t j = 0; j < cols; ++j)
        v[(size_t)(mIdx * depth * cols + k * bRow + j * bCol)] -=
            q.zeroPoint[(size_t)j];
  return v;
}

Status runQGemm(KernelContext &ctx) {
  if (!ctx.hasInput(0) || !ctx.hasInput(1))
    return ctx.error("Gemm needs A and B");
  const Tensor &a = ctx.input(0), &b = ctx.input(1);
  if (a.rank() != 2 || b.rank() != 2)
    return ctx.error("Gemm needs 2-D A and B, got " + describe(a) + " and " +
                         describe(b),
                     ErrorCode::InvalidInput);
  if (ctx.attrFloat("alpha", 1.0f) != 1.0f ||
      (ctx.hasInput(2) && ctx.attrFloat("beta", 1.0f) != 1.0f))
    return ctx.unsupported("quantized Gemm with alpha or beta other than 1");
  const bool transA = ctx.attrInt("transA", 0) != 0;
  const bool transB = ctx.attrInt("transB", 0) != 0;
  const int64_t rows = transA ? a.dim(1) : a.dim(0);
  const int64_t depth = transA ? a.dim(0) : a.dim(1);
  const int64_t kB = transB ? b.dim(1) : b.dim(0);
  const int64_t cols = transB ? b.dim(0) : b.dim(1);
  if (kB != depth)
    return ctx.error("Gemm inner dimensions differ: " + describe(a) + " and " +
                         describe(b),
                     ErrorCode::InvalidInput);
  EDGEC_ASSIGN_OR_RETURN(FcPlan p, makePlan(ctx, cols, transB ? 0 : 1, 2));
  EDGEC_TRY(checkedNumElements({rows, cols}, int64_t(1) << 31));
  EDGEC_TRY(checkWork(ctx, rows, cols, depth));
  std::vector<int32_t> av = toInt32(a);
  if (transA) {
    std::vector<int32_t> t(av.size());
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t k = 0; k < depth; ++k)
        t[(size_t)(i * depth + k)] = av[(size_t)(k * rows + i)];
    av.swap(t);
  }
  for (int32_t &v : av)
    v -= p.aq.zeroPoint;
  const int64_t bRow = transB ? 1 : cols, bCol = transB ? depth : 1;
  std::vector<int32_t> bv = offsetB(b, p.bq, 1, depth, cols, bRow, bCol);
  std::vector<int32_t> y((size_t)(rows * cols));
  EDGEC_TRY(multiply(ctx, p, av.data(), bv.data(), bRow, bCol, rows, cols,
                     depth, y.data()));
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], fromInt32(p.yt, {rows, cols}, y));
  return Status::ok();
}

Status runQMatMul(KernelContext &ctx) {
  if (!ctx.hasInput(0) || !ctx.hasInput(1))
    return ctx.error("MatMul needs A and B");
  const Tensor &a = ctx.input(0), &b = ctx.input(1);
  if (a.rank() == 0 || b.rank() == 0)
    return ctx.error("MatMul operands must have rank >= 1",
                     ErrorCode::InvalidInput);
  // Numpy semantics: 1-D A is a row vector, 1-D B a column vector.
  TensorShape as = a.shape(), bs = b.shape();
  if (as.size() == 1)
    as.insert(as.begin(), 1);
  if (bs.size() == 1)
    bs.push_back(1);
  const int64_t rows = as[as.size() - 2], depth = as.back();
  const int64_t cols = bs.back();
  if (bs[bs.size() - 2] != depth)
    return ctx.error("MatMul inner dimensions differ: " + describe(a) +
                         " and " + describe(b),
                     ErrorCode::InvalidInput);
  TensorShape aBatch(as.begin(), as.end() - 2), bBatch(bs.begin(), bs.end() - 2);
  EDGEC_ASSIGN_OR_RETURN(TensorShape batch,
                         broadcastShapes(ctx, aBatch, bBatch));
  EDGEC_ASSIGN_OR_RETURN(FcPlan p,
                         makePlan(ctx, cols, (int64_t)b.rank() - 1, 2));
  TensorShape outShape = batch;
  if (a.rank() > 1)
    outShape.push_back(rows);
  if (b.rank() > 1)
    outShape.push_back(cols);
  EDGEC_ASSIGN_OR_RETURN(int64_t outCount,
                         checkedNumElements(outShape, int64_t(1) << 31));
  int64_t batches = 1;
  for (int64_t d : batch)
    batches *= d;
  EDGEC_TRY(checkWork(ctx, outCount, depth));
  int64_t bMats = 1;
  for (int64_t d : bBatch)
    bMats *= d;
  std::vector<int32_t> av = toInt32(a);
  for (int32_t &v : av)
    v -= p.aq.zeroPoint;
  std::vector<int32_t> bv = offsetB(b, p.bq, bMats, depth, cols, cols, 1);
  BroadcastIndexer ai(aBatch, batch), bi(bBatch, batch);
  std::vector<int32_t> y((size_t)outCount);
  for (int64_t t = 0; t < batches; ++t) {
    const int32_t *am = av.data() + ai.map(t) * rows * depth;
    const int32_t *bm = bv.data() + bi.map(t) * depth * cols;
    EDGEC_TRY(multiply(ctx, p, am, bm, cols, 1, rows, cols, depth,
                       y.data() + t * rows * cols));
  }
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], fromInt32(p.yt, outShape, y));
  return Status::ok();
}

} // namespace

void registerQFullyConnectedKernels(KernelRegistry &r) {
  qk::addIntegerKernel(r, "Gemm", runQGemm);
  qk::addIntegerKernel(r, "MatMul", runQMatMul);
}

} // namespace edgec
