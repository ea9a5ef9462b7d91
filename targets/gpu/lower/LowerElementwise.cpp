// Elementwise ops, one work-item per output element: binary and variadic
// arithmetic with numpy broadcasting (Add, Sub, Mul, Div, Pow, Max, Min,
// Sum, Mean, PRelu), unary math and activations (the unaryExpr table),
// Clip with constant or computed bounds, and inference BatchNormalization.
// A fused activation is applied before the store.
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

/// Output coordinates and, per input, its read expression.
struct Reads {
  std::vector<std::string> exprs;
};

Reads readInputs(GpuLowerContext &ctx, KernelDesc &k, std::vector<Operand> &ops) {
  std::vector<int64_t> yd = staticDims(ctx.outValue(0));
  std::vector<std::string> names;
  for (size_t d = 0; d < yd.size(); ++d) names.push_back("i" + std::to_string(d));
  bool needCoords = false;
  Reads r;
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    if (!ctx.hasInput(i)) { r.exprs.push_back(""); continue; }
    std::vector<int64_t> xd = staticDims(ctx.inValue(i));
    std::string arg = "x" + std::to_string(i);
    k.args.push_back({arg});
    ops.push_back(ctx.in(i));
    if (xd == yd) {
      r.exprs.push_back(arg + "[gid]");
    } else {
      needCoords = true;
      r.exprs.push_back(arg + "[" + broadcastOffset(xd, names) + "]");
    }
  }
  if (needCoords) {
    std::vector<std::string> body;
    decompose(body, "gid", yd, names);
    k.body.insert(k.body.begin(), body.begin(), body.end());
  }
  return r;
}

void finish(GpuLowerContext &ctx, KernelDesc &k, std::vector<Operand> &ops, const std::string &v) {
  k.body.push_back("const float v = " + v + ";");
  k.body.push_back("y[gid] = " + activationExpr(ctx.node(), "v") + ";");
  k.args.push_back({"y", true});
  k.threads = elementCount(ctx.outValue(0));
  ops.push_back(ctx.out(0));
  ctx.allowInPlace(0);
  ctx.launch(std::move(k), std::move(ops));
}

Status lowerBinary(GpuLowerContext &ctx) {
  const Node &n = ctx.node();
  KernelDesc k = ctx.newKernel("elementwise");
  std::vector<Operand> ops;
  Reads r = readInputs(ctx, k, ops);
  std::string v = r.exprs[0];
  for (size_t i = 1; i < r.exprs.size(); ++i) v = combine(n.opType, v, r.exprs[i]);
  if (n.opType == "Mean") v = "(" + v + " / " + kFloat(float(r.exprs.size())) + ")";
  finish(ctx, k, ops, v);
  return Status::ok();
}

Status lowerUnary(GpuLowerContext &ctx) {
  const Node &n = ctx.node();
  KernelDesc k = ctx.newKernel("elementwise");
  std::vector<Operand> ops;
  Reads r = readInputs(ctx, k, ops);
  k.body.push_back("const float x = " + r.exprs[0] + ";");
  finish(ctx, k, ops,
         unaryExpr(n.opType, [&n](const char *a, float d) { return n.attrFloat(a, d); }, "x"));
  return Status::ok();
}

Status lowerClip(GpuLowerContext &ctx) {
  const Node &n = ctx.node();
  KernelDesc k = ctx.newKernel("elementwise");
  std::vector<Operand> ops;
  Reads r = readInputs(ctx, k, ops);
  std::string v = r.exprs[0];
  if (n.inputs.size() == 1) { // opset < 11: attributes
    if (n.attr("min")) v = "fmax(" + v + ", " + kFloat(n.attrFloat("min", 0)) + ")";
    if (n.attr("max")) v = "fmin(" + v + ", " + kFloat(n.attrFloat("max", 0)) + ")";
  } else {
    if (r.exprs.size() > 1 && !r.exprs[1].empty()) v = "fmax(" + v + ", " + r.exprs[1] + ")";
    if (r.exprs.size() > 2 && !r.exprs[2].empty()) v = "fmin(" + v + ", " + r.exprs[2] + ")";
  }
  finish(ctx, k, ops, v);
  return Status::ok();
}

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
  finish(ctx, k, ops,
         "(x[gid] - mu[c]) / sqrt(var[c] + " + kFloat(n.attrFloat("epsilon", 1e-5f)) +
             ") * s[c] + bb[c]");
  return Status::ok();
}

} // namespace

void registerElementwise(std::vector<GpuLowering> &out) {
  for (const char *op : kBinary)
    out.push_back({op, checkBinary, lowerBinary, "numpy broadcasting; fused activation"});
  for (const char *op : kUnary) out.push_back({op, checkUnary, lowerUnary, ""});
  out.push_back({"Clip", checkClip, lowerClip, "scalar bounds (attributes or inputs)"});
  out.push_back({"BatchNormalization", checkBatchNorm, lowerBatchNorm, "inference form"});
}

} // namespace edgec::gpu
