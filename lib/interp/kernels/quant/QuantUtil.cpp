#include "interp/kernels/quant/QuantUtil.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace edgec::qk {

std::string typeName(DataType t) { return std::string(dataTypeName(t)); }

DataType outputType(const KernelContext &ctx) {
  const Node &n = ctx.node();
  return n.outputs.empty() || !n.outputs[0] ? DataType::Undefined
                                            : n.outputs[0]->type.dtype;
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
  return qmath::perTensorParams(ctx.node().input(i), ctx.input(i).dtype(),
                                "input " + std::to_string(i));
}

Expected<TensorQ> outputParams(const KernelContext &ctx) {
  DataType t = outputType(ctx);
  if (!isQuantType(t))
    return ctx.error("quantized output has type " + typeName(t));
  return qmath::perTensorParams(ctx.node().outputs[0], t, "output 0");
}

Expected<ChannelQ> channelParams(const KernelContext &ctx, size_t i,
                                 int64_t channels, int64_t axis) {
  EDGEC_TRY(requireQuantInput(ctx, i));
  return qmath::channelParams(ctx.node().input(i), ctx.input(i).dtype(),
                              channels, axis, "input " + std::to_string(i));
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
    p[i] = static_cast<T>(qmath::clampTo(v[i], r));
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

Expected<Tensor> requantize(const Tensor &in, TensorQ inQ, DataType outType,
                            TensorQ outQ) {
  EDGEC_ASSIGN_OR_RETURN(
      QuantizedMultiplier m,
      qmath::requantMultiplier((double)inQ.scale / (double)outQ.scale,
                               "requantization"));
  std::vector<int32_t> v = toInt32(in);
  for (int32_t &x : v) {
    int32_t d = (int32_t)std::clamp<int64_t>((int64_t)x - inQ.zeroPoint,
                                             std::numeric_limits<int32_t>::min(),
                                             std::numeric_limits<int32_t>::max());
    int64_t o = (int64_t)qmath::multiplyByQuantizedMultiplier(d, m) +
                outQ.zeroPoint;
    x = qmath::clampTo(o, rangeOf(outType));
  }
  return fromInt32(outType, in.shape(), v);
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
  WindowRules rules;
  rules.ceilMode = pool;
  EDGEC_ASSIGN_OR_RETURN(WindowGeometry g,
                         slidingWindow(ctx, spatial, kernel, rules));
  Window w;
  w.rank = r;
  for (size_t i = 0; i < r; ++i) {
    w.in[i] = g.in[i];
    w.kernel[i] = g.kernel[i];
    w.stride[i] = g.stride[i];
    w.dilation[i] = g.dilation[i];
    w.padBegin[i] = g.padBegin[i];
    w.padEnd[i] = g.padEnd[i];
    w.out[i] = g.out[i];
  }
  return w;
}

void addIntegerKernel(KernelRegistry &r, const std::string &opType,
                      KernelFn run) {
  KernelFn wrapped = [run = std::move(run)](KernelContext &ctx) -> Status {
    EDGEC_ASSIGN_OR_RETURN(QRange act, qmath::fusedActivationRange(ctx.node()));
    EDGEC_TRY(run(ctx));
    if (ctx.attr(kFusedActivationAttr) && !ctx.outputs.empty() &&
        ctx.outputs[0].isValid() && isQuantType(ctx.outputs[0].dtype()))
      clampTensor(ctx.outputs[0], act);
    return Status::ok();
  };
  r.add(OpKernel{kIntegerKernelDomain, opType, std::move(wrapped), 0});
}

Status runDefaultKernel(KernelContext &ctx) {
  const OpKernel *k = KernelRegistry::builtin().find("", ctx.node().opType);
  if (!k)
    return ctx.unsupported("no kernel for " + ctx.node().opType);
  return k->run(ctx);
}

} // namespace edgec::qk
