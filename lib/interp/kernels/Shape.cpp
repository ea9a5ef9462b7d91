// Shape kernels: ops that re-interpret or rearrange elements without
// arithmetic (Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Concat, Split,
// Slice), plus Shape and Size. Padding/tiling-like ops live in Layout.cpp.
//
// Each op's shape logic works on Dims (static, symbolic or unknown) and is
// shared by the kernel (all dims static) and the inference function, so the
// two cannot disagree. Shape-like inputs (Reshape's shape, Slice's starts...)
// are read from inputValue() during inference when they are constants.
#include "interp/kernels/CopyUtil.h"

#include <algorithm>
#include <limits>

namespace edgec {

namespace {

using Dims = std::vector<Dim>;
using copyutil::IntList;
using copyutil::intList;
using copyutil::mulInto;

Dims dimsOf(const TensorShape &s) {
  Dims d;
  for (int64_t v : s) d.push_back(Dim::fixed(v));
  return d;
}

/// Converts dims computed by a kernel to a static shape (they must be).
Expected<TensorShape> staticShape(const NodeContext &ctx, const Dims &dims) {
  TensorShape s;
  for (const Dim &d : dims) {
    if (!d.isStatic())
      return ctx.error("output shape could not be determined",
                       ErrorCode::InvalidInput);
    s.push_back(d.value);
  }
  return s;
}

/// Product of dims[b, e) as a Dim: a single dim is copied (keeping its
/// symbol), static dims multiply, anything else is unknown.
Dim dimProduct(const Dims &dims, size_t b, size_t e) {
  if (e == b + 1) return dims[b];
  int64_t p = 1;
  for (size_t i = b; i < e; ++i)
    if (!dims[i].isStatic() || !mulInto(p, dims[i].value))
      return Dim::unknown();
  return Dim::fixed(p);
}

/// Copies a dim preferring the static one of two equal-role dims.
Dim mergeDim(const Dim &a, const Dim &b) {
  if (a.isStatic()) return a;
  if (b.isStatic()) return b;
  return a.symbol.empty() ? b : a;
}

// ---------------------------------------------------------------------------
// Reshape

/// Output dims of Reshape. `in` is null when the input rank is unknown.
Expected<Dims> reshapeDims(const NodeContext &ctx, const Dims *in,
                           const std::vector<int64_t> &spec, bool allowZero) {
  Dims out(spec.size());
  int64_t inferIdx = -1;
  bool hasZero = false;
  for (size_t i = 0; i < spec.size(); ++i) {
    int64_t s = spec[i];
    if (s == -1) {
      if (inferIdx >= 0)
        return ctx.error("shape has more than one -1 entry");
      inferIdx = (int64_t)i;
    } else if (s == 0 && !allowZero) {
      if (!in) {
        out[i] = Dim::unknown();
      } else if (i >= in->size()) {
        return ctx.error("shape entry " + std::to_string(i) +
                         " is 0 but the input has rank " +
                         std::to_string(in->size()));
      } else {
        out[i] = (*in)[i];
      }
    } else if (s < 0) {
      return ctx.error("invalid shape entry " + std::to_string(s));
    } else {
      hasZero |= s == 0;
      out[i] = Dim::fixed(s);
    }
  }
  if (hasZero && inferIdx >= 0)
    return ctx.error("shape has both -1 and 0 entries with allowzero=1");
  if (!in) {
    if (inferIdx >= 0) out[(size_t)inferIdx] = Dim::unknown();
    return out;
  }
  // Element counts: static parts multiply; symbolic input dims must be
  // matched by equal symbolic output dims to cancel out.
  int64_t inProd = 1;
  Dims inRest;
  for (const Dim &d : *in) {
    if (d.isStatic()) {
      if (!mulInto(inProd, d.value)) return ctx.error("input too large");
    } else {
      inRest.push_back(d);
    }
  }
  int64_t outProd = 1;
  bool cancelled = true;
  for (size_t i = 0; i < out.size(); ++i) {
    if ((int64_t)i == inferIdx) continue;
    const Dim &d = out[i];
    if (d.isStatic()) {
      if (!mulInto(outProd, d.value))
        return ctx.error("shape has too many elements");
      continue;
    }
    auto it = std::find_if(inRest.begin(), inRest.end(), [&](const Dim &x) {
      return !x.symbol.empty() && x.symbol == d.symbol;
    });
    if (it == inRest.end())
      cancelled = false;
    else
      inRest.erase(it);
  }
  bool comparable = cancelled && inRest.empty();
  if (inferIdx >= 0) {
    Dim &d = out[(size_t)inferIdx];
    d = Dim::unknown();
    if (comparable) {
      if (outProd == 0 || inProd % outProd != 0)
        return ctx.error("cannot reshape " + std::to_string(inProd) +
                             " elements with shape entry -1",
                         ErrorCode::InvalidInput);
      d = Dim::fixed(inProd / outProd);
    }
  } else if (comparable && inProd != outProd) {
    return ctx.error("cannot reshape " + std::to_string(inProd) +
                         " elements into " + std::to_string(outProd),
                     ErrorCode::InvalidInput);
  }
  return out;
}

Status runReshape(KernelContext &ctx) {
  IntList spec = intList(ctx, 1, "shape");
  if (!spec.present) return ctx.error("missing shape");
  const Tensor &x = ctx.input(0);
  Dims in = dimsOf(x.shape());
  EDGEC_ASSIGN_OR_RETURN(
      Dims out, reshapeDims(ctx, &in, spec.v, ctx.attrInt("allowzero", 0)));
  EDGEC_ASSIGN_OR_RETURN(TensorShape s, staticShape(ctx, out));
  EDGEC_TRY(checkedNumElements(s));
  ctx.outputs[0] = x.reshaped(std::move(s));
  return Status::ok();
}

Status inferReshape(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  IntList spec = intList(ctx, 1, "shape");
  if (!spec.present) return ctx.error("missing shape");
  if (!spec.known) {
    ctx.outputs[0] = TensorType(x.dtype);
    int64_t n = copyutil::shapeInputLength(ctx.inputType(1));
    if (n >= 0) ctx.outputs[0] = TensorType(x.dtype, Dims((size_t)n, Dim{}));
    return Status::ok();
  }
  EDGEC_ASSIGN_OR_RETURN(Dims out,
                         reshapeDims(ctx, x.hasRank ? &x.dims : nullptr,
                                     spec.v, ctx.attrInt("allowzero", 0)));
  ctx.outputs[0] = TensorType(x.dtype, std::move(out));
  return Status::ok();
}

// ---------------------------------------------------------------------------
// Flatten

Expected<Dims> flattenDims(const NodeContext &ctx, const Dims &in) {
  int64_t r = (int64_t)in.size();
  int64_t axis = ctx.attrInt("axis", 1);
  if (axis < -r || axis > r)
    return ctx.error("axis " + std::to_string(axis) +
                     " is out of range for rank " + std::to_string(r));
  if (axis < 0) axis += r;
  return Dims{dimProduct(in, 0, (size_t)axis),
              dimProduct(in, (size_t)axis, in.size())};
}

Status runFlatten(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  EDGEC_ASSIGN_OR_RETURN(Dims out, flattenDims(ctx, dimsOf(x.shape())));
  EDGEC_ASSIGN_OR_RETURN(TensorShape s, staticShape(ctx, out));
  ctx.outputs[0] = x.reshaped(std::move(s));
  return Status::ok();
}

Status inferFlatten(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  if (!x.hasRank) {
    ctx.outputs[0] = TensorType(x.dtype, Dims(2));
    return Status::ok();
  }
  EDGEC_ASSIGN_OR_RETURN(Dims out, flattenDims(ctx, x.dims));
  ctx.outputs[0] = TensorType(x.dtype, std::move(out));
  return Status::ok();
}

// ---------------------------------------------------------------------------
// Squeeze / Unsqueeze (axes: attribute before opset 13, input from 13)

/// Output dims of Squeeze; nullopt when the rank cannot be known (no axes
/// and some dims are not static).
Expected<std::optional<Dims>> squeezeDims(const NodeContext &ctx,
                                          const Dims &in, const IntList &axes) {
  int64_t r = (int64_t)in.size();
  std::vector<bool> drop(in.size(), false);
  if (axes.present) {
    for (int64_t a : axes.v) {
      EDGEC_ASSIGN_OR_RETURN(int64_t n, normalizeAxis(ctx, a, r));
      if (r == 0) return ctx.error("cannot squeeze a scalar");
      const Dim &d = in[(size_t)n];
      if (d.isStatic() && d.value != 1)
        return ctx.error("cannot squeeze axis " + std::to_string(a) +
                         " of size " + std::to_string(d.value));
      drop[(size_t)n] = true;
    }
  } else {
    for (size_t i = 0; i < in.size(); ++i) {
      if (!in[i].isStatic()) return std::optional<Dims>();
      drop[i] = in[i].value == 1;
    }
  }
  Dims out;
  for (size_t i = 0; i < in.size(); ++i)
    if (!drop[i]) out.push_back(in[i]);
  return std::optional<Dims>(std::move(out));
}

Status runSqueeze(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  EDGEC_ASSIGN_OR_RETURN(
      auto out, squeezeDims(ctx, dimsOf(x.shape()), intList(ctx, 1, "axes")));
  EDGEC_ASSIGN_OR_RETURN(TensorShape s, staticShape(ctx, *out));
  ctx.outputs[0] = x.reshaped(std::move(s));
  return Status::ok();
}

Status inferSqueeze(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  ctx.outputs[0] = TensorType(x.dtype);
  IntList axes = intList(ctx, 1, "axes");
  if (!x.hasRank || !axes.known) return Status::ok();
  EDGEC_ASSIGN_OR_RETURN(auto out, squeezeDims(ctx, x.dims, axes));
  if (out) ctx.outputs[0] = TensorType(x.dtype, std::move(*out));
  return Status::ok();
}

Expected<Dims> unsqueezeDims(const NodeContext &ctx, const Dims &in,
                             const std::vector<int64_t> &axes) {
  int64_t r = (int64_t)(in.size() + axes.size());
  std::vector<bool> added((size_t)r, false);
  for (int64_t a : axes) {
    EDGEC_ASSIGN_OR_RETURN(int64_t n, normalizeAxis(ctx, a, r));
    if (added[(size_t)n])
      return ctx.error("duplicate axis " + std::to_string(a));
    added[(size_t)n] = true;
  }
  Dims out;
  size_t k = 0;
  for (int64_t i = 0; i < r; ++i)
    out.push_back(added[(size_t)i] ? Dim::fixed(1) : in[k++]);
  return out;
}

Status runUnsqueeze(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  IntList axes = intList(ctx, 1, "axes");
  if (!axes.present) return ctx.error("missing axes");
  EDGEC_ASSIGN_OR_RETURN(Dims out,
                         unsqueezeDims(ctx, dimsOf(x.shape()), axes.v));
  EDGEC_ASSIGN_OR_RETURN(TensorShape s, staticShape(ctx, out));
  ctx.outputs[0] = x.reshaped(std::move(s));
  return Status::ok();
}

Status inferUnsqueeze(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  ctx.outputs[0] = TensorType(x.dtype);
  IntList axes = intList(ctx, 1, "axes");
  if (!axes.present) return ctx.error("missing axes");
  if (!x.hasRank) return Status::ok();
  if (!axes.known) {
    int64_t n = copyutil::shapeInputLength(ctx.inputType(1));
    if (n >= 0)
      ctx.outputs[0] = TensorType(x.dtype, Dims(x.rank() + (size_t)n, Dim{}));
    return Status::ok();
  }
  EDGEC_ASSIGN_OR_RETURN(Dims out, unsqueezeDims(ctx, x.dims, axes.v));
  ctx.outputs[0] = TensorType(x.dtype, std::move(out));
  return Status::ok();
}

// ---------------------------------------------------------------------------
// Transpose

Expected<std::vector<int64_t>> transposePerm(const NodeContext &ctx,
                                             size_t rank) {
  std::vector<int64_t> perm;
  if (ctx.hasAttr("perm")) {
    perm = ctx.attrInts("perm");
    if (perm.size() != rank)
      return ctx.error("perm has " + std::to_string(perm.size()) +
                       " entries for rank " + std::to_string(rank));
    std::vector<bool> seen(rank, false);
    for (int64_t &p : perm) {
      // Negative entries are not in the spec; accept them like axes.
      EDGEC_ASSIGN_OR_RETURN(p, normalizeAxis(ctx, p, (int64_t)rank));
      if (seen[(size_t)p]) return ctx.error("perm is not a permutation");
      seen[(size_t)p] = true;
    }
  } else {
    for (size_t i = 0; i < rank; ++i) perm.push_back((int64_t)(rank - 1 - i));
  }
  return perm;
}

Status runTranspose(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  EDGEC_ASSIGN_OR_RETURN(auto perm, transposePerm(ctx, x.rank()));
  std::vector<int64_t> inStrides = stridesOf(x.shape()), strides;
  TensorShape shape;
  for (int64_t p : perm) {
    shape.push_back(x.dim((size_t)p));
    strides.push_back(inStrides[(size_t)p]);
  }
  Tensor out(x.dtype(), shape);
  copyutil::stridedCopy(x, 0, strides, out);
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}

Status inferTranspose(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  ctx.outputs[0] = TensorType(x.dtype);
  if (!x.hasRank) {
    if (ctx.hasAttr("perm"))
      ctx.outputs[0] =
          TensorType(x.dtype, Dims(ctx.attrInts("perm").size(), Dim{}));
    return Status::ok();
  }
  EDGEC_ASSIGN_OR_RETURN(auto perm, transposePerm(ctx, x.rank()));
  Dims out;
  for (int64_t p : perm) out.push_back(x.dims[(size_t)p]);
  ctx.outputs[0] = TensorType(x.dtype, std::move(out));
  return Status::ok();
}

// ---------------------------------------------------------------------------
// Concat

int64_t concatAxisAttr(const NodeContext &ctx) {
  // Concat-1 defaulted the axis to 1; later versions require it.
  return ctx.attrInt("axis", 1);
}

Status runConcat(KernelContext &ctx) {
  if (!ctx.hasAttr("axis") && ctx.opset() >= 4)
    return ctx.error("missing attribute 'axis'");
  std::vector<const Tensor *> ins;
  for (size_t i = 0; i < ctx.numInputs(); ++i)
    if (ctx.hasInput(i)) ins.push_back(&ctx.input(i));
  if (ins.empty()) return ctx.error("no inputs");
  const Tensor &first = *ins[0];
  int64_t r = (int64_t)first.rank();
  if (r == 0) return ctx.error("cannot concatenate scalars");
  EDGEC_ASSIGN_OR_RETURN(int64_t axis,
                         normalizeAxis(ctx, concatAxisAttr(ctx), r));
  TensorShape shape = first.shape();
  shape[(size_t)axis] = 0;
  for (const Tensor *t : ins) {
    if (t->dtype() != first.dtype())
      return ctx.error("inputs have different element types");
    if ((int64_t)t->rank() != r)
      return ctx.error("inputs have different ranks",
                       ErrorCode::InvalidInput);
    for (int64_t d = 0; d < r; ++d)
      if (d != axis && t->dim((size_t)d) != first.dim((size_t)d))
        return ctx.error("input shapes " + shapeToString(first.shape()) +
                             " and " + shapeToString(t->shape()) +
                             " differ outside the concat axis",
                         ErrorCode::InvalidInput);
    shape[(size_t)axis] += t->dim((size_t)axis);
  }
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(first.dtype(), shape));
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= shape[(size_t)d];
  for (int64_t d = axis + 1; d < r; ++d) inner *= shape[(size_t)d];
  int64_t outRow = shape[(size_t)axis] * inner, pos = 0;
  for (const Tensor *t : ins) {
    int64_t row = t->dim((size_t)axis) * inner;
    for (int64_t o = 0; o < outer; ++o)
      copyutil::copyElems(out, o * outRow + pos, *t, o * row, row);
    pos += row;
  }
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}

Status inferConcat(InferContext &ctx) {
  DataType dt = DataType::Undefined;
  const TensorType *ranked = nullptr;
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    if (!ctx.hasInput(i)) continue;
    const TensorType &t = ctx.inputType(i);
    if (dt == DataType::Undefined) dt = t.dtype;
    if (t.hasRank && !ranked) ranked = &t;
  }
  ctx.outputs[0] = TensorType(dt);
  if (!ranked) return Status::ok();
  int64_t r = (int64_t)ranked->rank();
  if (r == 0) return ctx.error("cannot concatenate scalars");
  EDGEC_ASSIGN_OR_RETURN(int64_t axis,
                         normalizeAxis(ctx, concatAxisAttr(ctx), r));
  Dims out = ranked->dims;
  int64_t sum = 0;
  bool sumKnown = true;
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    if (!ctx.hasInput(i)) continue;
    const TensorType &t = ctx.inputType(i);
    if (!t.hasRank) {
      sumKnown = false;
      continue;
    }
    if ((int64_t)t.rank() != r)
      return ctx.error("inputs have different ranks");
    for (int64_t d = 0; d < r; ++d) {
      const Dim &a = out[(size_t)d], &b = t.dims[(size_t)d];
      if (d == axis) continue;
      if (a.isStatic() && b.isStatic() && a.value != b.value)
        return ctx.error("input shapes " + ranked->str() + " and " + t.str() +
                         " differ outside the concat axis");
      out[(size_t)d] = mergeDim(a, b);
    }
    const Dim &ad = t.dims[(size_t)axis];
    if (ad.isStatic() && !__builtin_add_overflow(sum, ad.value, &sum))
      continue;
    sumKnown = false;
  }
  out[(size_t)axis] = sumKnown ? Dim::fixed(sum) : Dim::unknown();
  ctx.outputs[0] = TensorType(dt, std::move(out));
  return Status::ok();
}

