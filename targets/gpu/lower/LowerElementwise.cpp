// Elementwise ops, one work-item per output element: binary and variadic
// arithmetic with numpy broadcasting (Add, Sub, Mul, Div, Pow, Max, Min,
// Sum, Mean, PRelu), unary math and activations (the unaryExpr table),
// Clip with constant or computed bounds, and inference BatchNormalization.
// A fused activation is applied before the store. A chain of pointwise
// nodes (GpuFusion.h) is one kernel: each node's value is a local, only the
// last one is stored.
#include "targets/gpu/lower/GpuLowering.h"

namespace edgec::gpu {

namespace {

const char *const kBinary[] = {"Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "PRelu"};
const char *const kUnary[] = {"Relu", "LeakyRelu", "HardSigmoid", "HardSwish", "Sigmoid", "Tanh",
                              "Exp", "Log", "Sqrt", "Abs", "Neg", "Reciprocal", "Floor", "Ceil",
                              "Erf", "Sin", "Cos", "Softsign", "Softplus", "Elu", "Gelu"};

std::string combine(const std::string &op, const std::string &a, const std::string &b) {
  if (op == "Add" || op == "Sum" || op == "Mean") return "(" + a + " + " + b + ")";
  if (op == "Sub") return "(" + a + " - " + b + ")";
  if (op == "Mul") return "(" + a + " * " + b + ")";
  if (op == "Div") return "(" + a + " / " + b + ")";
  if (op == "Pow") return "pow(" + a + ", " + b + ")";
  if (op == "Max") return "fmax(" + a + ", " + b + ")";
  if (op == "Min") return "fmin(" + a + ", " + b + ")";
  return "(" + a + " < 0.0f ? " + a + " * " + b + " : " + a + ")"; // PRelu
}

std::string checkBinary(const Node &n) {
  if (n.inputs.empty() || n.outputs.size() != 1) return "expects inputs and one output";
  for (const Value *v : n.inputs)
    if (!v) return "missing input";
  const bool variadic = n.opType == "Max" || n.opType == "Min" || n.opType == "Sum" || n.opType == "Mean";
  if (!variadic && n.inputs.size() != 2) return "expects two inputs";
  if (n.opType == "Gelu" && n.attr("approximate")) return "only the exact (erf) form";
  return checkFloatNode(n);
}

std::string checkUnary(const Node &n) {
  if (n.inputs.size() != 1 || !n.inputs[0] || n.outputs.size() != 1) return "expects one input";
  if (n.opType == "Gelu")
    if (const Attribute *a = n.attr("approximate"); a && a->s != "none") return "only the exact (erf) Gelu";
  return checkFloatNode(n);
}

std::string checkClip(const Node &n) {
  if (n.inputs.empty() || !n.inputs[0] || n.outputs.size() != 1) return "expects X";
  for (size_t i = 1; i < n.inputs.size(); ++i)
    if (n.inputs[i] && n.inputs[i]->type.hasRank && n.inputs[i]->type.rank() != 0 &&
        !(n.inputs[i]->type.isStatic() && n.inputs[i]->type.staticShape() == TensorShape{1}))
      return "min and max must be scalars";
  return checkFloatNode(n);
}

std::string checkBatchNorm(const Node &n) {
  if (n.inputs.size() != 5 || n.outputs.size() != 1) return "expects X, scale, B, mean, var and one output (inference)";
  for (const Value *v : n.inputs)
    if (!v) return "missing input";
  if (n.attrInt("training_mode", 0) != 0) return "training mode";
  if (n.inputs[0]->type.hasRank && n.inputs[0]->type.rank() < 2) return "X needs a channel dim";
  return checkFloatNode(n);
}

/// The expression of pointwise node n applied to its input expressions
/// (absent optional inputs: ""), with its fused activation.
std::string pointwiseExpr(const Node &n, const std::vector<std::string> &in) {
  const std::string &op = n.opType;
  std::string v;
  if (op == "Clip") {
    v = in[0];
    if (n.inputs.size() == 1) { // opset < 11: attributes
      if (n.attr("min")) v = "fmax(" + v + ", " + kFloat(n.attrFloat("min", 0)) + ")";
      if (n.attr("max")) v = "fmin(" + v + ", " + kFloat(n.attrFloat("max", 0)) + ")";
    } else {
      if (in.size() > 1 && !in[1].empty()) v = "fmax(" + v + ", " + in[1] + ")";
      if (in.size() > 2 && !in[2].empty()) v = "fmin(" + v + ", " + in[2] + ")";
    }
  } else if (in.size() == 1 && !(op == "Max" || op == "Min" || op == "Sum" || op == "Mean")) {
    v = unaryExpr(op, [&n](const char *a, float d) { return n.attrFloat(a, d); }, in[0]);
  } else {
    v = in[0];
    for (size_t i = 1; i < in.size(); ++i) v = combine(op, v, in[i]);
    if (op == "Mean") v = "(" + v + " / " + kFloat(float(in.size())) + ")";
  }
  return activationExpr(n, v);
}

} // namespace

bool isPointwise(const Node &n) {
  if (!n.domain.empty() || n.opType == "BatchNormalization") return false;
  const GpuLowering *l = findGpuLowering(n);
  return l && l->family == GpuLowering::Family::Pointwise && l->check(n).empty();
}

Status lowerPointwise(GpuLowerContext &ctx) {
  // The chain fused into this node: earlier nodes first.
  std::vector<const Node *> chain{&ctx.node()};
  while (const Node *p = ctx.fusedProducer(*chain.front())) chain.insert(chain.begin(), p);
  std::vector<int64_t> yd = staticDims(ctx.outValue(0));
  const std::vector<std::string> names = coordNames(yd.size());
  KernelDesc k = ctx.newKernel(chain.size() > 1 ? "pointwise chain" : "elementwise");
  k.fused.clear();
  std::vector<Operand> ops;
  std::vector<std::string> lines;
  bool needCoords = false;
  for (size_t c = 0; c < chain.size(); ++c) {
    const Node &n = *chain[c];
    k.fused.push_back(n.opType);
    if (const Attribute *a = n.attr(kFusedActivationAttr); a && a->kind == Attribute::Kind::String)
      k.fused.push_back(a->s);
    std::vector<std::string> in;
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      const Value *v = n.inputs[i];
      if (!v) { in.push_back(""); continue; }
      if (c > 0 && v == chain[c - 1]->outputs[0]) { in.push_back("v" + std::to_string(c - 1)); continue; }
      std::string arg = "x" + std::to_string(k.args.size());
      k.args.push_back({arg});
      ops.push_back(&n == &ctx.node() ? ctx.in(i) : ctx.alsoRead(*v));
      std::vector<int64_t> xd = staticDims(*v);
      if (xd == yd) {
        in.push_back(arg + "[gid]");
      } else {
        needCoords = true;
        in.push_back(arg + "[" + broadcastOffset(xd, names) + "]");
      }
    }
    lines.push_back("const float v" + std::to_string(c) + " = " + pointwiseExpr(n, in) + ";");
  }
  if (needCoords) decompose(k.body, "gid", yd, names);
  k.body.insert(k.body.end(), lines.begin(), lines.end());
  k.body.push_back("y[gid] = v" + std::to_string(chain.size() - 1) + ";");
  k.args.push_back({"y", true});
  ops.push_back(ctx.out(0));
  k.threads = elementCount(ctx.outValue(0));
  if (chain.size() == 1) ctx.allowInPlace(0);
  ctx.launch(std::move(k), std::move(ops));
  return Status::ok();
}

namespace {

Status lowerBatchNorm(GpuLowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> xd = staticDims(ctx.inValue(0));
  int64_t inner = 1;
  for (size_t d = 2; d < xd.size(); ++d) inner *= xd[d];
  KernelDesc k = ctx.newKernel("batch norm");
  std::vector<Operand> ops;
  const char *names[] = {"x", "s", "bb", "mu", "var"};
  for (size_t i = 0; i < 5; ++i) {
    k.args.push_back({names[i]});
    ops.push_back(ctx.in(i));
  }
  k.body.push_back("const int c = (gid / " + kInt(inner) + ") % " + kInt(xd[1]) + ";");
  k.body.push_back("const float v = (x[gid] - mu[c]) / sqrt(var[c] + " +
                   kFloat(n.attrFloat("epsilon", 1e-5f)) + ") * s[c] + bb[c];");
  k.body.push_back("y[gid] = " + activationExpr(n, "v") + ";");
  k.args.push_back({"y", true});
  ops.push_back(ctx.out(0));
  k.threads = elementCount(ctx.outValue(0));
  ctx.allowInPlace(0);
  ctx.launch(std::move(k), std::move(ops));
  return Status::ok();
}

} // namespace

void registerElementwise(std::vector<GpuLowering> &out) {
  const auto pw = GpuLowering::Family::Pointwise;
  for (const char *op : kBinary)
    out.push_back({op, checkBinary, lowerPointwise, "numpy broadcasting; fused activation", pw});
  for (const char *op : kUnary) out.push_back({op, checkUnary, lowerPointwise, "", pw});
  out.push_back({"Clip", checkClip, lowerPointwise, "scalar bounds (attributes or inputs)", pw});
  out.push_back({"BatchNormalization", checkBatchNorm, lowerBatchNorm, "inference form"});
}

} // namespace edgec::gpu
