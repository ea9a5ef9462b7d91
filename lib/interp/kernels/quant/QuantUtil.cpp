#include "interp/kernels/quant/QuantUtil.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace edgec::qk {

bool isQuantType(DataType t) {
  return t == DataType::Int8 || t == DataType::UInt8 || t == DataType::Int16 ||
         t == DataType::Int32;
}

QRange rangeOf(DataType t) {
  switch (t) {
  case DataType::UInt8: return {0, 255};
  case DataType::Int16: return {-32768, 32767};
  case DataType::Int32:
    return {std::numeric_limits<int32_t>::min(),
            std::numeric_limits<int32_t>::max()};
  default: return {-128, 127};
  }
}

std::string typeName(DataType t) { return std::string(dataTypeName(t)); }

DataType outputType(const KernelContext &ctx) {
  const Node &n = ctx.node();
  return n.outputs.empty() || !n.outputs[0] ? DataType::Undefined
                                            : n.outputs[0]->type.dtype;
}

Expected<TensorQ> perTensorParams(const NodeContext &ctx, const Value *v,
                                  DataType dtype, const std::string &what) {
  if (!v || !v->quant)
    return ctx.error(what + " has no quantization parameters");
  const QuantParams &q = *v->quant;
  if (q.scale.size() != 1)
    return ctx.unsupported(what + " must be quantized per tensor, got " +
                           std::to_string(q.scale.size()) + " scales");
  if (q.zeroPoint.size() > 1)
    return ctx.error(what + " has " + std::to_string(q.zeroPoint.size()) +
                     " zero points for one scale");
  TensorQ r;
  r.scale = q.scale[0];
  if (!(r.scale > 0) || !std::isfinite(r.scale))
    return ctx.error(what + " has invalid scale " + std::to_string(r.scale) +
                     " (must be positive and finite)");
  int64_t zp = q.zeroPoint.empty() ? 0 : q.zeroPoint[0];
  QRange range = rangeOf(dtype);
  if (zp < range.min || zp > range.max)
    return ctx.error(what + " zero point " + std::to_string(zp) +
                     " is outside the " + typeName(dtype) + " range");
  r.zeroPoint = (int32_t)zp;
  return r;
}

Status requireQuantInput(const KernelContext &ctx, size_t i) {
  if (!ctx.hasInput(i))
    return ctx.error("missing input " + std::to_string(i));
  DataType t = ctx.input(i).dtype();
  if (!isQuantType(t))
    return ctx.error("input " + std::to_string(i) + " of a quantized node has "
                     "type " + typeName(t) + ", expected an integer type");
  return Status::ok();
}

Expected<TensorQ> inputParams(const KernelContext &ctx, size_t i) {
  EDGEC_TRY(requireQuantInput(ctx, i));
  return perTensorParams(ctx, ctx.node().input(i), ctx.input(i).dtype(),
                         "input " + std::to_string(i));
}

Expected<TensorQ> outputParams(const KernelContext &ctx) {
  DataType t = outputType(ctx);
  if (!isQuantType(t))
    return ctx.error("quantized output has type " + typeName(t));
  return perTensorParams(ctx, ctx.node().outputs[0], t, "output 0");
}

Expected<ChannelQ> channelParams(const KernelContext &ctx, size_t i,
                                 int64_t channels, int64_t axis) {
  EDGEC_TRY(requireQuantInput(ctx, i));
  const Value *v = ctx.node().input(i);
  std::string what = "input " + std::to_string(i);
  if (!v || !v->quant)
    return ctx.error(what + " has no quantization parameters");
  const QuantParams &q = *v->quant;
  DataType dtype = ctx.input(i).dtype();
  ChannelQ r;
  if (q.perAxis() && q.scale.size() != 1) {
    if (q.axis != axis)
      return ctx.unsupported(what + " is quantized along axis " +
                             std::to_string(q.axis) + ", expected axis " +
                             std::to_string(axis) + " (output channels)");
    if ((int64_t)q.scale.size() != channels)
      return ctx.error(what + " has " + std::to_string(q.scale.size()) +
                       " per-channel scales for " + std::to_string(channels) +
                       " channels");
    r.perChannel = true;
  } else if (q.scale.size() != 1) {
    return ctx.error(what + " has " + std::to_string(q.scale.size()) +
                     " scales but no quantization axis");
  }
  if (!q.zeroPoint.empty() && q.zeroPoint.size() != q.scale.size())
    return ctx.error(what + " has " + std::to_string(q.zeroPoint.size()) +
                     " zero points for " + std::to_string(q.scale.size()) +
                     " scales");
  QRange range = rangeOf(dtype);
  size_t n = (size_t)std::max<int64_t>(channels, 0);
  r.scale.resize(n);
  r.zeroPoint.resize(n);
  for (size_t c = 0; c < n; ++c) {
    size_t k = r.perChannel ? c : 0;
    float s = q.scale[k];
    if (!(s > 0) || !std::isfinite(s))
      return ctx.error(what + " has invalid scale " + std::to_string(s) +
                       " (must be positive and finite)");
    int64_t zp = q.zeroPoint.empty() ? 0 : q.zeroPoint[k];
    if (zp < range.min || zp > range.max)
      return ctx.error(what + " zero point " + std::to_string(zp) +
                       " is outside the " + typeName(dtype) + " range");
    r.scale[c] = s;
    r.zeroPoint[c] = (int32_t)zp;
  }
  return r;
}

