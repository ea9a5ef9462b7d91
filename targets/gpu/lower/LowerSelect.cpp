// Comparisons, logic and selection, one work-item per output element with
// numpy broadcasting: Equal, Less, LessOrEqual, Greater, GreaterOrEqual on
// float32 (a bool result, stored as one byte), Not, And, Or, Xor on bool,
// and Where(bool, float32, float32).
#include "targets/gpu/lower/GpuLowering.h"

namespace edgec::gpu {

namespace {

const char *const kCompare[] = {"Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual"};
const char *const kLogic[] = {"Not", "And", "Or", "Xor"};

const char *compareOp(const std::string &op) {
  if (op == "Equal") return "==";
  if (op == "Less") return "<";
  if (op == "LessOrEqual") return "<=";
  if (op == "Greater") return ">";
  return ">=";
}

std::string typeIs(const Value *v, DataType t, const std::string &what) {
  if (!v) return "missing " + what;
  if (v->type.dtype != t) return what + " '" + v->name + "' is " + v->type.str();
  return "";
}

std::string checkCompare(const Node &n) {
  if (n.inputs.size() != 2 || n.outputs.size() != 1) return "expects two inputs";
  for (const Value *v : n.inputs)
    if (std::string w = typeIs(v, DataType::Float32, "input"); !w.empty()) return w + " (only float32)";
  return typeIs(n.outputs[0], DataType::Bool, "output");
}

std::string checkLogic(const Node &n) {
  if (n.inputs.size() != (n.opType == "Not" ? 1u : 2u) || n.outputs.size() != 1)
    return "wrong number of inputs";
  for (const Value *v : n.inputs)
    if (std::string w = typeIs(v, DataType::Bool, "input"); !w.empty()) return w;
  return typeIs(n.outputs[0], DataType::Bool, "output");
}

std::string checkWhere(const Node &n) {
  if (n.inputs.size() != 3 || n.outputs.size() != 1) return "expects condition, X and Y";
  if (std::string w = typeIs(n.inputs[0], DataType::Bool, "condition"); !w.empty()) return w;
  for (size_t i = 1; i < 3; ++i)
    if (std::string w = typeIs(n.inputs[i], DataType::Float32, "input"); !w.empty())
      return w + " (only float32)";
  return typeIs(n.outputs[0], DataType::Float32, "output");
}

/// One kernel reading every input at the output's coordinates (broadcast)
/// and storing expr(inputs) into y of type `out`.
Status lowerBroadcast(GpuLowerContext &ctx, DataType out,
                      const std::function<std::string(const std::vector<std::string> &)> &expr) {
  std::vector<int64_t> yd = staticDims(ctx.outValue(0));
  const std::vector<std::string> names = coordNames(yd.size());
  std::vector<std::string> in;
  KernelDesc k = ctx.newKernel("elementwise");
  std::vector<Operand> ops;
  bool coords = false;
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    std::string arg = "x" + std::to_string(i);
    k.args.push_back({arg, false, ctx.inValue(i).type.dtype});
    ops.push_back(ctx.in(i));
    std::vector<int64_t> xd = staticDims(ctx.inValue(i));
    coords = coords || xd != yd;
    in.push_back(arg + "[" + (xd == yd ? std::string("gid") : broadcastOffset(xd, names)) + "]");
  }
  if (coords) decompose(k.body, "gid", yd, names);
  k.body.push_back("y[gid] = " + expr(in) + ";");
  k.args.push_back({"y", true, out});
  ops.push_back(ctx.out(0));
  k.threads = elementCount(ctx.outValue(0));
  ctx.launch(std::move(k), std::move(ops));
  return Status::ok();
}

Status lowerCompare(GpuLowerContext &ctx) {
  const std::string op = compareOp(ctx.node().opType);
  return lowerBroadcast(ctx, DataType::Bool, [&](const std::vector<std::string> &in) {
    return "(" + in[0] + " " + op + " " + in[1] + " ? 1 : 0)";
  });
}

Status lowerLogic(GpuLowerContext &ctx) {
  const std::string op = ctx.node().opType;
  return lowerBroadcast(ctx, DataType::Bool, [&](const std::vector<std::string> &in) {
    if (op == "Not") return "(" + in[0] + " ? 0 : 1)";
    const char *c = op == "And" ? " && " : op == "Or" ? " || " : " != ";
    return "((" + in[0] + " != 0)" + c + "(" + in[1] + " != 0) ? 1 : 0)";
  });
}

Status lowerWhere(GpuLowerContext &ctx) {
  return lowerBroadcast(ctx, DataType::Float32, [](const std::vector<std::string> &in) {
    return "(" + in[0] + " ? " + in[1] + " : " + in[2] + ")";
  });
}

} // namespace

void registerSelect(std::vector<GpuLowering> &out) {
  for (const char *op : kCompare)
    out.push_back({op, checkCompare, lowerCompare, "float32 inputs, bool output; broadcasting",
                   GpuLowering::Family::Other, {"float32", "bool"}});
  for (const char *op : kLogic)
    out.push_back({op, checkLogic, lowerLogic, "bool; broadcasting", GpuLowering::Family::Other, {"bool"}});
  out.push_back({"Where", checkWhere, lowerWhere, "bool condition, float32 values; broadcasting",
                 GpuLowering::Family::Other, {"bool", "float32"}});
}

} // namespace edgec::gpu
