// Shape and type inference of the Gemm family (kernels:
// interp/kernels/Gemm.cpp).
#include "shape/InferUtil.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

namespace edgec {

namespace {

Status inferMatMulType(InferContext &ctx, DataType outType) {
  if (!ctx.hasInput(0) || !ctx.hasInput(1) || ctx.outputs.empty())
    return Status::ok();
  const TensorType &a = ctx.inputType(0), &b = ctx.inputType(1);
  if (!a.hasRank || !b.hasRank || a.rank() == 0 || b.rank() == 0) {
    ctx.outputs[0] = TensorType(outType);
    return Status::ok();
  }
  std::vector<Dim> da = a.dims, db = b.dims;
  if (da.size() == 1)
    da.insert(da.begin(), Dim::fixed(1));
  if (db.size() == 1)
    db.push_back(Dim::fixed(1));
  const Dim &ka = da.back(), &kb = db[db.size() - 2];
  if (ka.isStatic() && kb.isStatic() && ka.value != kb.value)
    return ctx.error("matmul inner dimensions differ: " + a.str() + " x " +
                     b.str());
  TensorType ba(outType, std::vector<Dim>(da.begin(), da.end() - 2));
  TensorType bb(outType, std::vector<Dim>(db.begin(), db.end() - 2));
  EDGEC_ASSIGN_OR_RETURN(TensorType out, broadcastTypes(ctx, ba, bb, outType));
  if (a.rank() > 1)
    out.dims.push_back(da[da.size() - 2]);
  if (b.rank() > 1)
    out.dims.push_back(db.back());
  ctx.outputs[0] = out;
  return Status::ok();
}

Status inferMatMul(InferContext &ctx) {
  if (!ctx.hasInput(0))
    return Status::ok();
  return inferMatMulType(ctx, ctx.inputType(0).dtype);
}

Status inferGemm(InferContext &ctx) {
  if (!ctx.hasInput(0) || !ctx.hasInput(1) || ctx.outputs.empty())
    return Status::ok();
  const TensorType &a = ctx.inputType(0), &b = ctx.inputType(1);
  DataType dt = a.dtype;
  if (!a.hasRank || !b.hasRank || a.rank() != 2 || b.rank() != 2) {
    if ((a.hasRank && a.rank() != 2) || (b.hasRank && b.rank() != 2))
      return ctx.error("gemm operands must be 2-D");
    ctx.outputs[0] = TensorType(dt);
    return Status::ok();
  }
  bool ta = ctx.attrInt("transA", 0) != 0, tb = ctx.attrInt("transB", 0) != 0;
  Dim m = a.dims[ta ? 1 : 0], k = a.dims[ta ? 0 : 1];
  Dim kb = b.dims[tb ? 1 : 0], n = b.dims[tb ? 0 : 1];
  if (k.isStatic() && kb.isStatic() && k.value != kb.value)
    return ctx.error("gemm inner dimensions differ: " + a.str() + " x " +
                     b.str());
  // C broadcasts one way, to [M, N].
  if (ctx.hasInput(2) && ctx.inputType(2).hasRank) {
    const TensorType &c = ctx.inputType(2);
    const Dim out[2] = {m, n};
    bool ok = c.rank() <= 2;
    for (size_t i = 0; ok && i < c.rank(); ++i) {
      const Dim &ci = c.dims[c.rank() - 1 - i], &ti = out[1 - i];
      ok = !ci.isStatic() || !ti.isStatic() || ci.value == 1 ||
           ci.value == ti.value;
    }
    if (!ok)
      return ctx.error("bias C " + c.str() + " cannot be broadcast to [" +
                       m.str() + "," + n.str() + "]");
  }
  ctx.outputs[0] = TensorType(dt, std::vector<Dim>{m, n});
  return Status::ok();
}

Status inferMatMulInteger(InferContext &ctx) {
  return inferMatMulType(ctx, DataType::Int32);
}

Status inferQLinearMatMul(InferContext &ctx) {
  if (!ctx.hasInput(0) || !ctx.hasInput(3) || ctx.outputs.empty())
    return Status::ok();
  DataType yt = ctx.hasInput(7) ? ctx.inputType(7).dtype : DataType::UInt8;
  const TensorType &a = ctx.inputType(0), &b = ctx.inputType(3);
  InferContext sub(ctx.node(), {&a, &b}, {});
  EDGEC_TRY(inferMatMulType(sub, yt));
  ctx.outputs[0] = sub.outputs[0];
  return Status::ok();
}

} // namespace

void registerGemmInference(InferRegistry &r) {
  r.add("MatMul", inferMatMul);
  r.add("Gemm", inferGemm);
  r.add("MatMulInteger", inferMatMulInteger);
  r.add("QLinearMatMul", inferQLinearMatMul);
}

} // namespace edgec