Expected<std::vector<int64_t>> biasValues(const KernelContext &ctx, size_t i,
                                          int64_t channels, float inputScale,
                                          const ChannelQ &w, float outputScale,
                                          bool allowInt64) {
  std::vector<int64_t> out;
  if (!ctx.hasInput(i))
    return out;
  const Tensor &b = ctx.input(i);
  if (b.dtype() != DataType::Int32 &&
      !(allowInt64 && b.dtype() == DataType::Int64))
    return ctx.error(std::string("bias (input ") + std::to_string(i) +
                     ") must be int32" + (allowInt64 ? " or int64" : "") +
                     ", got " + typeName(b.dtype()));
  bool shapeOk = b.numElements() == channels && b.rank() >= 1 &&
                 b.dim(b.rank() - 1) == channels;
  if (!shapeOk)
    return ctx.error("bias must have shape [" + std::to_string(channels) +
                         "], got " + describe(b),
                     ErrorCode::InvalidInput);
  if (const Value *v = ctx.node().input(i); v && v->quant) {
    const QuantParams &q = *v->quant;
    if (q.scale.size() != 1 && (int64_t)q.scale.size() != channels)
      return ctx.error("bias has " + std::to_string(q.scale.size()) +
                       " scales for " + std::to_string(channels) + " channels");
    for (int64_t zp : q.zeroPoint)
      if (zp != 0)
        return ctx.error("bias zero point must be 0");
    for (int64_t c = 0; c < channels; ++c) {
      double bs = q.scale[q.scale.size() == 1 ? 0 : (size_t)c];
      double ps = (double)inputScale * (double)w.scale[(size_t)c];
      if (!(std::abs(bs - ps) <= 0.02 * (double)outputScale))
        return ctx.error("bias scale " + std::to_string(bs) + " of channel " +
                         std::to_string(c) + " differs from input scale * "
                         "weight scale (" + std::to_string(ps) + ")");
    }
  }
  out.resize((size_t)channels);
  for (int64_t c = 0; c < channels; ++c)
    out[(size_t)c] = b.getInt64(c);
  return out;
}

std::vector<int32_t> toInt32(const Tensor &t) {
  std::vector<int32_t> v((size_t)t.numElements());
  switch (t.dtype()) {
  case DataType::Int8: {
    const int8_t *p = t.data<int8_t>();
    for (size_t i = 0; i < v.size(); ++i) v[i] = p[i];
    break;
  }
  case DataType::UInt8: {
    const uint8_t *p = t.data<uint8_t>();
    for (size_t i = 0; i < v.size(); ++i) v[i] = p[i];
    break;
  }
  case DataType::Int16: {
    const int16_t *p = t.data<int16_t>();
    for (size_t i = 0; i < v.size(); ++i) v[i] = p[i];
    break;
  }
  case DataType::Int32: {
    const int32_t *p = t.data<int32_t>();
    for (size_t i = 0; i < v.size(); ++i) v[i] = p[i];
    break;
  }
  default:
    for (size_t i = 0; i < v.size(); ++i)
      v[i] = (int32_t)std::clamp<int64_t>(t.getInt64((int64_t)i),
                                          std::numeric_limits<int32_t>::min(),
                                          std::numeric_limits<int32_t>::max());
  }
  return v;
}

namespace {
template <typename T>
void storeClamped(Tensor &t, const std::vector<int32_t> &v, QRange r) {
  T *p = t.data<T>();
  for (size_t i = 0; i < v.size(); ++i)
    p[i] = static_cast<T>(quant::clampTo(v[i], r));
}
} // namespace

