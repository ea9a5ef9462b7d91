#include "interp/KernelUtil.h"

namespace edgec {

Expected<TensorShape> broadcastShapes(const NodeContext &ctx,
                                      const TensorShape &a,
                                      const TensorShape &b) {
  size_t r = std::max(a.size(), b.size());
  TensorShape out(r);
  for (size_t i = 0; i < r; ++i) {
    int64_t da = i < r - a.size() ? 1 : a[i - (r - a.size())];
    int64_t db = i < r - b.size() ? 1 : b[i - (r - b.size())];
    if (da == db || db == 1)
      out[i] = da;
    else if (da == 1)
      out[i] = db;
    else
      return ctx.error("shapes " + shapeToString(a) + " and " +
                           shapeToString(b) + " cannot be broadcast",
                       ErrorCode::InvalidInput);
  }
  return out;
}

Expected<TensorType> broadcastTypes(const NodeContext &ctx,
                                    const TensorType &a, const TensorType &b,
                                    DataType resultType) {
  if (!a.hasRank || !b.hasRank)
    return TensorType(resultType);
  size_t r = std::max(a.rank(), b.rank());
  std::vector<Dim> out(r);
  for (size_t i = 0; i < r; ++i) {
    Dim da = i < r - a.rank() ? Dim::fixed(1) : a.dims[i - (r - a.rank())];
    Dim db = i < r - b.rank() ? Dim::fixed(1) : b.dims[i - (r - b.rank())];
    if (da == db || (db.isStatic() && db.value == 1))
      out[i] = da;
    else if (da.isStatic() && da.value == 1)
      out[i] = db;
    else if (da.isStatic() && db.isStatic())
      return ctx.error("shapes " + a.str() + " and " + b.str() +
                       " cannot be broadcast");
    else if (da.isStatic())
      out[i] = da;
    else if (db.isStatic())
      out[i] = db;
    else
      out[i] = Dim::unknown();
  }
  return TensorType(resultType, std::move(out));
}

BroadcastIndexer::BroadcastIndexer(const TensorShape &in,
                                   const TensorShape &out) {
  identity_ = in == out;
  int64_t n = 1;
  for (int64_t d : in) n *= d;
  scalar_ = n == 1;
  outStrides_ = stridesOf(out);
  std::vector<int64_t> inS = stridesOf(in);
  inStrides_.assign(out.size(), 0);
  size_t off = out.size() - in.size();
  for (size_t i = 0; i < in.size(); ++i)
    inStrides_[i + off] = in[i] == 1 ? 0 : inS[i];
}

int64_t BroadcastIndexer::map(int64_t o) const {
  if (identity_) return o;
  if (scalar_) return 0;
  int64_t idx = 0;
  for (size_t d = 0; d < outStrides_.size(); ++d) {
    int64_t q = o / outStrides_[d];
    o -= q * outStrides_[d];
    idx += q * inStrides_[d];
  }
  return idx;
}

Status inferSameAsInput(InferContext &ctx, size_t idx) {
  if (!ctx.hasInput(idx) || ctx.outputs.empty())
    return Status::ok();
  ctx.outputs[0] = ctx.inputType(idx);
  return Status::ok();
}

Status inferBroadcast(InferContext &ctx, DataType dtype) {
  if (ctx.outputs.empty() || !ctx.hasInput(0))
    return Status::ok();
  DataType t = dtype == DataType::Undefined ? ctx.inputType(0).dtype : dtype;
  TensorType acc = ctx.inputType(0);
  acc.dtype = t;
  for (size_t i = 1; i < ctx.numInputs(); ++i) {
    if (!ctx.hasInput(i)) continue;
    EDGEC_ASSIGN_OR_RETURN(acc, broadcastTypes(ctx, acc, ctx.inputType(i), t));
  }
  ctx.outputs[0] = acc;
  return Status::ok();
}

void addOp(KernelRegistry &r, const char *name, size_t required, KernelFn run,
           InferFn infer) {
  auto check = [required](const auto &ctx) -> Status {
    for (size_t i = 0; i < required; ++i)
      if (!ctx.hasInput(i))
        return ctx.error("missing required input " + std::to_string(i));
    return Status::ok();
  };
  r.add(
      name,
      [check, run](KernelContext &ctx) -> Status {
        EDGEC_TRY(check(ctx));
        return run(ctx);
      },
      [check, infer](InferContext &ctx) -> Status {
        EDGEC_TRY(check(ctx));
        return infer(ctx);
      });
}

} // namespace edgec
