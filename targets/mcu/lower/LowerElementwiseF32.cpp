// Float elementwise ops with numpy broadcasting:
//   binary Add, Sub, Mul, Div, Pow, Max, Min, Mod (fmod), PRelu and the
//   variadic Sum, Mean, Max, Min -> ec_binary_f32;
//   Equal, Less, LessOrEqual, Greater, GreaterOrEqual -> ec_compare_f32
//   (runtime/kernels/binary_f32.c);
//   unary math (Exp, Log, Sqrt, Abs, Neg, Reciprocal, Floor, Ceil, Round,
//   Erf, Sin, Cos, ..., Elu, Selu, Celu, Gelu, Mish, Swish, Softsign,
//   ThresholdedRelu) -> ec_unary_f32 (runtime/kernels/unary_f32.c);
//   Dropout (inference) -> memcpy.
#include "targets/mcu/lower/Lowering.h"

#include <cmath>
#include <map>

namespace edgec::mcu {

namespace {

std::string checkFloatIO(const Node &n, size_t minIn) {
  if (n.inputs.size() < minIn || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  for (size_t i = 0; i < n.inputs.size(); ++i)
    if (!n.inputs[i]) return "missing input";
    else if (n.inputs[i]->type.dtype != DataType::Float32) return "only float32";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  return "";
}

const std::map<std::string, std::string> &binaryOps() {
  static const std::map<std::string, std::string> m = {
      {"Add", "EC_BIN_ADD"}, {"Sub", "EC_BIN_SUB"}, {"Mul", "EC_BIN_MUL"},
      {"Div", "EC_BIN_DIV"}, {"Pow", "EC_BIN_POW"}, {"Max", "EC_BIN_MAX"},
      {"Min", "EC_BIN_MIN"}, {"Sum", "EC_BIN_ADD"}, {"Mean", "EC_BIN_ADD"},
      {"Mod", "EC_BIN_MOD"}, {"PRelu", "EC_BIN_PRELU"}};
  return m;
}

const std::map<std::string, std::string> &compareOps() {
  static const std::map<std::string, std::string> m = {
      {"Equal", "EC_CMP_EQ"},   {"Less", "EC_CMP_LT"},
      {"LessOrEqual", "EC_CMP_LE"}, {"Greater", "EC_CMP_GT"},
      {"GreaterOrEqual", "EC_CMP_GE"}};
  return m;
}

/// Whether an arithmetic op or comparison is the integer / bool form
/// (LowerElementwiseInt.cpp).
bool isIntegerForm(const Node &n) {
  return !n.inputs.empty() && n.inputs[0] && n.inputs[0]->type.dtype != DataType::Float32 &&
         n.opType != "Sum" && n.opType != "Mean" && n.opType != "Pow" &&
         n.opType != "PRelu";
}

std::string checkBinary(const Node &n, const McuOptions &o) {
  if (isIntegerForm(n)) return checkElementwiseInt(n, o);
  bool variadic = n.opType == "Sum" || n.opType == "Mean" || n.opType == "Max" ||
                  n.opType == "Min";
  std::string why = checkFloatIO(n, variadic ? 1 : 2);
  if (!why.empty()) return why;
  if (!variadic && n.inputs.size() != 2) return "expects two inputs";
  if (n.outputs[0]->type.dtype != DataType::Float32) return "only float32";
  if (n.outputs[0]->type.dims.size() > 8) return "rank above 8";
  if (n.opType == "Mod") {
    const Attribute *f = n.attr("fmod");
    if (!f || f->i == 0) return "float Mod needs fmod = 1";
  }
  if (const Attribute *b = n.attr("broadcast"); b && b->i != 0 && n.attr("axis"))
    return "legacy broadcast with axis is not supported";
  return checkFusedActivationF32(n);
}

std::string checkCompare(const Node &n, const McuOptions &o) {
  if (isIntegerForm(n)) return checkElementwiseInt(n, o);
  std::string why = checkFloatIO(n, 2);
  if (!why.empty()) return why;
  if (n.outputs[0]->type.dtype != DataType::Bool) return "output must be bool";
  if (n.outputs[0]->type.dims.size() > 8) return "rank above 8";
  if (n.attr(kFusedActivationAttr)) return "fused activation on a comparison";
  return "";
}

/// One ec_binary_f32 / ec_compare_f32 call: out(od) = a(ad) op b(bd).
void emitBinary(LowerContext &ctx, const std::string &fn, const std::string &op,
                const Fields &act, const std::vector<int64_t> &ad,
                const std::vector<int64_t> &bd, const std::vector<int64_t> &od,
                const Operand &a, const Operand &b, const Operand &out) {
  std::vector<int64_t> dims = od;
  std::vector<std::vector<int64_t>> st = {bcastStrides(ad, od), bcastStrides(bd, od)};
  coalesce(dims, st);
  Operand p = ctx.params("ec_binary_f32_params", "bin_" + ctx.node().name,
                         Fields().sym("op", op).i("rank", int64_t(dims.size())).ints("dims", dims)
                             .ints("a_str", st[0]).ints("b_str", st[1]).sub("act", act));
  ctx.call(fn, {p, a, b, out});
}

Fields noActivation() { return actParams("EC_ACT_NONE", 0.0f, 0.0f, -INFINITY, INFINITY); }

Status lowerBinary(LowerContext &ctx) {
  const Node &n = ctx.node();
  if (isIntegerForm(n)) return lowerElementwiseInt(ctx);
  EDGEC_ASSIGN_OR_RETURN(Fields act, fusedActivationF32(n));
  const Fields noAct = noActivation();
  std::vector<int64_t> od = staticDims(ctx.outValue(0));
  const std::string op = binaryOps().at(n.opType);
  ctx.useRuntime("kernels/reference/binary_f32.h");
  ctx.setKernel("binary_f32");
  size_t k = n.inputs.size();
  ctx.addMacs(elementCount(ctx.outValue(0)) * int64_t(k > 1 ? k - 1 : 1));
  bool mean = n.opType == "Mean";
  if (k == 1) {
    // Sum/Mean/Max/Min of one input: out = in (op) in, or a copy.
    std::vector<int64_t> d = staticDims(ctx.inValue(0));
    std::string o = mean || n.opType == "Sum" ? "EC_BIN_ADD" : op;
    if (n.opType == "Sum" || mean) {
      // x + 0 through the broadcast kernel keeps one code path.
      float zero = 0.0f;
      Operand z = ctx.constant("zero", DataType::Float32, &zero, 1);
      emitBinary(ctx, "ec_binary_f32", "EC_BIN_ADD", act, d, {1}, od, ctx.in(0), z,
                 ctx.out(0));
    } else {
      emitBinary(ctx, "ec_binary_f32", o, act, d, d, od, ctx.in(0), ctx.in(0), ctx.out(0));
    }
    ctx.allowInPlace(0);
    return Status::ok();
  }
  for (size_t i = 1; i < k; ++i) {
    bool last = i + 1 == k && !mean;
    std::vector<int64_t> ad = i == 1 ? staticDims(ctx.inValue(0)) : od;
    Operand a = i == 1 ? ctx.in(0) : ctx.out(0).readOnly();
    emitBinary(ctx, "ec_binary_f32", op, last ? act : noAct, ad,
               staticDims(ctx.inValue(i)), od, a, ctx.in(i), ctx.out(0));
  }
  if (mean) {
    float s = 1.0f / float(k);
    Operand c = ctx.constant("mean_scale", DataType::Float32, &s, 1);
    emitBinary(ctx, "ec_binary_f32", "EC_BIN_MUL", act, od, {1}, od, ctx.out(0).readOnly(), c,
               ctx.out(0));
  }
  if (k == 2) {
    for (size_t i = 0; i < 2; ++i)
      if (staticDims(ctx.inValue(i)) == od) {
        ctx.allowInPlace(i);
        break;
      }
  }
  return Status::ok();
}

Status lowerCompare(LowerContext &ctx) {
  const Node &n = ctx.node();
  if (isIntegerForm(n)) return lowerElementwiseInt(ctx);
  ctx.useRuntime("kernels/reference/binary_f32.h");
  ctx.setKernel("compare_f32");
  emitBinary(ctx, "ec_compare_f32", compareOps().at(n.opType), noActivation(),
             staticDims(ctx.inValue(0)), staticDims(ctx.inValue(1)),
             staticDims(ctx.outValue(0)), ctx.in(0), ctx.in(1), ctx.out(0));
  return Status::ok();
}

const std::map<std::string, std::string> &unaryOps() {
  static const std::map<std::string, std::string> m = {
      {"Exp", "EC_UN_EXP"},         {"Log", "EC_UN_LOG"},
      {"Sqrt", "EC_UN_SQRT"},       {"Abs", "EC_UN_ABS"},
      {"Neg", "EC_UN_NEG"},         {"Reciprocal", "EC_UN_RECIPROCAL"},
      {"Floor", "EC_UN_FLOOR"},     {"Ceil", "EC_UN_CEIL"},
      {"Round", "EC_UN_ROUND"},     {"Erf", "EC_UN_ERF"},
      {"Sin", "EC_UN_SIN"},         {"Cos", "EC_UN_COS"},
      {"Tan", "EC_UN_TAN"},         {"Atan", "EC_UN_ATAN"},
      {"Asin", "EC_UN_ASIN"},       {"Acos", "EC_UN_ACOS"},
      {"Sinh", "EC_UN_SINH"},       {"Cosh", "EC_UN_COSH"},
      {"Asinh", "EC_UN_ASINH"},     {"Acosh", "EC_UN_ACOSH"},
      {"Atanh", "EC_UN_ATANH"},     {"Sign", "EC_UN_SIGN"},
      {"Softplus", "EC_UN_SOFTPLUS"}, {"Elu", "EC_UN_ELU"},
      {"Selu", "EC_UN_SELU"},       {"Celu", "EC_UN_CELU"},
      {"Gelu", "EC_UN_GELU"},       {"Mish", "EC_UN_MISH"},
      {"Swish", "EC_UN_SWISH"},     {"Softsign", "EC_UN_SOFTSIGN"},
      {"ThresholdedRelu", "EC_UN_THRESHOLDED_RELU"}};
  return m;
}

std::string checkUnary(const Node &n, const McuOptions &) {
  std::string why = checkFloatIO(n, 1);
  if (!why.empty()) return why;
  if (n.inputs.size() != 1) return "expects one input";
  if (n.outputs[0]->type.dtype != DataType::Float32) return "only float32";
  if (n.attr(kFusedActivationAttr)) return "fused activation on a unary op";
  if (n.opType == "Gelu") {
    const Attribute *a = n.attr("approximate");
    if (a && a->s != "none" && a->s != "tanh")
      return "Gelu approximate '" + a->s + "' is not supported";
  }
  return "";
}

Status lowerUnary(LowerContext &ctx) {
  const Node &n = ctx.node();
  auto f = [&](const char *nm, float d) {
    const Attribute *a = n.attr(nm);
    return a ? a->f : d;
  };
  std::string op = unaryOps().at(n.opType);
  float alpha = 0, gamma = 0;
  if (n.opType == "Elu" || n.opType == "Celu" || n.opType == "ThresholdedRelu" ||
      n.opType == "Swish")
    alpha = f("alpha", 1.0f);
  if (n.opType == "Selu") {
    alpha = f("alpha", 1.67326319217681884765625f);
    gamma = f("gamma", 1.05070102214813232421875f);
  }
  if (n.opType == "Gelu") {
    const Attribute *a = n.attr("approximate");
    if (a && a->s == "tanh") op = "EC_UN_GELU_TANH";
  }
  Operand p = ctx.params("ec_unary_f32_params", "un_" + n.name,
                         Fields().sym("op", op).f("alpha", alpha).f("gamma", gamma));
  ctx.useRuntime("kernels/reference/unary_f32.h");
  ctx.call("ec_unary_f32",
           {p, ctx.in(0), ctx.out(0), Operand::integer(elementCount(ctx.outValue(0)))});
  ctx.setKernel("unary_f32");
  ctx.allowInPlace(0);
  return Status::ok();
}

std::string checkDropout(const Node &n, const McuOptions &) {
  if (n.inputs.empty() || !n.inputs[0] || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  if (n.inputs[0]->type.dtype != DataType::Float32) return "only float32";
  if (n.outputs.size() > 1 && n.outputs[1]) return "the mask output is not supported";
  if (n.inputs.size() > 2 && n.inputs[2]) {
    const Value *t = n.inputs[2];
    if (!t->constant || t->constant->numElements() != 1 || t->constant->getDouble(0) != 0)
      return "training_mode must be a constant false";
  }
  return "";
}

Status lowerDropout(LowerContext &ctx) {
  ctx.call("memcpy",
           {ctx.out(0), ctx.in(0), Operand::integer(elementCount(ctx.outValue(0)) * 4)});
  ctx.setKernel("copy");
  return Status::ok();
}

} // namespace

void registerElementwiseF32(std::vector<Lowering> &out) {
  for (const auto &[op, c] : binaryOps())
    out.push_back({op, Lowering::Float, checkBinary, lowerBinary, {"float32", "int8..int64", "uint8..uint32"},
                   "numpy broadcasting, rank <= 8 (integer: Add, Sub, Mul, Div, Max, Min)"});
  for (const auto &[op, c] : compareOps())
    out.push_back({op, Lowering::Float, checkCompare, lowerCompare, {"float32", "int8..int64", "uint8..uint32", "bool"},
                   "bool output"});
  for (const auto &[op, c] : unaryOps())
    out.push_back({op, Lowering::Float, checkUnary, lowerUnary, {"float32"}, ""});
  out.push_back({"Dropout", Lowering::Float, checkDropout, lowerDropout, {"float32"},
                 "inference only"});
}

} // namespace edgec::mcu
