// Quantization kernels: QuantizeLinear, DequantizeLinear and
// DynamicQuantizeLinear (per-tensor, per-axis and blocked parameters).
#include "interp/KernelUtil.h"
#include "shape/ops/Quantize.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace edgec {
namespace {

/// Integer types the quantizers produce / consume.
/// (8/4-bit floats are handled as storage-only types: cast, no rounding.)
bool isQuantType(DataType t) {
  switch (t) {
  case DataType::UInt8: case DataType::Int8: case DataType::UInt16:
  case DataType::Int16: case DataType::Int4: case DataType::UInt4:
  case DataType::Int2: case DataType::UInt2:
    return true;
  default:
    return isMiniFloatType(t);
  }
}

void quantRange(DataType t, double &lo, double &hi) {
  switch (t) {
  case DataType::UInt8: lo = 0; hi = 255; break;
  case DataType::Int8: lo = -128; hi = 127; break;
  case DataType::UInt16: lo = 0; hi = 65535; break;
  case DataType::Int16: lo = -32768; hi = 32767; break;
  case DataType::Int4: lo = -8; hi = 7; break;
  case DataType::UInt4: lo = 0; hi = 15; break;
  case DataType::Int2: lo = -2; hi = 1; break;
  case DataType::UInt2: lo = 0; hi = 3; break;
  default: lo = (double)std::numeric_limits<int32_t>::min();
    hi = (double)std::numeric_limits<int32_t>::max(); break;
  }
}

/// Rounds half to even and saturates to the range of `t` (NaN -> 0).
int64_t roundSaturate(double v, DataType t) {
  double lo, hi;
  quantRange(t, lo, hi);
  if (std::isnan(v))
    return 0;
  return (int64_t)std::clamp(std::nearbyint(v), lo, hi);
}

/// Maps each element of x to the index of its scale / zero point:
/// per-tensor (one value), per-axis (1-D along `axis`) or blocked (same rank
/// as x, `axis` dim divided into blocks of `blockSize`).
struct ParamIndexer {
  int64_t outer = 1, axisDim = 1, inner = 1, blockSize = 0, nBlocks = 1;
  bool perTensor = true;
  int64_t map(int64_t i) const {
    if (perTensor)
      return 0;
    int64_t in = i % inner, a = (i / inner) % axisDim;
    if (blockSize <= 0)
      return a;
    int64_t o = i / (inner * axisDim);
    return (o * nBlocks + a / blockSize) * inner + in;
  }
};

Expected<ParamIndexer> paramIndexer(const KernelContext &ctx, const Tensor &x,
                                    const Tensor &scale) {
  ParamIndexer p;
  int64_t blockSize = ctx.attrInt("block_size", 0);
  if (blockSize < 0)
    return ctx.error("block_size must be non-negative");
  if (scale.numElements() == 1 && scale.rank() <= 1 && blockSize == 0)
    return p;
  if (x.rank() == 0)
    return ctx.error("per-axis quantization of a scalar",
                     ErrorCode::InvalidInput);
  EDGEC_ASSIGN_OR_RETURN(int64_t axis,
                         normalizeAxis(ctx, ctx.attrInt("axis", 1),
                                       (int64_t)x.rank()));
  p.perTensor = false;
  for (int64_t d = 0; d < (int64_t)x.rank(); ++d) {
    if (d < axis)
      p.outer *= x.dim((size_t)d);
    else if (d > axis)
      p.inner *= x.dim((size_t)d);
  }
  p.axisDim = x.dim((size_t)axis);
  if (blockSize == 0) {
    if (scale.rank() != 1 || scale.dim(0) != p.axisDim)
      return ctx.error("scale " + describe(scale) +
                           " does not match axis " + std::to_string(axis) +
                           " of " + describe(x),
                       ErrorCode::InvalidInput);
    return p;
  }
  p.blockSize = blockSize;
  p.nBlocks = p.axisDim == 0 ? 0 : (p.axisDim - 1) / blockSize + 1;
  TensorShape expect = x.shape();
  expect[(size_t)axis] = p.nBlocks;
  if (scale.shape() != expect)
    return ctx.error("blocked scale " + describe(scale) + " must have shape " +
                         shapeToString(expect),
                     ErrorCode::InvalidInput);
  return p;
}

Status checkZeroPoint(const KernelContext &ctx, size_t idx,
                      const Tensor &scale) {
  if (ctx.hasInput(idx) && ctx.input(idx).shape() != scale.shape() &&
      !(ctx.input(idx).numElements() == 1 && scale.numElements() == 1))
    return ctx.error("zero point shape differs from the scale's",
                     ErrorCode::InvalidInput);
  return Status::ok();
}

Status runQuantizeLinear(KernelContext &ctx) {
  const Tensor &x = ctx.input(0), &scale = ctx.input(1);
  if (!isFloatType(x.dtype()) && x.dtype() != DataType::Int32)
    return ctx.error("quantizelinear input must be float or int32");
  if (!isFloatType(scale.dtype()))
    return ctx.error("quantizelinear scale must be float");
  std::optional<TensorType> zpType;
  if (ctx.hasInput(2))
    zpType = TensorType(ctx.input(2).dtype());
  EDGEC_ASSIGN_OR_RETURN(DataType yt,
                         quantizeOutType(ctx, zpType ? &*zpType : nullptr));
  if (!isQuantType(yt))
    return ctx.unsupported("quantization to " +
                           std::string(dataTypeName(yt)));
  EDGEC_ASSIGN_OR_RETURN(ParamIndexer pi, paramIndexer(ctx, x, scale));
  EDGEC_TRY(checkZeroPoint(ctx, 2, scale));
  std::vector<double> s = scale.toDoubleVector();
  std::vector<double> zp =
      ctx.hasInput(2) ? ctx.input(2).toDoubleVector() : std::vector<double>{};
  bool miniFloat = isMiniFloatType(yt);
  if (miniFloat && ctx.attrInt("saturate", 1) == 0)
    return ctx.unsupported("quantization to a float8 type with saturate=0");
  Tensor y(yt, x.shape());
  for (int64_t i = 0; i < x.numElements(); ++i) {
    int64_t j = pi.map(i);
    // Division in float, as the ONNX reference computes it for f32 inputs.
    float q = (float)x.getDouble(i) / (float)s[(size_t)j];
    if (miniFloat) {
      // Float targets: no integer rounding, the cast rounds (saturating).
      y.setDouble(i, (double)(q + (zp.empty() ? 0.0f : (float)zp[(size_t)j])));
      continue;
    }
    double v = std::nearbyint((double)q);
    if (!zp.empty())
      v += zp[(size_t)j];
    y.setInt64(i, roundSaturate(v, yt));
  }
  ctx.outputs[0] = y;
  return Status::ok();
}

Status runDequantizeLinear(KernelContext &ctx) {
  const Tensor &x = ctx.input(0), &scale = ctx.input(1);
  if (!isQuantType(x.dtype()) && x.dtype() != DataType::Int32)
    return ctx.unsupported("dequantization of " +
                           std::string(dataTypeName(x.dtype())));
  if (!isFloatType(scale.dtype()))
    return ctx.error("dequantizelinear scale must be float");
  if (ctx.hasInput(2) && ctx.input(2).dtype() != x.dtype())
    return ctx.error("zero point type differs from the input's");
  EDGEC_ASSIGN_OR_RETURN(DataType yt, dequantizeOutType(ctx, scale.dtype()));
  EDGEC_ASSIGN_OR_RETURN(ParamIndexer pi, paramIndexer(ctx, x, scale));
  EDGEC_TRY(checkZeroPoint(ctx, 2, scale));
  std::vector<double> s = scale.toDoubleVector();
  std::vector<double> zp =
      ctx.hasInput(2) ? ctx.input(2).toDoubleVector() : std::vector<double>{};
  Tensor y(yt, x.shape());
  for (int64_t i = 0; i < x.numElements(); ++i) {
    int64_t j = pi.map(i);
    // Exact in double for every integer input type (and for float8).
    double q = x.getDouble(i) - (zp.empty() ? 0.0 : zp[(size_t)j]);
    y.setDouble(i, (double)((float)q * (float)s[(size_t)j]));
  }
  ctx.outputs[0] = y;
  return Status::ok();
}

/// DynamicQuantizeLinear: uint8 with scale/zero point from the data range
/// (which always includes 0).
Status runDynamicQuantizeLinear(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  if (!isFloatType(x.dtype()))
    return ctx.error("dynamicquantizelinear input must be float");
  float lo = 0.0f, hi = 0.0f;
  for (int64_t i = 0; i < x.numElements(); ++i) {
    float v = (float)x.getDouble(i);
    if (std::isnan(v))
      continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  float scale = (hi - lo) / 255.0f;
  int64_t zp = 0;
  Tensor y(DataType::UInt8, x.shape());
  if (scale > 0.0f && std::isfinite(scale)) {
    float inter = 0.0f - lo / scale;
    zp = (int64_t)std::nearbyint(std::clamp(inter, 0.0f, 255.0f));
    uint8_t *py = y.data<uint8_t>();
    for (int64_t i = 0; i < x.numElements(); ++i) {
      float q = (float)x.getDouble(i) / scale;
      py[i] = (uint8_t)roundSaturate(
          std::nearbyint((double)q) + (double)zp, DataType::UInt8);
    }
  }
  ctx.outputs[0] = y;
  if (ctx.outputs.size() > 1)
    ctx.outputs[1] = Tensor::scalar<float>(scale);
  if (ctx.outputs.size() > 2)
    ctx.outputs[2] = Tensor::scalar<uint8_t>((uint8_t)zp);
  return Status::ok();
}

} // namespace

void registerQuantizeKernels(KernelRegistry &r) {
  r.add("QuantizeLinear", runQuantizeLinear);
  r.add("DequantizeLinear", runDequantizeLinear);
  r.add("DynamicQuantizeLinear", runDynamicQuantizeLinear);
}

} // namespace edgec
