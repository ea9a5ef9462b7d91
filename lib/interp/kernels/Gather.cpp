// Gather kernels: index-driven element selection and scattering (Gather,
// GatherElements, GatherND, Scatter/ScatterElements, ScatterND, Compress,
// ReverseSequence, OneHot, Trilu, NonZero).
//
// Indices may be negative (counted from the end) where the spec allows it;
// any index outside the valid range is an InvalidInput error.
#include "interp/kernels/CopyUtil.h"
#include "shape/ops/Gather.h"

#include <algorithm>

namespace edgec {
namespace {

using copyutil::copyElems;

int64_t product(const TensorShape &s, size_t b, size_t e) {
  int64_t p = 1;
  for (size_t i = b; i < e; ++i) p *= s[i];
  return p;
}

/// Reads an index tensor, wrapping negative values by `dim` and checking
/// the range [0, dim).
Expected<std::vector<int64_t>> readIndices(const NodeContext &ctx,
                                           const Tensor &idx, int64_t dim) {
  std::vector<int64_t> v = idx.toInt64Vector();
  for (int64_t &k : v) {
    if (k < 0 && k >= -dim) k += dim;
    if (k < 0 || k >= dim)
      return ctx.error("index " + std::to_string(k) +
                           " is out of range for a dim of size " +
                           std::to_string(dim),
                       ErrorCode::InvalidInput);
  }
  return v;
}

// ---------------------------------------------------------------------------
// Gather

Status runGather(KernelContext &ctx) {
  const Tensor &x = ctx.input(0), &idx = ctx.input(1);
  int64_t r = (int64_t)x.rank();
  if (r == 0) return ctx.error("cannot gather from a scalar");
  EDGEC_ASSIGN_OR_RETURN(int64_t axis,
                         normalizeAxis(ctx, ctx.attrInt("axis", 0), r));
  int64_t dim = x.dim((size_t)axis);
  EDGEC_ASSIGN_OR_RETURN(auto ind, readIndices(ctx, idx, dim));
  TensorShape shape(x.shape().begin(), x.shape().begin() + axis);
  shape.insert(shape.end(), idx.shape().begin(), idx.shape().end());
  shape.insert(shape.end(), x.shape().begin() + axis + 1, x.shape().end());
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(x.dtype(), shape));
  int64_t outer = product(x.shape(), 0, (size_t)axis);
  int64_t inner = product(x.shape(), (size_t)axis + 1, x.rank());
  int64_t n = (int64_t)ind.size();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < n; ++i)
      copyElems(out, (o * n + i) * inner, x,
                (o * dim + ind[(size_t)i]) * inner, inner);
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}

// ---------------------------------------------------------------------------
// GatherElements

Status runGatherElements(KernelContext &ctx) {
  const Tensor &x = ctx.input(0), &idx = ctx.input(1);
  size_t r = x.rank();
  if (r == 0 || idx.rank() != r)
    return ctx.error("data and indices must have the same non-zero rank");
  EDGEC_ASSIGN_OR_RETURN(
      int64_t axis, normalizeAxis(ctx, ctx.attrInt("axis", 0), (int64_t)r));
  EDGEC_ASSIGN_OR_RETURN(auto ind,
                         readIndices(ctx, idx, x.dim((size_t)axis)));
  for (size_t d = 0; d < r; ++d)
    if ((int64_t)d != axis && idx.dim(d) > x.dim(d))
      return ctx.error("indices shape " + shapeToString(idx.shape()) +
                           " exceeds data shape " + shapeToString(x.shape()),
                       ErrorCode::InvalidInput);
  Tensor out(x.dtype(), idx.shape());
  std::vector<int64_t> strides = stridesOf(x.shape());
  std::vector<int64_t> coord(r, 0);
  int64_t n = idx.numElements();
  for (int64_t i = 0; i < n; ++i) {
    int64_t off = 0;
    for (size_t d = 0; d < r; ++d)
      off += ((int64_t)d == axis ? ind[(size_t)i] : coord[d]) * strides[d];
    copyElems(out, i, x, off, 1);
    for (int64_t d = (int64_t)r - 1; d >= 0; --d) {
      if (++coord[(size_t)d] < idx.dim((size_t)d)) break;
      coord[(size_t)d] = 0;
    }
  }
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}

