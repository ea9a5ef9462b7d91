// Generator kernels: ops that make a tensor from attributes or a shape rather
// than from input elements (Constant, ConstantOfShape, Range, EyeLike).
#include "interp/kernels/CopyUtil.h"
#include "shape/ops/Generator.h"

#include <cmath>
#include <limits>

namespace edgec {
namespace {

Status runConstant(KernelContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(ctx.outputs[0], constantValue(ctx));
  return Status::ok();
}

Status runConstantOfShape(KernelContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(Tensor v, fillValue(ctx));
  const Tensor &s = ctx.input(0);
  if (s.rank() != 1) return ctx.error("shape input must be 1-D");
  EDGEC_ASSIGN_OR_RETURN(Tensor out,
                         Tensor::create(v.dtype(), s.toInt64Vector()));
  for (int64_t i = 0; i < out.numElements(); ++i)
    copyutil::copyElems(out, i, v, 0, 1);
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}

// ---------------------------------------------------------------------------
// Range: start, start + delta, ... while < limit (or > limit for a negative
// delta); n = max(ceil((limit - start) / delta), 0).

Status runRange(KernelContext &ctx) {
  const Tensor &st = ctx.input(0), &li = ctx.input(1), &de = ctx.input(2);
  if (st.numElements() != 1 || li.numElements() != 1 ||
      de.numElements() != 1)
    return ctx.error("start, limit and delta must be scalars");
  DataType dt = st.dtype();
  if (li.dtype() != dt || de.dtype() != dt)
    return ctx.error("start, limit and delta have different element types");
  const int64_t maxN = int64_t(1) << 32;
  int64_t n = 0;
  if (isFloatType(dt)) {
    double s = st.getDouble(0), l = li.getDouble(0), d = de.getDouble(0);
    if (d == 0 || !std::isfinite(s) || !std::isfinite(l) || !std::isfinite(d))
      return ctx.error("invalid range", ErrorCode::InvalidInput);
    double c = std::ceil((l - s) / d);
    if (c > (double)maxN)
      return ctx.error("range is too long", ErrorCode::InvalidInput);
    n = c > 0 ? (int64_t)c : 0;
    EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(dt, {n}));
    for (int64_t i = 0; i < n; ++i) out.setDouble(i, s + (double)i * d);
    ctx.outputs[0] = std::move(out);
    return Status::ok();
  }
  // Integers: exact arithmetic in 128 bits (no overflow for any int64).
  __int128 s = st.getInt64(0), l = li.getInt64(0), d = de.getInt64(0);
  if (dt == DataType::UInt64) {
    s = (__int128)(uint64_t)st.getInt64(0);
    l = (__int128)(uint64_t)li.getInt64(0);
    d = (__int128)(uint64_t)de.getInt64(0);
  }
  if (d == 0) return ctx.error("delta is 0", ErrorCode::InvalidInput);
  __int128 diff = l - s;
  __int128 c = 0;
  if ((diff > 0 && d > 0) || (diff < 0 && d < 0)) {
    __int128 ad = d < 0 ? -d : d, adiff = diff < 0 ? -diff : diff;
    c = (adiff + ad - 1) / ad;
  }
  if (c > maxN) return ctx.error("range is too long", ErrorCode::InvalidInput);
  n = (int64_t)c;
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(dt, {n}));
  for (int64_t i = 0; i < n; ++i)
    out.setInt64(i, (int64_t)(uint64_t)(s + (__int128)i * d));
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}

Status runEyeLike(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  if (x.rank() != 2) return ctx.error("input must be 2-D");
  EDGEC_ASSIGN_OR_RETURN(DataType dt, eyeType(ctx, x.dtype()));
  int64_t rows = x.dim(0), cols = x.dim(1), k = ctx.attrInt("k", 0);
  Tensor out(dt, x.shape());
  for (int64_t i = 0; i < rows; ++i) {
    // j = i + k, computed without overflow for huge k.
    if (k >= cols || k <= -rows) break;
    int64_t j = i + k;
    if (j >= 0 && j < cols) out.setInt64(i * cols + j, 1);
  }
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}

} // namespace

void registerGeneratorKernels(KernelRegistry &r) {
  r.add("Constant", runConstant);
  r.add("ConstantOfShape", runConstantOfShape);
  r.add("Range", runRange);
  r.add("EyeLike", runEyeLike);
}

} // namespace edgec
