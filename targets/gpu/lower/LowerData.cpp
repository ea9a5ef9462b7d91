// Data movement as address arithmetic, one work-item per output element:
// Concat (the input is chosen by the position along the axis), Transpose
// (the input offset from the permuted coordinates), Slice (constant
// starts/ends/axes/steps), Pad (constant mode, constant pads) and Gather
// (indices checked in the kernel: an index out of range reads nothing and
// yields 0).
#include "targets/gpu/lower/GpuLowering.h"

#include "shape/Inference.h"
#include "shape/ops/Shape.h"

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
  const std::vector<std::string> names = coordNames(yd.size());
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

/// The inference context of n with its constant inputs (the shared
/// readers of Slice's and Pad's parameters take one).
InferContext constantsContext(const Node &n) {
  std::vector<const TensorType *> types;
  std::vector<const Tensor *> values;
  for (const Value *v : n.inputs) {
    types.push_back(v ? &v->type : nullptr);
    values.push_back(v && v->constant ? &*v->constant : nullptr);
  }
  return InferContext(n, types, values);
}

/// Per dim of the input: first element and step of a Slice.
Expected<std::pair<std::vector<int64_t>, std::vector<int64_t>>> sliceOf(const Node &n) {
  InferContext ctx = constantsContext(n);
  EDGEC_ASSIGN_OR_RETURN(SliceSpec sp, sliceSpec(ctx));
  if (!sp.known) return Error(ErrorCode::Unsupported, "starts/ends/axes/steps must be constants");
  const std::vector<int64_t> d = staticDims(*n.inputs[0]);
  const int64_t r = int64_t(d.size());
  std::vector<int64_t> first(d.size(), 0), step(d.size(), 1);
  for (size_t k = 0; k < sp.starts.size(); ++k) {
    int64_t ax = sp.axes[k] < 0 ? sp.axes[k] + r : sp.axes[k];
    if (ax < 0 || ax >= r) return Error(ErrorCode::Unsupported, "axis out of range");
    EDGEC_ASSIGN_OR_RETURN(SliceAxis a, sliceAxis(ctx, d[size_t(ax)], sp.starts[k], sp.ends[k], sp.steps[k]));
    first[size_t(ax)] = a.start;
    step[size_t(ax)] = a.step;
  }
  return std::make_pair(first, step);
}

std::string checkSlice(const Node &n) {
  if (n.inputs.size() < 3 || !n.inputs[0] || n.outputs.size() != 1) return "expects data, starts, ends";
  if (std::string w = checkFloatNode(n, 1); !w.empty()) return w;
  if (!n.inputs[0]->type.hasRank || !n.inputs[0]->type.isStatic()) return "";
  if (auto s = sliceOf(n); !s) return s.error().message();
  return "";
}

Status lowerSlice(GpuLowerContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(auto fs, sliceOf(ctx.node()));
  std::vector<int64_t> xd = staticDims(ctx.inValue(0)), yd = staticDims(ctx.outValue(0));
  std::vector<int64_t> xs = stridesOf(xd);
  const std::vector<std::string> names = coordNames(yd.size());
  KernelDesc k = ctx.newKernel("slice (copy)");
  decompose(k.body, "gid", yd, names);
  int64_t base = 0;
  std::string off;
  for (size_t d = 0; d < yd.size(); ++d) {
    base += fs.first[d] * xs[d];
    if (yd[d] != 1) off += " + " + names[d] + " * " + kInt(fs.second[d] * xs[d]);
  }
  k.body.push_back("y[gid] = x[" + kInt(base) + off + "];");
  k.args = {{"x"}, {"y", true}};
  k.threads = elementCount(ctx.outValue(0));
  ctx.launch(std::move(k), {ctx.in(0), ctx.out(0)});
  return Status::ok();
}

/// Pad's begin pads per dim and its constant value.
Expected<std::pair<std::vector<int64_t>, float>> padOf(const Node &n) {
  const size_t r = staticDims(*n.inputs[0]).size();
  std::vector<int64_t> pads;
  float value = 0;
  if (n.inputs.size() > 3 && n.inputs[3]) return Error(ErrorCode::Unsupported, "the axes input");
  if (n.inputs.size() > 1 && n.inputs[1]) {
    if (!n.inputs[1]->constant) return Error(ErrorCode::Unsupported, "pads must be a constant");
    pads = n.inputs[1]->constant->toInt64Vector();
  } else {
    pads = n.attrInts("pads", {});
  }
  if (pads.size() != 2 * r) return Error(ErrorCode::Unsupported, "pads must have 2 * rank values");
  if (n.inputs.size() > 2 && n.inputs[2]) {
    const Value *c = n.inputs[2];
    if (!c->constant || c->constant->dtype() != DataType::Float32 || c->constant->numElements() != 1)
      return Error(ErrorCode::Unsupported, "constant_value must be a float32 constant scalar");
    value = c->constant->data<float>()[0];
  } else {
    value = n.attrFloat("value", 0.0f);
  }
  return std::make_pair(std::vector<int64_t>(pads.begin(), pads.begin() + long(r)), value);
}