// ---------------------------------------------------------------------------
// GatherND / ScatterND share the addressing of index tuples.

/// Layout of an ND gather/scatter: `batches` batch groups, each with
/// `tuples` index tuples of length m addressing slices of `slice` elements.
struct NdLayout {
  int64_t batches = 1, tuples = 1, slice = 1, m = 0;
  int64_t batchStride = 0; ///< data elements per batch group
  std::vector<int64_t> tupleStrides; ///< data strides of the m indexed dims
  std::vector<int64_t> offsets;      ///< resolved data offset per tuple
};

Expected<NdLayout> ndLayout(const NodeContext &ctx, const Tensor &x,
                            const Tensor &idx, int64_t b) {
  size_t r = x.rank(), q = idx.rank();
  if (q < 1 || r < 1) return ctx.error("data and indices must have rank >= 1");
  if (b < 0 || (size_t)b >= std::min(r, q))
    return ctx.error("invalid batch_dims " + std::to_string(b));
  NdLayout l;
  l.m = idx.dim(q - 1);
  if (l.m < 1 || (size_t)(b + l.m) > r)
    return ctx.error("index tuples of length " + std::to_string(l.m) +
                     " do not fit data of rank " + std::to_string(r));
  for (size_t d = 0; d < (size_t)b; ++d)
    if (idx.dim(d) != x.dim(d))
      return ctx.error("batch dims of data and indices differ",
                       ErrorCode::InvalidInput);
  l.batches = product(x.shape(), 0, (size_t)b);
  l.tuples = product(idx.shape(), (size_t)b, q - 1);
  l.slice = product(x.shape(), (size_t)(b + l.m), r);
  l.batchStride = product(x.shape(), (size_t)b, r);
  std::vector<int64_t> strides = stridesOf(x.shape());
  std::vector<int64_t> raw = idx.toInt64Vector();
  l.offsets.resize((size_t)(l.batches * l.tuples));
  for (int64_t t = 0; t < l.batches * l.tuples; ++t) {
    int64_t off = (t / l.tuples) * l.batchStride;
    for (int64_t j = 0; j < l.m; ++j) {
      int64_t dim = x.dim((size_t)(b + j));
      int64_t k = raw[(size_t)(t * l.m + j)];
      if (k < 0 && k >= -dim) k += dim;
      if (k < 0 || k >= dim)
        return ctx.error("index " + std::to_string(k) +
                             " is out of range for a dim of size " +
                             std::to_string(dim),
                         ErrorCode::InvalidInput);
      off += k * strides[(size_t)(b + j)];
    }
    l.offsets[(size_t)t] = off;
  }
  return l;
}

Status runGatherND(KernelContext &ctx) {
  const Tensor &x = ctx.input(0), &idx = ctx.input(1);
  int64_t b = ctx.attrInt("batch_dims", 0);
  EDGEC_ASSIGN_OR_RETURN(NdLayout l, ndLayout(ctx, x, idx, b));
  TensorShape shape(idx.shape().begin(), idx.shape().end() - 1);
  shape.insert(shape.end(), x.shape().begin() + b + l.m, x.shape().end());
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(x.dtype(), shape));
  for (size_t t = 0; t < l.offsets.size(); ++t)
    copyElems(out, (int64_t)t * l.slice, x, l.offsets[t], l.slice);
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}

// ---------------------------------------------------------------------------
// Scatter reductions

enum class Reduction { None, Add, Mul, Max, Min };