Expected<Tensor> fromInt32(DataType dtype, const TensorShape &shape,
                           const std::vector<int32_t> &v) {
  EDGEC_ASSIGN_OR_RETURN(Tensor t, Tensor::create(dtype, shape));
  assert((size_t)t.numElements() == v.size() && "fromInt32: size mismatch");
  QRange r = rangeOf(dtype);
  switch (dtype) {
  case DataType::Int8: storeClamped<int8_t>(t, v, r); break;
  case DataType::UInt8: storeClamped<uint8_t>(t, v, r); break;
  case DataType::Int16: storeClamped<int16_t>(t, v, r); break;
  case DataType::Int32: storeClamped<int32_t>(t, v, r); break;
  default:
    for (size_t i = 0; i < v.size(); ++i)
      t.setInt64((int64_t)i, v[i]);
  }
  return t;
}

Expected<QuantizedMultiplier> requantMultiplier(const NodeContext &ctx,
                                                double real,
                                                const std::string &what) {
  if (!(real >= 0) || !std::isfinite(real))
    return ctx.error(what + ": invalid rescaling factor " +
                     std::to_string(real));
  QuantizedMultiplier m = quant::quantizeMultiplier(real);
  if (!quant::multiplierUsable(m))
    return ctx.unsupported(what + ": rescaling factor " + std::to_string(real) +
                           " is too large for 32-bit fixed point");
  return m;
}

Expected<Tensor> requantize(const NodeContext &ctx, const Tensor &in,
                            TensorQ inQ, DataType outType, TensorQ outQ) {
  EDGEC_ASSIGN_OR_RETURN(
      QuantizedMultiplier m,
      requantMultiplier(ctx, (double)inQ.scale / (double)outQ.scale,
                        "requantization"));
  std::vector<int32_t> v = toInt32(in);
  for (int32_t &x : v) {
    int32_t d = (int32_t)std::clamp<int64_t>((int64_t)x - inQ.zeroPoint,
                                             std::numeric_limits<int32_t>::min(),
                                             std::numeric_limits<int32_t>::max());
    int64_t o = (int64_t)quant::multiplyByQuantizedMultiplier(d, m) +
                outQ.zeroPoint;
    x = quant::clampTo(o, rangeOf(outType));
  }
  return fromInt32(outType, in.shape(), v);
}

Expected<QRange> fusedActivationRange(const KernelContext &ctx) {
  DataType t = outputType(ctx);
  QRange type = rangeOf(t);
  const Attribute *a = ctx.attr(kFusedActivationAttr);
  if (!a)
    return type;
  if (a->kind != Attribute::Kind::String)
    return ctx.error("fused activation annotation must be a string");
  EDGEC_ASSIGN_OR_RETURN(TensorQ out, outputParams(ctx));
  if (a->s == "Relu")
    return quant::reluActivationRange(out.scale, out.zeroPoint, type);
  if (a->s == "Clip") {
    const std::string base = std::string(kFusedActivationAttr) + ".";
    const Attribute *lo = ctx.attr(base + "min"), *hi = ctx.attr(base + "max");
    for (const Attribute *b : {lo, hi})
      if (b && (b->kind != Attribute::Kind::Float || std::isnan(b->f)))
        return ctx.error("fused Clip bounds must be non-NaN floats");
    return quant::clipActivationRange(out.scale, out.zeroPoint, type,
                                      lo != nullptr, lo ? lo->f : 0.0f,
                                      hi != nullptr, hi ? hi->f : 0.0f);
  }
  if (fusedLeakyReluAlpha(ctx)) return type; // applied by the kernel
  return ctx.unsupported("fused activation '" + a->s +
                         "' on a quantized node (only Relu and Clip are "
                         "clamps of the quantized range, and LeakyRelu is "
                         "fused into Conv, Gemm and MatMul only)");
}

std::optional<float> fusedLeakyReluAlpha(const KernelContext &ctx) {
  const Attribute *a = ctx.attr(kFusedActivationAttr);
  const std::string &op = ctx.node().opType;
  if (!a || a->kind != Attribute::Kind::String || a->s != "LeakyRelu" ||
      (op != "Conv" && op != "Gemm" && op != "MatMul"))
    return std::nullopt;
  const Attribute *al = ctx.attr(std::string(kFusedActivationAttr) + ".alpha");
  return al && al->kind == Attribute::Kind::Float ? al->f : 0.01f;
}

namespace {
/// Clamps every element of an integer tensor into r.
void clampTensor(Tensor &t, QRange r) {
  std::vector<int32_t> v = toInt32(t);
  bool changed = false;
  for (int32_t &x : v) {
    int32_t c = std::min(r.max, std::max(r.min, x));
    changed = changed || c != x;
    x = c;
  }
  if (changed)
    if (auto nt = fromInt32(t.dtype(), t.shape(), v))
      t = std::move(*nt);
}
} // namespace

