// Matrix products: Gemm (transA/transB, alpha, beta, C broadcast to
// (M, N)) and MatMul (numpy semantics: 1-D operands promoted, batch dims
// broadcast). One work-item per output element runs the dot product over K;
// bias (Gemm's C) and the fused activation form the epilogue.
#include "targets/gpu/lower/GpuLowering.h"

namespace edgec::gpu {

namespace {

std::string checkGemm(const Node &n) {
  if (n.inputs.size() < 2 || !n.inputs[0] || !n.inputs[1] || n.outputs.size() != 1)
    return "expects A, B and an optional C";
  if (std::string w = checkFloatNode(n); !w.empty()) return w;
  for (size_t i = 0; i < 2; ++i)
    if (n.inputs[i]->type.hasRank && n.inputs[i]->type.rank() != 2) return "A and B must be 2-D";
  if (n.inputs.size() > 2 && n.inputs[2] && n.inputs[2]->type.hasRank &&
      n.inputs[2]->type.rank() > 2)
    return "C must have rank <= 2";
  return "";
}

std::string checkMatMul(const Node &n) {
  if (n.inputs.size() != 2 || !n.inputs[0] || !n.inputs[1] || n.outputs.size() != 1)
    return "expects A and B";
  return checkFloatNode(n);
}

/// The dot-product body shared by Gemm and MatMul: acc over k of
/// a[aOff + m*am + k*ak] * b[bOff + k*bk + j*bn].
void dot(std::vector<std::string> &s, const std::string &aOff, int64_t am, int64_t ak,
         const std::string &bOff, int64_t bk, int64_t bn, int64_t kk) {
  s.push_back("const int ab = " + aOff + " + m * " + kInt(am) + ";");
  s.push_back("const int bb = " + bOff + " + j * " + kInt(bn) + ";");
  s.push_back("float acc = 0.0f;");
  s.push_back("for (int k = 0; k < " + kInt(kk) + "; ++k)");
  s.push_back("  acc += a[ab + k * " + kInt(ak) + "] * b[bb + k * " + kInt(bk) + "];");
}

Status lowerGemm(GpuLowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> ad = staticDims(ctx.inValue(0)), bd = staticDims(ctx.inValue(1));
  const bool ta = n.attrInt("transA", 0) != 0, tb = n.attrInt("transB", 0) != 0;
  const int64_t m = ta ? ad[1] : ad[0], kk = ta ? ad[0] : ad[1], nn = tb ? bd[0] : bd[1];
  const float alpha = n.attrFloat("alpha", 1.0f), beta = n.attrFloat("beta", 1.0f);
  const bool bias = ctx.hasInput(2) && beta != 0.0f;
  KernelDesc k = ctx.newKernel("gemm");
  k.args = {{"a"}, {"b"}};
  if (bias) k.args.push_back({"c"});
  k.args.push_back({"y", true});
  k.threads = m * nn;
  std::vector<std::string> &s = k.body;
  decompose(s, "gid", {m, nn}, {"m", "j"});
  dot(s, "0", ta ? 1 : kk, ta ? m : 1, "0", tb ? 1 : nn, tb ? kk : 1, kk);
  std::string v = alpha == 1.0f ? "acc" : kFloat(alpha) + " * acc";
  if (bias) {
    std::string c = "c[" + broadcastOffset(staticDims(ctx.inValue(2)), {"m", "j"}) + "]";
    v += " + " + (beta == 1.0f ? c : kFloat(beta) + " * " + c);
  }
  s.push_back("const float v = " + v + ";");
  s.push_back("y[gid] = " + activationExpr(n, "v") + ";");
  ctx.addMacs(m * nn * kk);
  std::vector<Operand> ops = {ctx.in(0), ctx.in(1)};
  if (bias) ops.push_back(ctx.in(2));
  ops.push_back(ctx.out(0));
  ctx.launch(std::move(k), std::move(ops));
  return Status::ok();
}

Status lowerMatMul(GpuLowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> ad = staticDims(ctx.inValue(0)), bd = staticDims(ctx.inValue(1));
  if (ad.size() == 1) ad.insert(ad.begin(), 1);
  if (bd.size() == 1) bd.push_back(1);
  const int64_t m = ad[ad.size() - 2], kk = ad.back(), nn = bd.back();
  std::vector<int64_t> abatch(ad.begin(), ad.end() - 2), bbatch(bd.begin(), bd.end() - 2);
  std::vector<int64_t> batch(std::max(abatch.size(), bbatch.size()), 1);
  for (size_t i = 0; i < abatch.size(); ++i)
    batch[batch.size() - abatch.size() + i] = abatch[i];
  for (size_t i = 0; i < bbatch.size(); ++i) {
    int64_t &d = batch[batch.size() - bbatch.size() + i];
    d = std::max(d, bbatch[i]);
  }
  std::vector<int64_t> dims = batch;
  std::vector<std::string> names;
  for (size_t i = 0; i < batch.size(); ++i) names.push_back("b" + std::to_string(i));
  dims.push_back(m);
  dims.push_back(nn);
  std::vector<std::string> all = names;
  all.push_back("m");
  all.push_back("j");
  KernelDesc k = ctx.newKernel("matmul");
  k.args = {{"a"}, {"b"}, {"y", true}};
  k.threads = elementCount(ctx.outValue(0));
  std::vector<std::string> &s = k.body;
  decompose(s, "gid", dims, all);
  std::string ao = "(" + broadcastOffset(abatch, names) + ") * " + kInt(m * kk);
  std::string bo = "(" + broadcastOffset(bbatch, names) + ") * " + kInt(kk * nn);
  dot(s, ao, kk, 1, bo, nn, 1, kk);
  s.push_back("y[gid] = " + activationExpr(n, "acc") + ";");
  ctx.addMacs(k.threads * kk);
  ctx.launch(std::move(k), {ctx.in(0), ctx.in(1), ctx.out(0)});
  return Status::ok();
}

} // namespace

void registerGemm(std::vector<GpuLowering> &out) {
  out.push_back({"Gemm", checkGemm, lowerGemm,
                 "transA/transB, alpha/beta, C broadcast; fused activation"});
  out.push_back({"MatMul", checkMatMul, lowerMatMul,
                 "numpy semantics (1-D promotion, broadcast batch dims); fused activation"});
}

} // namespace edgec::gpu