Expected<Reduction> reductionAttr(const NodeContext &ctx, DataType dt) {
  std::string s = ctx.attrString("reduction", "none");
  if (s == "none") return Reduction::None;
  if (isStorageOnlyType(dt))
    return ctx.unsupported("scatter reduction on " +
                           std::string(dataTypeName(dt)));
  if (s == "add") return Reduction::Add;
  if (s == "mul") return Reduction::Mul;
  if (s == "max") return Reduction::Max;
  if (s == "min") return Reduction::Min;
  return ctx.error("invalid reduction '" + s + "'");
}

/// Combines an existing element with an update. Integers use wrap-around
/// arithmetic (no UB), bool add/mul are or/and, f16/bf16 go through float.
template <typename T> T combine(Reduction r, T a, T b) {
  if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
    return T(combine<float>(r, (float)a, (float)b));
  } else if constexpr (std::is_same_v<T, bool>) {
    switch (r) {
    case Reduction::Add: case Reduction::Max: return a || b;
    case Reduction::Mul: case Reduction::Min: return a && b;
    case Reduction::None: break;
    }
    return b;
  } else if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    switch (r) {
    case Reduction::Add: return (T)(U)((U)a + (U)b);
    case Reduction::Mul: return (T)(U)((U)a * (U)b);
    case Reduction::Max: return std::max(a, b);
    case Reduction::Min: return std::min(a, b);
    case Reduction::None: break;
    }
    return b;
  } else {
    switch (r) {
    case Reduction::Add: return a + b;
    case Reduction::Mul: return a * b;
    case Reduction::Max: return std::max(a, b);
    case Reduction::Min: return std::min(a, b);
    case Reduction::None: break;
    }
    return b;
  }
}

/// out[dst[i]] = combine(out[dst[i]], upd[i]) for every i, in order.
void scatterInto(Tensor &out, const Tensor &upd,
                 const std::vector<int64_t> &dst, Reduction red) {
  if (red == Reduction::None || isStorageOnlyType(out.dtype())) {
    // Plain overwrite: byte copies serve every element type.
    for (size_t i = 0; i < dst.size(); ++i)
      copyElems(out, dst[i], upd, (int64_t)i, 1);
    return;
  }
  dispatchType(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T *o = out.data<T>();
    const T *u = upd.data<T>();
    for (size_t i = 0; i < dst.size(); ++i)
      o[dst[i]] = combine<T>(red, o[dst[i]], u[i]);
  });
}

// ---------------------------------------------------------------------------
// ScatterElements (and the deprecated Scatter, same semantics)

Status runScatterElements(KernelContext &ctx) {
  const Tensor &x = ctx.input(0), &idx = ctx.input(1), &upd = ctx.input(2);
  size_t r = x.rank();
  EDGEC_ASSIGN_OR_RETURN(Reduction red, reductionAttr(ctx, x.dtype()));
  if (r == 0 || idx.rank() != r || upd.shape() != idx.shape())
    return ctx.error("data, indices and updates must have the same rank and "
                     "indices/updates the same shape",
                     ErrorCode::InvalidInput);
  if (upd.dtype() != x.dtype())
    return ctx.error("updates and data have different element types");
  EDGEC_ASSIGN_OR_RETURN(
      int64_t axis, normalizeAxis(ctx, ctx.attrInt("axis", 0), (int64_t)r));
  EDGEC_ASSIGN_OR_RETURN(auto ind,
                         readIndices(ctx, idx, x.dim((size_t)axis)));
  for (size_t d = 0; d < r; ++d)
    if ((int64_t)d != axis && idx.dim(d) > x.dim(d))
      return ctx.error("indices shape exceeds data shape",
                       ErrorCode::InvalidInput);
  std::vector<int64_t> strides = stridesOf(x.shape()), dst(ind.size());
  std::vector<int64_t> coord(r, 0);
  for (size_t i = 0; i < ind.size(); ++i) {
    int64_t off = 0;
    for (size_t d = 0; d < r; ++d)
      off += ((int64_t)d == axis ? ind[i] : coord[d]) * strides[d];
    dst[i] = off;
    for (int64_t d = (int64_t)r - 1; d >= 0; --d) {
      if (++coord[(size_t)d] < idx.dim((size_t)d)) break;
      coord[(size_t)d] = 0;
    }
  }
  Tensor out = x.clone();
  scatterInto(out, upd, dst, red);
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}

