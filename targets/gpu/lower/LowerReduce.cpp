// Reductions, one work-item per output element (or row): ReduceMax, Min,
// Sum, Mean, SumSquare and L2 over constant axes; LRN across channels; and
// LayerNormalization over the trailing dims from its axis (mean, population
// variance, scale and bias), each as one kernel.
#include "targets/gpu/lower/GpuLowering.h"

namespace edgec::gpu {

namespace {

const char *const kReduce[] = {"ReduceMax", "ReduceMin", "ReduceSum", "ReduceMean",
                               "ReduceSumSquare", "ReduceL2"};

/// The reduced axes of a Reduce node (attribute or constant input), or an
/// error naming why not; empty `red` with noop set means identity.
Expected<std::vector<bool>> reducedMask(const Node &n, size_t rank) {
  std::vector<int64_t> axes;
  bool fromInput = n.inputs.size() > 1 && n.inputs[1];
  if (fromInput) {
    const Value *a = n.inputs[1];
    if (!a->constant) return Error(ErrorCode::Unsupported, "axes must be a constant");
    const Tensor &t = *a->constant;
    if (t.dtype() != DataType::Int64) return Error(ErrorCode::Unsupported, "axes must be int64");
    for (int64_t i = 0; i < t.numElements(); ++i) axes.push_back(t.data<int64_t>()[i]);
  } else {
    axes = n.attrInts("axes", {});
  }
  std::vector<bool> red(rank, axes.empty());
  if (axes.empty() && fromInput && n.attrInt("noop_with_empty_axes", 0))
    return Error(ErrorCode::Unsupported, "noop_with_empty_axes (an identity)");
  for (int64_t a : axes) {
    if (a < -int64_t(rank) || a >= int64_t(rank)) return Error(ErrorCode::Unsupported, "axis out of range");
    red[size_t(a < 0 ? a + int64_t(rank) : a)] = true;
  }
  return red;
}

std::string checkReduce(const Node &n) {
  if (n.inputs.empty() || !n.inputs[0] || n.outputs.size() != 1) return "expects data";
  if (std::string w = checkFloatNode(n, 1); !w.empty()) return w;
  if (n.inputs[0]->type.hasRank)
    if (auto r = reducedMask(n, n.inputs[0]->type.rank()); !r) return r.error().message();
  return "";
}

Status lowerReduce(GpuLowerContext &ctx) {
  const Node &n = ctx.node();
  const std::string &op = n.opType;
  std::vector<int64_t> xd = staticDims(ctx.inValue(0));
  EDGEC_ASSIGN_OR_RETURN(std::vector<bool> red, reducedMask(n, xd.size()));
  std::vector<int64_t> xs = stridesOf(xd), kept, rdims;
  std::vector<std::string> knames, rnames;
  std::string base, roff;
  int64_t count = 1;
  for (size_t d = 0; d < xd.size(); ++d) {
    std::string nm = (red[d] ? "r" : "k") + std::to_string(d);
    std::string term = nm + " * " + kInt(xs[d]);
    if (red[d]) {
      rdims.push_back(xd[d]);
      rnames.push_back(nm);
      roff += (roff.empty() ? "" : " + ") + term;
      count *= xd[d];
    } else {
      kept.push_back(xd[d]);
      knames.push_back(nm);
      base += (base.empty() ? "" : " + ") + term;
    }
  }
  KernelDesc k = ctx.newKernel("reduce");
  k.args = {{"x"}, {"y", true}};
  k.threads = elementCount(ctx.outValue(0));
  std::vector<std::string> &s = k.body;
  decompose(s, "gid", kept, knames);
  s.push_back("const int base = " + (base.empty() ? std::string("0") : base) + ";");
  const bool isMax = op == "ReduceMax", isMin = op == "ReduceMin";
  s.push_back(std::string("float acc = ") + (isMax ? "-INFINITY" : isMin ? "INFINITY" : "0.0f") + ";");
  s.push_back("for (int r = 0; r < " + kInt(count) + "; ++r) {");
  std::vector<std::string> inner;
  decompose(inner, "r", rdims, rnames);
  for (const std::string &l : inner) s.push_back("  " + l);
  s.push_back("  const float v = x[base + " + (roff.empty() ? std::string("0") : roff) + "];");
  if (isMax) s.push_back("  acc = fmax(acc, v);");
  else if (isMin) s.push_back("  acc = fmin(acc, v);");
  else if (op == "ReduceSumSquare" || op == "ReduceL2") s.push_back("  acc += v * v;");
  else s.push_back("  acc += v;");
  s.push_back("}");
  if (op == "ReduceMean") s.push_back("acc = acc / " + kFloat(float(count)) + ";");
  if (op == "ReduceL2") s.push_back("acc = sqrt(acc);");
  s.push_back("y[gid] = " + activationExpr(n, "acc") + ";");
  ctx.launch(std::move(k), {ctx.in(0), ctx.out(0)});
  return Status::ok();
}

std::string checkLrn(const Node &n) {
  if (n.inputs.size() != 1 || !n.inputs[0] || n.outputs.size() != 1) return "expects one input";
  if (n.attrInt("size", 0) <= 0) return "size must be positive";
  if (n.inputs[0]->type.hasRank && n.inputs[0]->type.rank() < 2) return "needs a channel dim";
  return checkFloatNode(n);
}

Status lowerLrn(GpuLowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> xd = staticDims(ctx.inValue(0));
  int64_t inner = 1;
  for (size_t d = 2; d < xd.size(); ++d) inner *= xd[d];
  const int64_t size = n.attrInt("size", 1), lo = (size - 1) / 2, hi = size - 1 - lo;
  KernelDesc k = ctx.newKernel("lrn");
  k.args = {{"x"}, {"y", true}};
  k.threads = elementCount(ctx.outValue(0));
  std::vector<std::string> &s = k.body;
  decompose(s, "gid", {xd[0], xd[1], inner}, {"b", "c", "i"});
  s.push_back("const int from = max(c - " + kInt(lo) + ", 0);");
  s.push_back("const int to = min(c + " + kInt(hi) + ", " + kInt(xd[1] - 1) + ");");
  s.push_back("float sq = 0.0f;");
  s.push_back("for (int j = from; j <= to; ++j) {");
  s.push_back("  const float v = x[(b * " + kInt(xd[1]) + " + j) * " + kInt(inner) + " + i];");
  s.push_back("  sq += v * v;");
  s.push_back("}");
  s.push_back("const float v = x[gid] / pow(" + kFloat(n.attrFloat("bias", 1.0f)) + " + " +
              kFloat(n.attrFloat("alpha", 1e-4f) / float(size)) + " * sq, " +
              kFloat(n.attrFloat("beta", 0.75f)) + ");");
  s.push_back("y[gid] = " + activationExpr(n, "v") + ";");
  ctx.launch(std::move(k), {ctx.in(0), ctx.out(0)});
  return Status::ok();
}

/// Elements of the normalized part [axis, rank) of X.
int64_t rowLength(const std::vector<int64_t> &xd, int64_t axis) {
  int64_t len = 1;
  for (size_t d = size_t(axis); d < xd.size(); ++d) len *= xd[d];
  return len;
}

std::string checkLayerNorm(const Node &n) {
  if (n.inputs.size() < 2 || !n.inputs[0] || !n.inputs[1] || n.outputs.empty() || !n.outputs[0])
    return "expects X and Scale";
  for (size_t i = 1; i < n.outputs.size(); ++i)
    if (n.outputs[i]) return "the Mean and InvStdDev outputs are not supported";
  if (std::string w = checkFloatNode(n); !w.empty()) return w;
  const Value &x = *n.inputs[0];
  if (!x.type.hasRank || !x.type.isStatic()) return "";
  const int64_t r = int64_t(x.type.rank());
  int64_t axis = n.attrInt("axis", -1);
  if (axis < -r || axis >= r) return "axis out of range";
  if (axis < 0) axis += r;
  const int64_t len = rowLength(x.type.staticShape(), axis);
  for (size_t i = 1; i < n.inputs.size() && i < 3; ++i) {
    const Value *v = n.inputs[i];
    if (!v || !v->type.isStatic()) continue;
    int64_t c = 1;
    for (int64_t d : v->type.staticShape()) c *= d;
    if (c != len && c != 1) return "Scale and B must have the normalized shape or one element";
  }
  return "";
}

Status lowerLayerNorm(GpuLowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> xd = staticDims(ctx.inValue(0));
  int64_t axis = n.attrInt("axis", -1);
  if (axis < 0) axis += int64_t(xd.size());
  const int64_t len = rowLength(xd, axis);
  const bool bias = ctx.hasInput(2);
  auto at = [&](size_t i) { return elementCount(ctx.inValue(i)) == 1 ? std::string("0") : "j"; };
  KernelDesc k = ctx.newKernel("layer norm");
  k.args = {{"x"}, {"sc"}};
  std::vector<Operand> ops = {ctx.in(0), ctx.in(1)};
  if (bias) {
    k.args.push_back({"bb"});
    ops.push_back(ctx.in(2));
  }
  k.args.push_back({"y", true});
  ops.push_back(ctx.out(0));
  k.threads = elementCount(ctx.inValue(0)) / std::max<int64_t>(len, 1);
  std::vector<std::string> &s = k.body;
  const std::string L = kInt(len);
  s.push_back("const int base = gid * " + L + ";");
  s.push_back("float mean = 0.0f;");
  s.push_back("for (int j = 0; j < " + L + "; ++j) mean += x[base + j];");
  s.push_back("mean = mean / " + kFloat(float(len)) + ";");
  s.push_back("float var = 0.0f;");
  s.push_back("for (int j = 0; j < " + L + "; ++j) {");
  s.push_back("  const float d = x[base + j] - mean;");
  s.push_back("  var += d * d;");
  s.push_back("}");
  s.push_back("const float inv = 1.0f / sqrt(var / " + kFloat(float(len)) + " + " +
              kFloat(n.attrFloat("epsilon", 1e-5f)) + ");");
  s.push_back("for (int j = 0; j < " + L + "; ++j) {");
  s.push_back("  const float v = (x[base + j] - mean) * inv * sc[" + at(1) + "]" +
              (bias ? " + bb[" + at(2) + "]" : std::string()) + ";");
  s.push_back("  y[base + j] = " + activationExpr(n, "v") + ";");
  s.push_back("}");
  ctx.launch(std::move(k), std::move(ops));
  return Status::ok();
}

} // namespace

void registerReduce(std::vector<GpuLowering> &out) {
  for (const char *op : kReduce)
    out.push_back({op, checkReduce, lowerReduce, "constant axes, keepdims"});
  out.push_back({"LRN", checkLrn, lowerLrn, "across channels (dim 1)"});
  out.push_back({"LayerNormalization", checkLayerNorm, lowerLayerNorm,
                 "Scale/B of the normalized shape or one element; no Mean/InvStdDev outputs"});
}

} // namespace edgec::gpu
