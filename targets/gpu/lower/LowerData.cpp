// Data movement as address arithmetic, one work-item per output element:
// Concat (the input is chosen by the position along the axis) and Transpose
// (the input offset from the permuted coordinates).
#include "targets/gpu/lower/GpuLowering.h"

namespace edgec::gpu {

namespace {

std::string checkConcat(const Node &n) {
  if (n.inputs.empty() || n.outputs.size() != 1) return "expects inputs";
  for (const Value *v : n.inputs)
    if (!v) return "missing input";
  if (std::string w = checkFloatNode(n); !w.empty()) return w;
  if (hasFusedActivation(n)) return "a fused activation";
  return "";
}

std::string checkTranspose(const Node &n) {
  if (n.inputs.size() != 1 || !n.inputs[0] || n.outputs.size() != 1) return "expects one input";
  if (std::string w = checkFloatNode(n); !w.empty()) return w;
  if (hasFusedActivation(n)) return "a fused activation";
  if (n.inputs[0]->type.hasRank) {
    const size_t r = n.inputs[0]->type.rank();
    std::vector<int64_t> perm = n.attrInts("perm", {});
    if (!perm.empty()) {
      std::vector<bool> seen(r, false);
      if (perm.size() != r) return "perm length differs from the rank";
      for (int64_t p : perm) {
        if (p < 0 || p >= int64_t(r) || seen[size_t(p)]) return "perm is not a permutation";
        seen[size_t(p)] = true;
      }
    }
  }
  return "";
}

Status lowerConcat(GpuLowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> yd = staticDims(ctx.outValue(0));
  int64_t axis = n.attrInt("axis", 0);
  if (axis < 0) axis += int64_t(yd.size());
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < yd.size(); ++d) {
    if (int64_t(d) < axis) outer *= yd[d];
    if (int64_t(d) > axis) inner *= yd[d];
  }
  KernelDesc k = ctx.newKernel("concat (copy)");
  std::vector<Operand> ops;
  std::vector<std::string> &s = k.body;
  decompose(s, "gid", {outer, yd[size_t(axis)], inner}, {"o", "a", "i"});
  int64_t start = 0;
  for (size_t j = 0; j < ctx.numInputs(); ++j) {
    const int64_t len = staticDims(ctx.inValue(j))[size_t(axis)];
    if (len == 0) continue;
    std::string arg = "x" + std::to_string(j);
    k.args.push_back({arg});
    ops.push_back(ctx.in(j));
    s.push_back((start == 0 ? "if" : "else if") + std::string(" (a < ") + kInt(start + len) +
                ") y[gid] = " + arg + "[(o * " + kInt(len) + " + a - " + kInt(start) + ") * " +
                kInt(inner) + " + i];");
    start += len;
  }
  k.args.push_back({"y", true});
  ops.push_back(ctx.out(0));
  k.threads = elementCount(ctx.outValue(0));
  ctx.launch(std::move(k), std::move(ops));
  return Status::ok();
}

Status lowerTranspose(GpuLowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> xd = staticDims(ctx.inValue(0)), yd = staticDims(ctx.outValue(0));
  std::vector<int64_t> perm = n.attrInts("perm", {});
  if (perm.empty())
    for (size_t d = xd.size(); d-- > 0;) perm.push_back(int64_t(d));
  std::vector<int64_t> xs = stridesOf(xd);
  KernelDesc k = ctx.newKernel("transpose (copy)");
  std::vector<std::string> names;
  for (size_t d = 0; d < yd.size(); ++d) names.push_back("i" + std::to_string(d));
  decompose(k.body, "gid", yd, names);
  std::string off;
  for (size_t d = 0; d < yd.size(); ++d)
    if (yd[d] != 1) off += (off.empty() ? "" : " + ") + names[d] + " * " + kInt(xs[size_t(perm[d])]);
  k.body.push_back("y[gid] = x[" + (off.empty() ? std::string("0") : off) + "];");
  k.args = {{"x"}, {"y", true}};
  k.threads = elementCount(ctx.outValue(0));
  ctx.launch(std::move(k), {ctx.in(0), ctx.out(0)});
  return Status::ok();
}

} // namespace

void registerData(std::vector<GpuLowering> &out) {
  out.push_back({"Concat", checkConcat, lowerConcat, "any axis"});
  out.push_back({"Transpose", checkTranspose, lowerTranspose, "any permutation"});
}

} // namespace edgec::gpu