// ---------------------------------------------------------------------------
// ScatterND

Status runScatterND(KernelContext &ctx) {
  const Tensor &x = ctx.input(0), &idx = ctx.input(1), &upd = ctx.input(2);
  EDGEC_ASSIGN_OR_RETURN(Reduction red, reductionAttr(ctx, x.dtype()));
  EDGEC_ASSIGN_OR_RETURN(NdLayout l, ndLayout(ctx, x, idx, 0));
  TensorShape ushape(idx.shape().begin(), idx.shape().end() - 1);
  ushape.insert(ushape.end(), x.shape().begin() + l.m, x.shape().end());
  if (upd.shape() != ushape)
    return ctx.error("updates shape " + shapeToString(upd.shape()) +
                         " should be " + shapeToString(ushape),
                     ErrorCode::InvalidInput);
  if (upd.dtype() != x.dtype())
    return ctx.error("updates and data have different element types");
  std::vector<int64_t> dst;
  dst.reserve((size_t)upd.numElements());
  for (int64_t off : l.offsets)
    for (int64_t j = 0; j < l.slice; ++j) dst.push_back(off + j);
  Tensor out = x.clone();
  scatterInto(out, upd, dst, red);
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}

// ---------------------------------------------------------------------------
// Compress

/// Selected positions along an axis of size `dim`.
Expected<std::vector<int64_t>> compressSelection(const NodeContext &ctx,
                                                 const Tensor &cond,
                                                 int64_t dim) {
  if (cond.rank() != 1) return ctx.error("condition must be 1-D");
  std::vector<int64_t> sel;
  for (int64_t i = 0; i < cond.numElements(); ++i) {
    if (cond.getDouble(i) == 0) continue;
    if (i >= dim)
      return ctx.error("condition selects past the end of the axis",
                       ErrorCode::InvalidInput);
    sel.push_back(i);
  }
  return sel;
}

Status runCompress(KernelContext &ctx) {
  Tensor x = ctx.input(0);
  const Tensor &cond = ctx.input(1);
  int64_t axis = 0;
  if (ctx.hasAttr("axis")) {
    EDGEC_ASSIGN_OR_RETURN(axis, normalizeAxis(ctx, ctx.attrInt("axis", 0),
                                               (int64_t)x.rank()));
    if (x.rank() == 0) return ctx.error("cannot compress a scalar");
  } else {
    x = x.reshaped({x.numElements()});
  }
  int64_t dim = x.dim((size_t)axis);
  EDGEC_ASSIGN_OR_RETURN(auto sel, compressSelection(ctx, cond, dim));
  TensorShape shape = x.shape();
  shape[(size_t)axis] = (int64_t)sel.size();
  Tensor out(x.dtype(), shape);
  int64_t outer = product(x.shape(), 0, (size_t)axis);
  int64_t inner = product(x.shape(), (size_t)axis + 1, x.rank());
  int64_t n = (int64_t)sel.size();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < n; ++i)
      copyElems(out, (o * n + i) * inner, x,
                (o * dim + sel[(size_t)i]) * inner, inner);
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}

// ---------------------------------------------------------------------------
// ReverseSequence: reverses the first seq_lens[b] steps of each batch entry.

