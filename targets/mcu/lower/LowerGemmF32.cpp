// Float matrix products: Gemm (alpha, beta, transA, transB, broadcast bias
// C, fused activation) and MatMul (batched, broadcasting) -> ec_matmul_f32
// (runtime/kernels/matmul_f32.c).
#include "targets/mcu/lower/Lowering.h"

namespace edgec::mcu {

namespace {

[[maybe_unused]] std::vector<int64_t> dimsOf(const Value &v) {
  std::vector<int64_t> d;
  for (const Dim &x : v.type.dims) d.push_back(x.value);
  return d;
}

std::string checkCommon(const Node &n) {
  if (n.inputs.size() < 2 || !n.inputs[0] || !n.inputs[1] || n.outputs.empty() ||
      !n.outputs[0])
    return "missing input or output";
  for (size_t i = 0; i < n.inputs.size(); ++i)
    if (n.inputs[i] && n.inputs[i]->type.dtype != DataType::Float32)
      return "only float32";
  if (n.outputs[0]->type.dtype != DataType::Float32) return "only float32";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  return checkFusedActivationF32(n);
}

std::string checkGemm(const Node &n, const McuOptions &) {
  std::string why = checkCommon(n);
  if (!why.empty()) return why;
  if (n.inputs[0]->type.dims.size() != 2 || n.inputs[1]->type.dims.size() != 2)
    return "A and B must be 2-D";
  if (n.inputs.size() > 2 && n.inputs[2] && n.inputs[2]->type.dims.size() > 2)
    return "C must have rank <= 2";
  return "";
}

std::string checkMatMul(const Node &n, const McuOptions &) {
  std::string why = checkCommon(n);
  if (!why.empty()) return why;
  size_t ra = n.inputs[0]->type.dims.size(), rb = n.inputs[1]->type.dims.size();
  if (ra == 0 || rb == 0) return "scalar operands";
  if (ra > 8 || rb > 8) return "rank above 8";
  if (n.outputs[0]->type.dims.size() > 2 + 6) return "more than 6 batch dims";
  return "";
}

Status emitMatmul(LowerContext &ctx, int64_t m, int64_t nn, int64_t k, int64_t asm_,
                  int64_t ask, int64_t bsk, int64_t bsn, int64_t csm, int64_t csn,
                  float alpha, float beta, const std::vector<int64_t> &batch,
                  const std::vector<int64_t> &asb, const std::vector<int64_t> &bsb,
                  const Operand &a, const Operand &b, const Operand &c, bool bPacked) {
  EDGEC_ASSIGN_OR_RETURN(Fields act, fusedActivationF32(ctx.node()));
  Operand p = ctx.params("ec_matmul_f32_params", "mm_" + ctx.node().name,
                         Fields()
                             .i("m", m).i("n", nn).i("k", k).i("a_sm", asm_).i("a_sk", ask)
                             .i("b_sk", bsk).i("b_sn", bsn).i("c_sm", csm).i("c_sn", csn)
                             .f("alpha", alpha).f("beta", beta)
                             .i("batch_rank", int64_t(batch.size())).ints("batch", batch)
                             .ints("a_sb", asb).ints("b_sb", bsb).sub("act", act)
                             .i("b_packed", bPacked ? 1 : 0));
  ctx.useRuntime("kernels/reference/matmul_f32.h");
  ctx.call("ec_matmul_f32", {p, a, b, c, ctx.out(0)});
  int64_t nb = 1;
  for (int64_t x : batch) nb *= x;
  ctx.addMacs(nb * m * nn * k);
  ctx.setKernel(bPacked ? "matmul_f32 (packed B)" : "matmul_f32");
  return Status::ok();
}

/// Constant B -> blocks of 4 columns [ceil(n/4)][k][4] (zero padded), the
/// order ec_matmul_f32's register-blocked loop reads. B is [k][n] row-major,
/// or [n][k] when `transposed`.
Operand packedConstant(LowerContext &ctx, const Tensor &t, int64_t k, int64_t n,
                           bool transposed) {
  Tensor f = t.dtype() == DataType::Float32 ? t : t.castTo(DataType::Float32);
  const float *s = f.data<float>();
  const int64_t nb = (n + 3) / 4;
  std::vector<float> v(size_t(nb * k * 4), 0.0f);
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j < n; ++j)
      v[size_t(((j / 4) * k + i) * 4 + j % 4)] = transposed ? s[j * k + i] : s[i * n + j];
  return ctx.constantArray("mm_bp", v, "[n/4][k][4]");
}

Status lowerGemm(LowerContext &ctx) {
  const Node &n = ctx.node();
  auto iattr = [&](const char *nm, int64_t d) {
    const Attribute *a = n.attr(nm);
    return a ? a->i : d;
  };
  auto fattr = [&](const char *nm, float d) {
    const Attribute *a = n.attr(nm);
    return a ? a->f : d;
  };
  bool ta = iattr("transA", 0) != 0, tb = iattr("transB", 0) != 0;
  float alpha = fattr("alpha", 1.0f), beta = fattr("beta", 1.0f);
  std::vector<int64_t> ad = staticDims(ctx.inValue(0)), bd = staticDims(ctx.inValue(1));
  int64_t m = ta ? ad[1] : ad[0], k = ta ? ad[0] : ad[1];
  int64_t nn = tb ? bd[0] : bd[1];
  int64_t asm_ = ta ? 1 : k, ask = ta ? m : 1;
  int64_t bsk = tb ? 1 : nn, bsn = tb ? k : 1;
  Operand b;
  bool packed = false;
  if (ctx.constantInput(1)) {
    b = packedConstant(ctx, *ctx.constantInput(1), k, nn, tb);
    packed = true;
    bsk = bsn = 0;
  } else {
    b = ctx.in(1);
  }
  Operand c;
  int64_t csm = 0, csn = 0;
  if (ctx.hasInput(2) && elementCount(ctx.inValue(2)) > 0 && beta != 0.0f) {
    std::vector<int64_t> cd = staticDims(ctx.inValue(2));
    if (cd.size() == 2) {
      csm = cd[0] == 1 ? 0 : cd[1];
      csn = cd[1] == 1 ? 0 : 1;
    } else if (cd.size() == 1) {
      csn = cd[0] == 1 ? 0 : 1;
    }
    c = ctx.in(2);
  }
  return emitMatmul(ctx, m, nn, k, asm_, ask, bsk, bsn, csm, csn, alpha, beta, {}, {},
                    {}, ctx.in(0), b, c, packed);
}

Status lowerMatMul(LowerContext &ctx) {
  std::vector<int64_t> ad = staticDims(ctx.inValue(0)), bd = staticDims(ctx.inValue(1));
  std::vector<int64_t> od = staticDims(ctx.outValue(0));
  bool a1 = ad.size() == 1, b1 = bd.size() == 1;
  if (a1) ad.insert(ad.begin(), 1);
  if (b1) bd.push_back(1);
  int64_t m = ad[ad.size() - 2], k = ad.back(), nn = bd.back();
  // Batch dims of the (unsqueezed) output.
  size_t rb = std::max(ad.size(), bd.size()) - 2;
  std::vector<int64_t> batch(rb), asb(rb), bsb(rb);
  auto batchStrides = [&](const std::vector<int64_t> &d, std::vector<int64_t> &s) {
    size_t r = d.size() - 2;
    int64_t stride = d[d.size() - 1] * d[d.size() - 2];
    for (size_t i = 0; i < rb; ++i) s[i] = 0;
    for (size_t j = r; j-- > 0;) {
      size_t i = rb - r + j;
      s[i] = d[j] == 1 ? 0 : stride;
      stride *= d[j];
    }
  };
  batchStrides(ad, asb);
  batchStrides(bd, bsb);
  for (size_t i = 0; i < rb; ++i) {
    int64_t da = i + ad.size() - 2 >= rb ? ad[i + ad.size() - 2 - rb] : 1;
    int64_t db = i + bd.size() - 2 >= rb ? bd[i + bd.size() - 2 - rb] : 1;
    batch[i] = std::max(da, db);
  }
  (void)od;
  // Drop unit batch dims.
  std::vector<int64_t> b2, a2, bb2;
  for (size_t i = 0; i < rb; ++i)
    if (batch[i] != 1) {
      b2.push_back(batch[i]);
      a2.push_back(asb[i]);
      bb2.push_back(bsb[i]);
    }
  if (b2.size() > 6)
    return Error(ErrorCode::Unsupported, ctx.node().label() + ": more than 6 batch dims");
  Operand b;
  int64_t bsk = nn, bsn = 1;
  bool bBatched = false;
  for (int64_t s : bb2) bBatched = bBatched || s != 0;
  bool packed = false;
  if (!bBatched && ctx.constantInput(1)) {
    b = packedConstant(ctx, *ctx.constantInput(1), k, nn, false);
    packed = true;
    bsk = bsn = 0;
    for (int64_t &s : bb2) s = 0;
  } else {
    b = ctx.in(1);
  }
  return emitMatmul(ctx, m, nn, k, k, 1, bsk, bsn, 0, 0, 1.0f, 0.0f, b2, a2, bb2,
                    ctx.in(0), b, Operand::null(), packed);
}

} // namespace

void registerGemmF32(std::vector<Lowering> &out) {
  out.push_back({"Gemm", Lowering::Float, checkGemm, lowerGemm, {"float32"}, ""});
  out.push_back({"MatMul", Lowering::Float, checkMatMul, lowerMatMul, {"float32"},
                 "up to 6 batch dims"});
}

} // namespace edgec::mcu
