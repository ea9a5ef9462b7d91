// Integer data movement: Transpose, Slice, Concat (with TFLite's float
// rescale of inputs whose parameters differ, as a table) and constant Pad
// -> runtime/kernels/reference/copy_q.c. Output parameters differing from the
// input's requantize through a 256-entry table (TFLite's Requantize), as
// interp/kernels/quant/QShape.cpp.
#include "qmath/KernelParams.h"
#include "targets/mcu/lower/Lowering.h"

#include <algorithm>
#include <cmath>

namespace edgec::mcu {
namespace s8 {
Expected<qmath::TensorQ> tensorQ(const Value *v, const std::string &what);
Expected<qmath::QRange> fusedRange(const Node &n);
Expected<std::vector<int8_t>> requantTableS8(qmath::TensorQ inQ, qmath::TensorQ outQ, qmath::QRange clamp);
} // namespace s8

namespace {
using namespace s8;

bool isQ(const Value *v) {
  return v && v->quant && (v->type.dtype == DataType::Int8 || v->type.dtype == DataType::Int16);
}

std::vector<int64_t> stridesOf(const std::vector<int64_t> &d) {
  std::vector<int64_t> s(d.size(), 1);
  for (size_t i = d.size(); i-- > 1;) s[i - 1] = s[i] * d[i];
  return s;
}

std::vector<int64_t> constInts(const Node &n, size_t i) {
  if (n.inputs.size() > i && n.inputs[i] && n.inputs[i]->constant)
    return n.inputs[i]->constant->toInt64Vector();
  return {};
}

std::string check(const Node &n, const McuOptions &) {
  if (n.inputs.empty() || !isQ(n.inputs[0]) || !isQ(n.outputs.at(0))) return "only int8 / int16";
  if (isChannelsLast(n)) return "channels-last data movement";
  for (const Value *v : n.inputs)
    if (v && isQ(v) && v->type.dtype != n.outputs[0]->type.dtype) return "mixed types";
  if (auto q = tensorQ(n.outputs[0], "output"); !q) return q.error().message();
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    if (!n.inputs[i]) continue;
    if (i > 0 && n.opType != "Concat" && !n.inputs[i]->constant) return "parameters must be constants";
    if ((i == 0 || n.opType == "Concat")) {
      auto q = tensorQ(n.inputs[i], "input");
      if (!q) return q.error().message();
      if (n.outputs[0]->type.dtype == DataType::Int16 && !(*q == *tensorQ(n.outputs[0], "o")))
        return "requantizing int16 data movement";
    }
  }
  if (auto a = fusedRange(n); !a) return a.error().message();
  if (staticDims(*n.outputs[0]).size() > 6 || staticDims(*n.outputs[0]).empty()) return "rank 1 to 6";
  if (n.opType == "Pad") {
    std::string mode = n.attrString("mode", "constant");
    if (mode != "constant") return "pad mode '" + mode + "'";
    if (n.inputs.size() < 2 || !n.inputs[1]) return "pads must be an input";
    for (int64_t v : constInts(n, 1))
      if (v < 0) return "negative pads";
    if (n.inputs.size() > 3 && n.inputs[3]) return "Pad axes";
  }
  if (n.opType == "Slice" && (n.inputs.size() < 3 || !n.inputs[1] || !n.inputs[2]))
    return "Slice needs starts and ends inputs";
  return "";
}

struct Copy {
  std::vector<int64_t> dims, src, dst;
  int64_t srcOff = 0, dstOff = 0;
};

/// The ec_copy_q parameter block of one copy (unused dims are 1, their
/// strides 0).
Operand copyParams(LowerContext &ctx, const Copy &c, int elemSize, const Operand &lut) {
  std::vector<int64_t> d(6, 1), src(6, 0), dst(6, 0);
  for (size_t i = 0; i < c.dims.size() && i < 6; ++i) {
    d[i] = c.dims[i];
    src[i] = c.src[i];
    dst[i] = c.dst[i];
  }
  return ctx.params("ec_copy_q_params", "copy_" + ctx.node().name,
                    Fields().i("rank", int64_t(c.dims.size())).i("elem_size", elemSize)
                        .ints("dims", d).ints("src_stride", src).ints("dst_stride", dst)
                        .i("src_offset", c.srcOff).i("dst_offset", c.dstOff).ptr("lut", lut));
}

Status lower(LowerContext &ctx) {
  const Node &n = ctx.node();
  ctx.useRuntime("kernels/reference/copy_q.h");
  const int es = n.outputs[0]->type.dtype == DataType::Int16 ? 2 : 1;
  EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ yq, tensorQ(n.outputs[0], "output"));
  EDGEC_ASSIGN_OR_RETURN(qmath::QRange act, fusedRange(n));
  const qmath::QRange type = qmath::rangeOf(n.outputs[0]->type.dtype);
  const bool clamps = act.min != type.min || act.max != type.max;
  std::vector<int64_t> yd = staticDims(*n.outputs[0]);
  auto tableFor = [&](const Value *v) -> Expected<Operand> {
    EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ xq, tensorQ(v, "input"));
    if (xq == yq && !clamps) return Operand::null();
    if (n.opType == "Concat" && !(xq == yq)) { // ConcatenationWithScaling
      const float inv = 1.f / yq.scale, scale = xq.scale * inv;
      const float bias = (float)-xq.zeroPoint * scale;
      std::vector<int8_t> t(256);
      for (int q = -128; q < 128; ++q) {
        const float r = std::round((float)q * scale + bias);
        const int64_t o = std::isnan(r) ? yq.zeroPoint
                                        : (int64_t)std::clamp(r, -2147483648.0f, 2147483520.0f) + yq.zeroPoint;
        int32_t c = qmath::clampTo(o, {-128, 127});
        t[size_t(q + 128)] = int8_t(std::min(std::max(c, act.min), act.max));
      }
      return ctx.constantArray("requant", t);
    }
    EDGEC_ASSIGN_OR_RETURN(std::vector<int8_t> t, requantTableS8(xq, yq, act));
    return ctx.constantArray("requant", t);
  };
  if (n.opType == "Concat") {
    int64_t r = int64_t(yd.size());
    int64_t axis = n.attrInt("axis", 0);
    if (axis < 0) axis += r;
    std::vector<int64_t> ys = stridesOf(yd);
    int64_t off = 0;
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      std::vector<int64_t> xd = staticDims(*n.inputs[i]);
      Copy c;
      c.dims = xd;
      c.src = stridesOf(xd);
      c.dst = ys;
      c.dstOff = off * ys[size_t(axis)];
      off += xd[size_t(axis)];
      if (elementCount(*n.inputs[i]) == 0) continue;
      EDGEC_ASSIGN_OR_RETURN(Operand lut, tableFor(n.inputs[i]));
      Operand pid = copyParams(ctx, c, es, lut);
      ctx.call("ec_copy_q", {pid, ctx.in(i), ctx.out(0)});
    }
    ctx.setKernel("concat_q");
    return Status::ok();
  }
  EDGEC_ASSIGN_OR_RETURN(Operand lut, tableFor(n.inputs[0]));
  std::vector<int64_t> xd = staticDims(*n.inputs[0]);
  std::vector<int64_t> xs = stridesOf(xd);
  const int64_t r = int64_t(xd.size());
  Copy c;
  if (n.opType == "Transpose") {
    std::vector<int64_t> perm;
    if (n.attr("perm")) perm = n.attr("perm")->ints;
    else
      for (int64_t i = r - 1; i >= 0; --i) perm.push_back(i);
    c.dims = yd;
    c.dst = stridesOf(yd);
    for (int64_t i = 0; i < r; ++i) c.src.push_back(xs[size_t(perm[size_t(i)])]);
    ctx.setKernel("transpose_q");
  } else if (n.opType == "Slice") {
    std::vector<int64_t> starts = constInts(n, 1), axes = constInts(n, 3), steps = constInts(n, 4);
    if (axes.empty())
      for (size_t i = 0; i < starts.size(); ++i) axes.push_back(int64_t(i));
    if (steps.empty()) steps.assign(starts.size(), 1);
    c.dims = yd;
    c.dst = stridesOf(yd);
    c.src = xs;
    for (size_t i = 0; i < axes.size(); ++i) {
      int64_t a = axes[i] < 0 ? axes[i] + r : axes[i];
      int64_t dim = xd[size_t(a)], st = starts[i], step = steps[i];
      if (st < 0) st += dim;
      st = step > 0 ? std::clamp<int64_t>(st, 0, dim) : std::clamp<int64_t>(st, 0, dim - 1);
      c.srcOff += st * xs[size_t(a)];
      c.src[size_t(a)] = xs[size_t(a)] * step;
    }
    ctx.setKernel("slice_q");
  } else { // Pad
    std::vector<int64_t> pads = constInts(n, 1);
    EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ xq, tensorQ(n.inputs[0], "input"));
    int32_t fill = xq.zeroPoint;
    if (n.inputs.size() > 2 && n.inputs[2] && n.inputs[2]->constant->numElements() > 0) {
      const Tensor &cv = *n.inputs[2]->constant;
      const qmath::QRange xr = qmath::rangeOf(n.inputs[0]->type.dtype);
      if (isFloatType(cv.dtype()))
        fill = qmath::quantizeRound(cv.getDouble(0), xq.scale, xq.zeroPoint, xr);
      else if (n.inputs[2]->quant) {
        EDGEC_ASSIGN_OR_RETURN(qmath::TensorQ cq, tensorQ(n.inputs[2], "pad value"));
        fill = qmath::quantizeRound(qmath::dequantize(cv.getInt64(0), cq.scale, cq.zeroPoint),
                                    xq.scale, xq.zeroPoint, xr);
      } else
        fill = qmath::clampTo(cv.getInt64(0), xr);
    }
    // The fill value in output units (it goes through the same table).
    if (!lut.isNull()) {
      EDGEC_ASSIGN_OR_RETURN(std::vector<int8_t> t, requantTableS8(xq, yq, act));
      fill = t[size_t(fill + 128)];
    }
    std::vector<int64_t> ys = stridesOf(yd);
    c.dims = xd;
    c.src = xs;
    c.dst = ys;
    for (int64_t i = 0; i < r; ++i) c.dstOff += pads[size_t(i)] * ys[size_t(i)];
    ctx.call("ec_fill_q", {ctx.out(0), Operand::integer(fill), Operand::integer(es),
                           Operand::integer(elementCount(ctx.outValue(0)))});
    ctx.setKernel("pad_q");
  }
  if (elementCount(ctx.outValue(0)) == 0) return Status::ok();
  Operand pid = copyParams(ctx, c, es, lut);
  ctx.call("ec_copy_q", {pid, ctx.in(0), ctx.out(0)});
  return Status::ok();
}

} // namespace

void registerDataS8(std::vector<Lowering> &out) {
  for (const char *op : {"Transpose", "Slice", "Concat", "Pad"})
    out.push_back({op, Lowering::Integer, check, lower, {"int8", "int16"},
                   "rank <= 6; Pad: constant mode"});
}

} // namespace edgec::mcu