Status runReverseSequence(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  std::vector<int64_t> lens = ctx.input(1).toInt64Vector();
  size_t r = x.rank();
  if (r < 2) return ctx.error("input must have rank >= 2");
  int64_t ba = ctx.attrInt("batch_axis", 1), ta = ctx.attrInt("time_axis", 0);
  if (!((ba == 0 && ta == 1) || (ba == 1 && ta == 0)))
    return ctx.error("batch_axis and time_axis must be 0 and 1");
  int64_t batch = x.dim((size_t)ba), time = x.dim((size_t)ta);
  if ((int64_t)lens.size() != batch)
    return ctx.error("sequence_lens has " + std::to_string(lens.size()) +
                         " entries for batch size " + std::to_string(batch),
                     ErrorCode::InvalidInput);
  for (int64_t v : lens)
    if (v < 0 || v > time)
      return ctx.error("sequence length " + std::to_string(v) +
                           " is out of range",
                       ErrorCode::InvalidInput);
  // Rows of the trailing dims (2..r) move as a block.
  int64_t inner = product(x.shape(), 2, r);
  std::vector<int64_t> strides = stridesOf(x.shape());
  Tensor out(x.dtype(), x.shape());
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t t = 0; t < time; ++t) {
      int64_t src = t < lens[(size_t)b] ? lens[(size_t)b] - 1 - t : t;
      int64_t base = b * strides[(size_t)ba];
      copyElems(out, base + t * strides[(size_t)ta], x,
                base + src * strides[(size_t)ta], inner);
    }
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}

Status runOneHot(KernelContext &ctx) {
  const Tensor &idx = ctx.input(0), &vals = ctx.input(2);
  EDGEC_ASSIGN_OR_RETURN(int64_t depth, oneHotDepth(ctx, ctx.input(1)));
  if (vals.numElements() != 2)
    return ctx.error("values must have two elements");
  int64_t r = (int64_t)idx.rank() + 1;
  EDGEC_ASSIGN_OR_RETURN(int64_t axis,
                         normalizeAxis(ctx, ctx.attrInt("axis", -1), r));
  TensorShape shape = idx.shape();
  shape.insert(shape.begin() + axis, depth);
  EDGEC_ASSIGN_OR_RETURN(Tensor out, Tensor::create(vals.dtype(), shape));
  int64_t outer = product(idx.shape(), 0, (size_t)axis);
  int64_t inner = product(idx.shape(), (size_t)axis, idx.rank());
  for (int64_t i = 0; i < out.numElements(); ++i) copyElems(out, i, vals, 0, 1);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      // Out-of-range indices (after wrapping negatives) give all-off rows.
      int64_t k = idx.getInt64(o * inner + i);
      if (k < 0) k += depth;
      if (k < 0 || k >= depth) continue;
      copyElems(out, (o * depth + k) * inner + i, vals, 1, 1);
    }
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}

// ---------------------------------------------------------------------------
// Trilu: keeps the upper (j - i >= k) or lower (j - i <= k) triangle of the
// last two dims, zeroing the rest.

Status runTrilu(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  if (x.rank() < 2) return ctx.error("input must have rank >= 2");
  int64_t k = 0;
  if (ctx.hasInput(1)) {
    if (ctx.input(1).numElements() != 1) return ctx.error("k must be a scalar");
    k = ctx.input(1).getInt64(0);
  }
  bool upper = ctx.attrInt("upper", 1) != 0;
  int64_t rows = x.dim(x.rank() - 2), cols = x.dim(x.rank() - 1);
  k = std::clamp<int64_t>(k, -rows - 1, cols + 1);
  int64_t mats = rows * cols == 0 ? 0 : x.numElements() / (rows * cols);
  Tensor out(x.dtype(), x.shape());
  for (int64_t m = 0; m < mats; ++m)
    for (int64_t i = 0; i < rows; ++i) {
      int64_t b = upper ? std::max<int64_t>(0, i + k) : 0;
      int64_t e = upper ? cols : std::min<int64_t>(cols, i + k + 1);
      int64_t row = (m * rows + i) * cols;
      if (e > b) copyElems(out, row + b, x, row + b, e - b);
    }
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}

// ---------------------------------------------------------------------------
// NonZero: [rank, count] int64 coordinates of non-zero elements, row-major.

