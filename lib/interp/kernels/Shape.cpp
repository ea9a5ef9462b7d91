// Shape kernels: ops that re-interpret or rearrange elements without
// arithmetic (Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Concat, Split,
// Slice), plus Shape and Size. Padding/tiling-like ops live in Layout.cpp.
//
// Each op's shape logic works on Dims (static, symbolic or unknown) and is
// shared with the inference (shape/ops/Shape.h; all dims static here), so
// the two cannot disagree.
#include "interp/kernels/CopyUtil.h"
#include "shape/ops/Shape.h"

#include <algorithm>
#include <limits>

namespace edgec {
namespace {

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

Status runFlatten(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  EDGEC_ASSIGN_OR_RETURN(Dims out, flattenDims(ctx, dimsOf(x.shape())));
  EDGEC_ASSIGN_OR_RETURN(TensorShape s, staticShape(ctx, out));
  ctx.outputs[0] = x.reshaped(std::move(s));
  return Status::ok();
}

Status runSqueeze(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  EDGEC_ASSIGN_OR_RETURN(
      auto out, squeezeDims(ctx, dimsOf(x.shape()), intList(ctx, 1, "axes")));
  EDGEC_ASSIGN_OR_RETURN(TensorShape s, staticShape(ctx, *out));
  ctx.outputs[0] = x.reshaped(std::move(s));
  return Status::ok();
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

Status runShape(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  auto [start, end] = shapeRange(ctx, (int64_t)x.rank());
  std::vector<int64_t> v(x.shape().begin() + start, x.shape().begin() + end);
  ctx.outputs[0] = Tensor::fromVector<int64_t>({(int64_t)v.size()}, v);
  return Status::ok();
}

Status runSize(KernelContext &ctx) {
  ctx.outputs[0] = Tensor::scalar<int64_t>(ctx.input(0).numElements());
  return Status::ok();
}

} // namespace

void registerShapeKernels(KernelRegistry &r) {
  r.add("Reshape", runReshape);
  r.add("Flatten", runFlatten);
  r.add("Squeeze", runSqueeze);
  r.add("Unsqueeze", runUnsqueeze);
  r.add("Transpose", runTranspose);
  r.add("Concat", runConcat);
  r.add("Split", runSplit);
  r.add("Slice", runSlice);
  r.add("Shape", runShape);
  r.add("Size", runSize);
}

} // namespace edgec