std::string checkPad(const Node &n) {
  if (n.inputs.empty() || !n.inputs[0] || n.outputs.size() != 1) return "expects data";
  if (std::string w = checkFloatNode(n, 1); !w.empty()) return w;
  if (n.attr("mode") && n.attr("mode")->s != "constant") return "only mode constant";
  if (!n.inputs[0]->type.hasRank || !n.inputs[0]->type.isStatic()) return "";
  if (auto p = padOf(n); !p) return p.error().message();
  return "";
}

Status lowerPad(GpuLowerContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(auto pv, padOf(ctx.node()));
  std::vector<int64_t> xd = staticDims(ctx.inValue(0)), yd = staticDims(ctx.outValue(0));
  std::vector<int64_t> xs = stridesOf(xd);
  const std::vector<std::string> names = coordNames(yd.size());
  KernelDesc k = ctx.newKernel("pad (copy)");
  decompose(k.body, "gid", yd, names);
  std::string inside = "1", off = "0";
  for (size_t d = 0; d < yd.size(); ++d) {
    std::string c = "(" + names[d] + " - " + kInt(pv.first[d]) + ")";
    inside += " && " + c + " >= 0 && " + c + " < " + kInt(xd[d]);
    off += " + " + c + " * " + kInt(xs[d]);
  }
  k.body.push_back("y[gid] = (" + inside + ") ? x[" + off + "] : " + kFloat(pv.second) + ";");
  k.args = {{"x"}, {"y", true}};
  k.threads = elementCount(ctx.outValue(0));
  ctx.launch(std::move(k), {ctx.in(0), ctx.out(0)});
  return Status::ok();
}

std::string checkGather(const Node &n) {
  if (n.inputs.size() != 2 || !n.inputs[0] || !n.inputs[1] || n.outputs.size() != 1)
    return "expects data and indices";
  if (std::string w = checkFloatNode(n, 1); !w.empty()) return w;
  DataType it = n.inputs[1]->type.dtype;
  if (it != DataType::Int64 && it != DataType::Int32) return "indices must be int64 or int32";
  if (n.inputs[0]->type.hasRank) {
    int64_t r = int64_t(n.inputs[0]->type.rank()), axis = n.attrInt("axis", 0);
    if (r == 0 || axis < -r || axis >= r) return "axis out of range";
  }
  return "";
}

Status lowerGather(GpuLowerContext &ctx) {
  std::vector<int64_t> xd = staticDims(ctx.inValue(0));
  int64_t axis = ctx.node().attrInt("axis", 0);
  if (axis < 0) axis += int64_t(xd.size());
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < xd.size(); ++d) {
    if (int64_t(d) < axis) outer *= xd[d];
    if (int64_t(d) > axis) inner *= xd[d];
  }
  const int64_t dim = xd[size_t(axis)], count = elementCount(ctx.inValue(1));
  KernelDesc k = ctx.newKernel("gather (copy)");
  decompose(k.body, "gid", {outer, count, inner}, {"o", "j", "i"});
  k.body.push_back("long q = (long)ind[j];");
  k.body.push_back("if (q < 0) q += " + kInt(dim) + ";");
  k.body.push_back("y[gid] = (q >= 0 && q < " + kInt(dim) + ") ? x[(o * " + kInt(dim) +
                   " + (int)q) * " + kInt(inner) + " + i] : 0.0f;");
  k.args = {{"x"}, {"ind", false, ctx.inValue(1).type.dtype}, {"y", true}};
  k.threads = elementCount(ctx.outValue(0));
  ctx.launch(std::move(k), {ctx.in(0), ctx.in(1), ctx.out(0)});
  return Status::ok();
}

} // namespace

void registerData(std::vector<GpuLowering> &out) {
  out.push_back({"Concat", checkConcat, lowerConcat, "any axis"});
  out.push_back({"Transpose", checkTranspose, lowerTranspose, "any permutation"});
  out.push_back({"Slice", checkSlice, lowerSlice, "constant starts/ends/axes/steps"});
  out.push_back({"Pad", checkPad, lowerPad, "mode constant, constant pads and value, no axes"});
  out.push_back({"Gather", checkGather, lowerGather,
                 "float32 data, int64/int32 indices (out of range: 0)", GpuLowering::Family::Other,
                 {"float32", "int64", "int32"}});
}

} // namespace edgec::gpu
