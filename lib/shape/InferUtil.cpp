#include "shape/InferUtil.h"

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

Status inferSameAsInput(InferContext &ctx, size_t idx) {
  if (!ctx.hasInput(idx) || ctx.outputs.empty())
    return Status::ok();
  ctx.outputs[0] = ctx.inputType(idx);
  return Status::ok();
}

Status inferSameAsFirstInput(InferContext &ctx) {
  return inferSameAsInput(ctx, 0);
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

IntList intList(const InferContext &ctx, size_t idx, const char *attr) {
  IntList l;
  if (ctx.hasInput(idx)) {
    l.present = true;
    if (const Tensor *t = ctx.inputValue(idx))
      l.v = t->toInt64Vector();
    else
      l.known = false;
  } else if (ctx.hasAttr(attr)) {
    l.present = true;
    l.v = ctx.attrInts(attr);
  }
  return l;
}

int64_t shapeInputLength(const TensorType &t) {
  if (!t.hasRank || t.rank() != 1 || !t.dims[0].isStatic()) return -1;
  return t.dims[0].value <= 4096 ? t.dims[0].value : -1;
}

} // namespace edgec