// ---------------------------------------------------------------------------
// Split

/// Chunk sizes along the split axis (dim < 0 when unknown; then only an
/// explicit split list gives sizes).
Expected<std::vector<int64_t>> splitSizes(const NodeContext &ctx,
                                          int64_t dim, const IntList &split,
                                          size_t numOutputs) {
  if (split.present && !split.v.empty()) {
    if (split.v.size() != numOutputs)
      return ctx.error("split has " + std::to_string(split.v.size()) +
                       " entries for " + std::to_string(numOutputs) +
                       " outputs");
    int64_t sum = 0;
    for (int64_t s : split.v) {
      if (s < 0 || s > (int64_t(1) << 40))
        return ctx.error("invalid split size " + std::to_string(s));
      sum += s;
    }
    if (dim >= 0 && sum != dim)
      return ctx.error("split sizes sum to " + std::to_string(sum) +
                           " but the axis has size " + std::to_string(dim),
                       ErrorCode::InvalidInput);
    return split.v;
  }
  if (ctx.hasAttr("num_outputs") &&
      ctx.attrInt("num_outputs", 0) != (int64_t)numOutputs)
    return ctx.error("num_outputs does not match the number of outputs");
  if (numOutputs == 0) return ctx.error("no outputs");
  if (dim < 0) return std::vector<int64_t>();
  // Equal chunks; when the size does not divide evenly (opset 18) the last
  // chunk is smaller.
  int64_t n = (int64_t)numOutputs;
  int64_t chunk = (dim + n - 1) / n;
  int64_t last = dim - chunk * (n - 1);
  if (last < 0)
    return ctx.error("axis of size " + std::to_string(dim) +
                         " cannot be split into " + std::to_string(n) +
                         " parts",
                     ErrorCode::InvalidInput);
  std::vector<int64_t> sizes((size_t)n, chunk);
  sizes.back() = last;
  return sizes;
}