Status checkWork(const NodeContext &ctx, int64_t a, int64_t b, int64_t c) {
  if (!checkedNumElements({a, b, c}, kMaxKernelWork))
    return ctx.unsupported("computation too large for the reference "
                           "interpreter");
  return Status::ok();
}

Expected<Window> readWindow(const NodeContext &ctx,
                            const std::vector<int64_t> &spatial,
                            const std::vector<int64_t> &kernel, bool pool) {
  size_t r = spatial.size();
  if (r == 0 || r > 3)
    return ctx.unsupported("quantized windows over " + std::to_string(r) +
                           " spatial dims (1 to 3 supported)");
  std::vector<int64_t> k = ctx.attrInts("kernel_shape", kernel);
  std::vector<int64_t> s = ctx.attrInts("strides", std::vector<int64_t>(r, 1));
  std::vector<int64_t> d =
      ctx.attrInts("dilations", std::vector<int64_t>(r, 1));
  std::vector<int64_t> pads =
      ctx.attrInts("pads", std::vector<int64_t>(2 * r, 0));
  if (k.size() != r || s.size() != r || d.size() != r || pads.size() != 2 * r)
    return ctx.error("kernel_shape/strides/dilations/pads do not match the " +
                     std::to_string(r) + " spatial dims");
  if (!kernel.empty() && k != kernel)
    return ctx.error("kernel_shape attribute does not match the weights");
  std::string autoPad = ctx.attrString("auto_pad", "NOTSET");
  if (autoPad != "NOTSET" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER" && autoPad != "VALID")
    return ctx.error("invalid auto_pad '" + autoPad + "'");
  bool ceilMode = pool && ctx.attrInt("ceil_mode", 0) != 0;
  constexpr int64_t kMax = int64_t(1) << 20;
  Window w;
  w.rank = r;
  for (size_t i = 0; i < r; ++i) {
    if (k[i] <= 0 || s[i] <= 0 || d[i] <= 0 || k[i] > kMax || s[i] > kMax ||
        d[i] > kMax)
      return ctx.error("kernel_shape, strides and dilations must be in "
                       "[1, 2^20]");
    int64_t pb = pads[i], pe = pads[i + r];
    if (pb < 0 || pe < 0 || pb > kMax || pe > kMax)
      return ctx.error("pads must be in [0, 2^20]");
    int64_t in = spatial[i], eff = (k[i] - 1) * d[i] + 1, out;
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      out = (in + s[i] - 1) / s[i];
      int64_t total = std::max<int64_t>(0, (out - 1) * s[i] + eff - in);
      pb = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
      pe = total - pb;
    } else {
      if (autoPad == "VALID")
        pb = pe = 0;
      int64_t span = in + pb + pe - eff;
      if (span < 0)
        out = 0;
      else {
        out = (ceilMode ? (span + s[i] - 1) / s[i] : span / s[i]) + 1;
        // A last window starting inside the right padding is dropped.
        if (ceilMode && (out - 1) * s[i] >= in + pb)
          --out;
      }
    }
    if (out <= 0)
      return ctx.error("window does not fit the input",
                       ErrorCode::InvalidInput);
    w.in[i] = in;
    w.kernel[i] = k[i];
    w.stride[i] = s[i];
    w.dilation[i] = d[i];
    w.padBegin[i] = pb;
    w.padEnd[i] = pe;
    w.out[i] = out;
  }
  return w;
}

