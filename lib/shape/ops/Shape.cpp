// Shape and type inference of the Shape family (kernels:
// interp/kernels/Shape.cpp). Shape-like inputs (Reshape's shape, Slice's
// starts...) are read from inputValue() when they are constants.
#include "shape/ops/Shape.h"

#include <algorithm>
#include <limits>

namespace edgec {

Dim dimProduct(const Dims &dims, size_t b, size_t e) {
  if (e == b + 1) return dims[b];
  int64_t p = 1;
  for (size_t i = b; i < e; ++i)
    if (!dims[i].isStatic() || !mulInto(p, dims[i].value))
      return Dim::unknown();
  return Dim::fixed(p);
}

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

int64_t concatAxisAttr(const NodeContext &ctx) {
  // Concat-1 defaulted the axis to 1; later versions require it.
  return ctx.attrInt("axis", 1);
}

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

std::pair<int64_t, int64_t> shapeRange(const NodeContext &ctx, int64_t r) {
  int64_t start = ctx.attrInt("start", 0), end = ctx.attrInt("end", r);
  if (start < 0) start = std::max<int64_t>(start, -r) + r;
  if (end < 0) end = std::max<int64_t>(end, -r) + r;
  start = std::min(start, r);
  end = std::clamp<int64_t>(end, start, r);
  return {start, end};
}

namespace {

/// Copies a dim preferring the static one of two equal-role dims.
Dim mergeDim(const Dim &a, const Dim &b) {
  if (a.isStatic()) return a;
  if (b.isStatic()) return b;
  return a.symbol.empty() ? b : a;
}

Status inferReshape(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  IntList spec = intList(ctx, 1, "shape");
  if (!spec.present) return ctx.error("missing shape");
  if (!spec.known) {
    ctx.outputs[0] = TensorType(x.dtype);
    int64_t n = shapeInputLength(ctx.inputType(1));
    if (n >= 0) ctx.outputs[0] = TensorType(x.dtype, Dims((size_t)n, Dim{}));
    return Status::ok();
  }
  EDGEC_ASSIGN_OR_RETURN(Dims out,
                         reshapeDims(ctx, x.hasRank ? &x.dims : nullptr,
                                     spec.v, ctx.attrInt("allowzero", 0)));
  ctx.outputs[0] = TensorType(x.dtype, std::move(out));
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

Status inferSqueeze(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  ctx.outputs[0] = TensorType(x.dtype);
  IntList axes = intList(ctx, 1, "axes");
  if (!x.hasRank || !axes.known) return Status::ok();
  EDGEC_ASSIGN_OR_RETURN(auto out, squeezeDims(ctx, x.dims, axes));
  if (out) ctx.outputs[0] = TensorType(x.dtype, std::move(*out));
  return Status::ok();
}

Status inferUnsqueeze(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  ctx.outputs[0] = TensorType(x.dtype);
  IntList axes = intList(ctx, 1, "axes");
  if (!axes.present) return ctx.error("missing axes");
  if (!x.hasRank) return Status::ok();
  if (!axes.known) {
    int64_t n = shapeInputLength(ctx.inputType(1));
    if (n >= 0)
      ctx.outputs[0] = TensorType(x.dtype, Dims(x.rank() + (size_t)n, Dim{}));
    return Status::ok();
  }
  EDGEC_ASSIGN_OR_RETURN(Dims out, unsqueezeDims(ctx, x.dims, axes.v));
  ctx.outputs[0] = TensorType(x.dtype, std::move(out));
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

Status inferShape(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  ctx.outputs[0] = TensorType(DataType::Int64, Dims{Dim{}});
  if (x.hasRank) {
    auto [start, end] = shapeRange(ctx, (int64_t)x.rank());
    ctx.outputs[0] = TensorType(DataType::Int64, Dims{Dim::fixed(end - start)});
  }
  return Status::ok();
}

Status inferSize(InferContext &ctx) {
  ctx.outputs[0] = TensorType(DataType::Int64, Dims{});
  return Status::ok();
}

} // namespace

void registerShapeInference(InferRegistry &r) {
  r.add("Reshape", inferReshape);
  r.add("Flatten", inferFlatten);
  r.add("Squeeze", inferSqueeze);
  r.add("Unsqueeze", inferUnsqueeze);
  r.add("Transpose", inferTranspose);
  r.add("Concat", inferConcat);
  r.add("Split", inferSplit);
  r.add("Slice", inferSlice);
  r.add("Shape", inferShape);
  r.add("Size", inferSize);
}

} // namespace edgec