Status runSplit(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  int64_t r = (int64_t)x.rank();
  EDGEC_ASSIGN_OR_RETURN(int64_t axis,
                         normalizeAxis(ctx, ctx.attrInt("axis", 0), r));
  if (r == 0) return ctx.error("cannot split a scalar");
  EDGEC_ASSIGN_OR_RETURN(auto sizes,
                         splitSizes(ctx, x.dim((size_t)axis),
                                    intList(ctx, 1, "split"),
                                    ctx.numOutputs()));
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= x.dim((size_t)d);
  for (int64_t d = axis + 1; d < r; ++d) inner *= x.dim((size_t)d);
  int64_t inRow = x.dim((size_t)axis) * inner, pos = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    TensorShape s = x.shape();
    s[(size_t)axis] = sizes[i];
    Tensor out(x.dtype(), s);
    int64_t row = sizes[i] * inner;
    for (int64_t o = 0; o < outer; ++o)
      copyutil::copyElems(out, o * row, x, o * inRow + pos, row);
    pos += row;
    ctx.outputs[i] = std::move(out);
  }
  return Status::ok();
}

Status inferSplit(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  for (auto &o : ctx.outputs) o = TensorType(x.dtype);
  if (!x.hasRank) return Status::ok();
  int64_t r = (int64_t)x.rank();
  if (r == 0) return ctx.error("cannot split a scalar");
  EDGEC_ASSIGN_OR_RETURN(int64_t axis,
                         normalizeAxis(ctx, ctx.attrInt("axis", 0), r));
  IntList split = intList(ctx, 1, "split");
  std::vector<int64_t> sizes;
  if (split.known) {
    const Dim &d = x.dims[(size_t)axis];
    EDGEC_ASSIGN_OR_RETURN(sizes,
                           splitSizes(ctx, d.isStatic() ? d.value : -1, split,
                                      ctx.outputs.size()));
  }
  for (size_t i = 0; i < ctx.outputs.size(); ++i) {
    Dims dims = x.dims;
    dims[(size_t)axis] =
        i < sizes.size() ? Dim::fixed(sizes[i]) : Dim::unknown();
    ctx.outputs[i] = TensorType(x.dtype, std::move(dims));
  }
  return Status::ok();
}