Expected<std::vector<int32_t>> quantizedMean(const NodeContext &ctx,
                                             const std::vector<int32_t> &in,
                                             const TensorShape &shape,
                                             const std::vector<bool> &reduce,
                                             TensorQ inQ, TensorQ outQ,
                                             DataType outType) {
  assert(reduce.size() == shape.size() && "quantizedMean: axis mask size");
  // Output strides over the kept dims (reduced dims get stride 0).
  const size_t r = shape.size();
  std::vector<int64_t> outStride(r, 0);
  int64_t outCount = 1, count = 1;
  for (size_t d = r; d-- > 0;) {
    if (reduce[d]) {
      count *= shape[d];
    } else {
      outStride[d] = outCount;
      outCount *= shape[d];
    }
  }
  std::vector<int64_t> sum((size_t)outCount, 0);
  std::vector<int64_t> idx(r, 0);
  for (size_t i = 0; i < in.size(); ++i) {
    int64_t o = 0;
    for (size_t d = 0; d < r; ++d)
      o += idx[d] * outStride[d];
    sum[(size_t)o] += in[i];
    for (size_t d = r; d-- > 0;) {
      if (++idx[d] < shape[d])
        break;
      idx[d] = 0;
    }
  }
  constexpr int64_t kMin = std::numeric_limits<int32_t>::min(),
                    kMax = std::numeric_limits<int32_t>::max();
  const QRange yr = rangeOf(outType);
  std::vector<int32_t> out((size_t)outCount, 0);
  if (count == 0)
    return out;
  if (inQ == outQ) {
    for (size_t o = 0; o < out.size(); ++o) {
      if (sum[o] < kMin || sum[o] > kMax)
        return ctx.error("mean: the int32 sum overflows", ErrorCode::Runtime);
      out[o] = quant::clampTo(sum[o] / count, yr);
    }
    return out;
  }
  EDGEC_ASSIGN_OR_RETURN(
      QuantizedMultiplier m,
      requantMultiplier(ctx, (double)inQ.scale / (double)outQ.scale, "mean"));
  // Fold 1 / count into the multiplier (QuantizedMeanOrSum).
  int shift = 63 - std::countl_zero((uint64_t)count);
  shift = std::min(shift, 32);
  shift = std::min(shift, 31 + m.shift);
  shift = std::max(shift, 0);
  const int32_t folded =
      (int32_t)(((int64_t)m.multiplier << shift) / count);
  const int foldedShift = m.shift - shift;
  for (size_t o = 0; o < out.size(); ++o) {
    const int64_t shifted = sum[o] - (int64_t)inQ.zeroPoint * count;
    if (shifted < kMin || shifted > kMax)
      return ctx.error("mean: the int32 sum overflows", ErrorCode::Runtime);
    const int64_t v = (int64_t)quant::multiplyByQuantizedMultiplier(
                          (int32_t)shifted, folded, foldedShift) +
                      outQ.zeroPoint;
    out[o] = quant::clampTo(v, yr);
  }
  return out;
}

void addIntegerKernel(KernelRegistry &r, const std::string &opType,
                      KernelFn run, InferFn infer) {
  KernelFn wrapped = [run = std::move(run)](KernelContext &ctx) -> Status {
    EDGEC_ASSIGN_OR_RETURN(QRange act, fusedActivationRange(ctx));
    EDGEC_TRY(run(ctx));
    if (ctx.attr(kFusedActivationAttr) && !ctx.outputs.empty() &&
        ctx.outputs[0].isValid() && isQuantType(ctx.outputs[0].dtype()))
      clampTensor(ctx.outputs[0], act);
    return Status::ok();
  };
  if (!infer) {
    infer = [opType](InferContext &ctx) -> Status {
      const OpKernel *k = KernelRegistry::builtin().find("", opType);
      if (k && k->infer)
        EDGEC_TRY(k->infer(ctx));
      const Node &n = ctx.node();
      if (!ctx.outputs.empty() && !n.outputs.empty() && n.outputs[0] &&
          n.outputs[0]->type.dtype != DataType::Undefined)
        ctx.outputs[0].dtype = n.outputs[0]->type.dtype;
      return Status::ok();
    };
  }
  r.add(OpKernel{kIntegerKernelDomain, opType, std::move(wrapped),
                 std::move(infer), 0});
}

std::vector<int32_t> populateLookupTable(TensorQ xq, DataType xt, TensorQ yq,
                                         DataType yt,
                                         const std::function<float(float)> &f) {
  const QRange xr = rangeOf(xt);
  std::vector<int32_t> table((size_t)((int64_t)xr.max - xr.min + 1));
  for (int64_t v = xr.min; v <= xr.max; ++v) {
    const float dq = xq.scale * (float)(v - xq.zeroPoint);
    table[(size_t)(v - xr.min)] = lookupTableEntry(f(dq), yq, yt);
  }
  return table;
}

int32_t lookupTableEntry(float fv, TensorQ yq, DataType yt) {
  const float inverseScale = 1 / yq.scale;
  const float q = std::round(fv * inverseScale) + (float)yq.zeroPoint;
  if (std::isnan(q)) return yq.zeroPoint;
  return quant::clampTo((int64_t)std::clamp(q, -2147483648.0f, 2147483520.0f),
                        rangeOf(yt));
}

Status runDefaultKernel(KernelContext &ctx) {
  const OpKernel *k = KernelRegistry::builtin().find("", ctx.node().opType);
  if (!k)
    return ctx.unsupported("no kernel for " + ctx.node().opType);
  return k->run(ctx);
}

} // namespace edgec::qk