Status runNonZero(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  // A scalar behaves as a 1-element vector (numpy semantics).
  TensorShape shape = x.rank() == 0 ? TensorShape{1} : x.shape();
  size_t r = shape.size();
  std::vector<int64_t> nz;
  for (int64_t i = 0; i < x.numElements(); ++i)
    if (x.getDouble(i) != 0) nz.push_back(i);
  int64_t n = (int64_t)nz.size();
  Tensor out(DataType::Int64, {(int64_t)r, n});
  int64_t *o = out.data<int64_t>();
  std::vector<int64_t> strides = stridesOf(shape);
  for (int64_t j = 0; j < n; ++j) {
    int64_t f = nz[(size_t)j];
    for (size_t d = 0; d < r; ++d) {
      o[(int64_t)d * n + j] = f / strides[d];
      f %= strides[d];
    }
  }
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}

// ---------------------------------------------------------------------------
// TensorScatter (opset 24): KV-cache update. For each prefix (dims before
// `axis`, the first being the batch) the update's sequence rows are written
// at write_indices[batch] + s (modulo the cache length in circular mode).

Status runTensorScatter(KernelContext &ctx) {
  const Tensor &past = ctx.input(0), &upd = ctx.input(1);
  size_t r = past.rank();
  if (r < 2 || upd.rank() != r)
    return ctx.error("past_cache and update must have the same rank >= 2");
  if (upd.dtype() != past.dtype())
    return ctx.error("update and past_cache have different element types");
  EDGEC_ASSIGN_OR_RETURN(
      int64_t axis, normalizeAxis(ctx, ctx.attrInt("axis", -2), (int64_t)r));
  if (axis == 0) return ctx.error("axis cannot be the batch axis");
  std::string mode = ctx.attrString("mode", "linear");
  if (mode != "linear" && mode != "circular")
    return ctx.error("invalid mode '" + mode + "'");
  int64_t maxLen = past.dim((size_t)axis), len = upd.dim((size_t)axis);
  for (size_t d = 0; d < r; ++d)
    if ((int64_t)d != axis && upd.dim(d) != past.dim(d))
      return ctx.error("update shape " + shapeToString(upd.shape()) +
                           " does not match past_cache shape " +
                           shapeToString(past.shape()),
                       ErrorCode::InvalidInput);
  if (len > maxLen)
    return ctx.error("update is longer than the cache",
                     ErrorCode::InvalidInput);
  int64_t batch = past.dim(0);
  std::vector<int64_t> w((size_t)batch, 0);
  if (ctx.hasInput(2)) {
    w = ctx.input(2).toInt64Vector();
    if ((int64_t)w.size() != batch)
      return ctx.error("write_indices must have one entry per batch",
                       ErrorCode::InvalidInput);
  }
  for (int64_t v : w)
    if (v < 0 || (mode == "linear" && v > maxLen - len))
      return ctx.error("write index " + std::to_string(v) +
                           " is out of range",
                       ErrorCode::InvalidInput);
  int64_t outer = product(past.shape(), 0, (size_t)axis);
  int64_t perBatch = product(past.shape(), 1, (size_t)axis);
  int64_t inner = product(past.shape(), (size_t)axis + 1, r);
  Tensor out = past.clone();
  for (int64_t o = 0; o < outer; ++o) {
    int64_t start = w[(size_t)(o / perBatch)];
    for (int64_t s = 0; s < len; ++s) {
      int64_t pos = (start + s) % maxLen;
      copyElems(out, (o * maxLen + pos) * inner, upd, (o * len + s) * inner,
                inner);
    }
  }
  ctx.outputs[0] = std::move(out);
  return Status::ok();
}

} // namespace

void registerGatherKernels(KernelRegistry &r) {
  r.add("Gather", runGather);
  r.add("GatherElements", runGatherElements);
  r.add("GatherND", runGatherND);
  r.add("Scatter", runScatterElements);
  r.add("ScatterElements", runScatterElements);
  r.add("ScatterND", runScatterND);
  r.add("Compress", runCompress);
  r.add("ReverseSequence", runReverseSequence);
  r.add("OneHot", runOneHot);
  r.add("Trilu", runTrilu);
  r.add("NonZero", runNonZero);
  r.add("TensorScatter", runTensorScatter);
}

} // namespace edgec