// ---------------------------------------------------------------------------
// Slice (starts/ends/axes attributes before opset 10; inputs with steps
// from 10)

struct SliceAxis {
  int64_t start = 0, step = 1, count = 0;
};

struct SliceSpec {
  bool known = true;
  std::vector<int64_t> starts, ends, axes, steps;
};

template <typename Ctx> Expected<SliceSpec> sliceSpec(const Ctx &ctx) {
  SliceSpec s;
  IntList starts = intList(ctx, 1, "starts"), ends = intList(ctx, 2, "ends"),
          axes = intList(ctx, 3, "axes"), steps = intList(ctx, 4, "steps");
  if (!starts.present || !ends.present)
    return ctx.error("missing starts or ends");
  s.known = starts.known && ends.known && axes.known && steps.known;
  s.starts = starts.v;
  s.ends = ends.v;
  if (!s.known) return s;
  if (s.starts.size() != s.ends.size())
    return ctx.error("starts and ends have different lengths");
  size_t n = s.starts.size();
  if (axes.present) {
    s.axes = axes.v;
  } else {
    for (size_t i = 0; i < n; ++i) s.axes.push_back((int64_t)i);
  }
  s.steps = steps.present ? steps.v : std::vector<int64_t>(n, 1);
  if (s.axes.size() != n || s.steps.size() != n)
    return ctx.error("starts, ends, axes and steps have different lengths");
  return s;
}

/// Start and element count of slicing a dim of size `dim` (ONNX clamping
/// rules; no overflow for any int64 start/end).
Expected<SliceAxis> sliceAxis(const NodeContext &ctx, int64_t dim,
                              int64_t start, int64_t end, int64_t step) {
  if (step == 0) return ctx.error("slice step is 0");
  if (start < 0) start = start < -dim ? -1 : start + dim;
  if (end < 0) end = end < -dim ? -1 : end + dim;
  SliceAxis a;
  a.step = step;
  if (dim == 0) return a;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
    a.count = end > start ? (end - start - 1) / step + 1 : 0;
  } else {
    start = std::clamp<int64_t>(start, 0, dim - 1);
    end = std::clamp<int64_t>(end, -1, dim - 1);
    // step may be INT64_MIN: compute with the magnitude as unsigned.
    uint64_t mag = (uint64_t)0 - (uint64_t)step;
    a.count = start > end ? (int64_t)(((uint64_t)(start - end) + mag - 1) / mag)
                          : 0;
  }
  a.start = start;
  // A step beyond the dim selects at most one element; clamping it keeps
  // step * stride from overflowing.
  a.step = std::clamp<int64_t>(step, -dim - 1, dim + 1);
  return a;
}

Status runSlice(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  int64_t r = (int64_t)x.rank();
  EDGEC_ASSIGN_OR_RETURN(SliceSpec spec, sliceSpec(ctx));
  std::vector<SliceAxis> ax((size_t)r);
  for (int64_t d = 0; d < r; ++d) ax[(size_t)d].count = x.dim((size_t)d);
  std::vector<bool> seen((size_t)r, false);
  for (size_t i = 0; i < spec.axes.size(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(int64_t a, normalizeAxis(ctx, spec.axes[i], r));
    if (r == 0) return ctx.error("cannot slice a scalar");
    if (seen[(size_t)a]) return ctx.error("duplicate axis in axes");
    seen[(size_t)a] = true;
    EDGEC_ASSIGN_OR_RETURN(ax[(size_t)a],
                           sliceAxis(ctx, x.dim((size_t)a), spec.starts[i],
                                     spec.ends[i], spec.steps[i]));
  }
  std::vector<int64_t> inStrides = stridesOf(x.shape()), strides;
  TensorShape shape;
  int64_t base = 0;
  for (int64_t d = 0; d < r; ++d) {
    const SliceAxis &a = ax[(size_t)d];
    shape.push_back(a.count);
    base += a.start * inStrides[(size_t)d];
    strides.push_back(a.step * inStrides[(size_t)d]);
  }
  Tensor out(x.dtype(), shape);
  copyutil::stridedCopy(x, base, strides, out);
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}

Status inferSlice(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  ctx.outputs[0] = TensorType(x.dtype);
  if (!x.hasRank) return Status::ok();
  int64_t r = (int64_t)x.rank();
  EDGEC_ASSIGN_OR_RETURN(SliceSpec spec, sliceSpec(ctx));
  Dims out = x.dims;
  if (!spec.known) {
    // Unknown axes: every dim may change; known axes: only those.
    IntList axes = intList(ctx, 3, "axes");
    if (!axes.known) {
      out = Dims(x.rank(), Dim{});
    } else if (!axes.present) {
      for (size_t i = 0; i < out.size(); ++i) out[i] = Dim::unknown();
    } else {
      for (int64_t a : axes.v) {
        EDGEC_ASSIGN_OR_RETURN(int64_t n, normalizeAxis(ctx, a, r));
        if (r > 0) out[(size_t)n] = Dim::unknown();
      }
    }
    ctx.outputs[0] = TensorType(x.dtype, std::move(out));
    return Status::ok();
  }
  for (size_t i = 0; i < spec.axes.size(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(int64_t a, normalizeAxis(ctx, spec.axes[i], r));
    if (r == 0) return ctx.error("cannot slice a scalar");
    const Dim &d = x.dims[(size_t)a];
    if (!d.isStatic()) {
      // Slicing all of an unknown dim keeps it.
      bool whole = spec.starts[i] == 0 && spec.steps[i] == 1 &&
                   spec.ends[i] >= std::numeric_limits<int32_t>::max();
      out[(size_t)a] = whole ? d : Dim::unknown();
      continue;
    }
    EDGEC_ASSIGN_OR_RETURN(SliceAxis s, sliceAxis(ctx, d.value, spec.starts[i],
                                                  spec.ends[i],
                                                  spec.steps[i]));
    out[(size_t)a] = Dim::fixed(s.count);
  }
  ctx.outputs[0] = TensorType(x.dtype, std::move(out));
  return Status::ok();
}

// ---------------------------------------------------------------------------
// Shape / Size

std::pair<int64_t, int64_t> shapeRange(const NodeContext &ctx, int64_t r) {
  int64_t start = ctx.attrInt("start", 0), end = ctx.attrInt("end", r);
  if (start < 0) start = std::max<int64_t>(start, -r) + r;
  if (end < 0) end = std::max<int64_t>(end, -r) + r;
  start = std::min(start, r);
  end = std::clamp<int64_t>(end, start, r);
  return {start, end};
}

Status runShape(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  auto [start, end] = shapeRange(ctx, (int64_t)x.rank());
  std::vector<int64_t> v(x.shape().begin() + start, x.shape().begin() + end);
  ctx.outputs[0] = Tensor::fromVector<int64_t>({(int64_t)v.size()}, v);
  return Status::ok();
}

Status inferShape(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  ctx.outputs[0] = TensorType(DataType::Int64, Dims{Dim{}});
  if (x.hasRank) {
    auto [start, end] = shapeRange(ctx, (int64_t)x.rank());
    ctx.outputs[0] = TensorType(DataType::Int64, Dims{Dim::fixed(end - start)});
  }
  return Status::ok();
}

Status runSize(KernelContext &ctx) {
  ctx.outputs[0] = Tensor::scalar<int64_t>(ctx.input(0).numElements());
  return Status::ok();
}

Status inferSize(InferContext &ctx) {
  ctx.outputs[0] = TensorType(DataType::Int64, Dims{});
  return Status::ok();
}

} // namespace

void registerShapeKernels(KernelRegistry &r) {
  r.add("Reshape", runReshape, inferReshape);
  r.add("Flatten", runFlatten, inferFlatten);
  r.add("Squeeze", runSqueeze, inferSqueeze);
  r.add("Unsqueeze", runUnsqueeze, inferUnsqueeze);
  r.add("Transpose", runTranspose, inferTranspose);
  r.add("Concat", runConcat, inferConcat);
  r.add("Split", runSplit, inferSplit);
  r.add("Slice", runSlice, inferSlice);
  r.add("Shape", runShape, inferShape);
  r.add("Size", runSize, inferSize);
}

} // namespace edgec
