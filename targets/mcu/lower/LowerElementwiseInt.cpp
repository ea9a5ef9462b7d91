// Integer and bool elementwise ops with numpy broadcasting:
//   Add, Sub, Mul, Div, Max, Min, Mod on int8..int64 and uint8..uint32 (the
//   types generated code holds), BitShift on the unsigned ones, BitwiseAnd,
//   BitwiseOr, BitwiseXor, BitwiseNot (Xor with all-ones) ->
//   ec_binary_<t>;
//   Equal, Less, LessOrEqual, Greater, GreaterOrEqual on those and bool ->
//   ec_compare_<t> / ec_compare_b8;
//   And, Or, Xor, Not on bool -> ec_logical_b8
//   (runtime/kernels/reference/binary_int.c).
// The float lowerings of the arithmetic ops and comparisons hand integer
// nodes to checkElementwiseInt / lowerElementwiseInt.
#include "targets/mcu/lower/Lowering.h"

#include <map>

namespace edgec::mcu {

namespace {

const std::map<std::string, std::string> &arithmeticOps() {
  static const std::map<std::string, std::string> m = {
      {"Add", "EC_IBIN_ADD"}, {"Sub", "EC_IBIN_SUB"}, {"Mul", "EC_IBIN_MUL"},
      {"Div", "EC_IBIN_DIV"}, {"Max", "EC_IBIN_MAX"}, {"Min", "EC_IBIN_MIN"},
      {"Mod", "EC_IBIN_MOD"}, {"BitShift", "EC_IBIN_SHL"},
      {"BitwiseAnd", "EC_IBIN_AND"}, {"BitwiseOr", "EC_IBIN_OR"}, {"BitwiseXor", "EC_IBIN_XOR"},
      {"BitwiseNot", "EC_IBIN_XOR"}};
  return m;
}

const std::map<std::string, std::string> &compareOps() {
  static const std::map<std::string, std::string> m = {
      {"Equal", "EC_ICMP_EQ"},       {"Less", "EC_ICMP_LT"},
      {"LessOrEqual", "EC_ICMP_LE"}, {"Greater", "EC_ICMP_GT"},
      {"GreaterOrEqual", "EC_ICMP_GE"}};
  return m;
}

const std::map<std::string, std::string> &logicalOps() {
  static const std::map<std::string, std::string> m = {
      {"And", "EC_LOGIC_AND"}, {"Or", "EC_LOGIC_OR"}, {"Xor", "EC_LOGIC_XOR"},
      {"Not", "EC_LOGIC_XOR"}};
  return m;
}

/// The kernel suffix of an integer element type ("" when not handled).
std::string suffix(DataType t) {
  static const std::map<DataType, std::string> m = {
      {DataType::Int8, "i8"},   {DataType::UInt8, "u8"},   {DataType::Int16, "i16"},
      {DataType::UInt16, "u16"}, {DataType::Int32, "i32"}, {DataType::UInt32, "u32"},
      {DataType::Int64, "i64"}, {DataType::Bool, "b8"}};
  auto it = m.find(t);
  return it == m.end() ? "" : it->second;
}

std::string checkLogical(const Node &n, const McuOptions &o) { return checkElementwiseInt(n, o); }

} // namespace

std::string checkElementwiseInt(const Node &n, const McuOptions &) {
  const bool unary = n.opType == "Not" || n.opType == "BitwiseNot";
  if (n.inputs.size() != (unary ? 1u : 2u) || n.outputs.empty() || !n.outputs[0])
    return unary ? "expects one input" : "expects two inputs";
  for (const Value *v : n.inputs)
    if (!v) return "missing input";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  if (n.attr(kFusedActivationAttr)) return "fused activation on an integer op";
  if (const Attribute *b = n.attr("broadcast"); b && b->i != 0 && n.attr("axis"))
    return "legacy broadcast with axis is not supported";
  const DataType t = n.inputs[0]->type.dtype;
  if (!unary && n.inputs[1]->type.dtype != t) return "operands of different types";
  if (n.outputs[0]->type.dims.size() > 8) return "rank above 8";
  const DataType ot = n.outputs[0]->type.dtype;
  if (arithmeticOps().count(n.opType)) {
    if (t == DataType::Bool || suffix(t).empty())
      return "only float32 and the integer types";
    if (n.opType == "BitShift") {
      if (isSignedType(t)) return "only unsigned types";
      const std::string dir = n.attrString("direction", "");
      if (dir != "LEFT" && dir != "RIGHT") return "direction must be LEFT or RIGHT";
    }
    return ot == t ? "" : "output type differs from the inputs'";
  }
  if (ot != DataType::Bool) return "output must be bool";
  if (compareOps().count(n.opType))
    return suffix(t).empty() ? "only float32, the integer types and bool" : "";
  if (logicalOps().count(n.opType)) return t == DataType::Bool ? "" : "only bool";
  return "no integer kernel for this op";
}

Status lowerElementwiseInt(LowerContext &ctx) {
  const Node &n = ctx.node();
  const DataType t = ctx.inValue(0).type.dtype;
  std::string fn, op;
  if (auto a = arithmeticOps().find(n.opType); a != arithmeticOps().end()) {
    fn = "ec_binary_" + suffix(t);
    op = a->second;
    if (n.opType == "Mod" && n.attrInt("fmod", 0) != 0) op = "EC_IBIN_FMOD";
    if (n.opType == "BitShift" && n.attrString("direction", "") == "RIGHT") op = "EC_IBIN_SHR";
  } else if (auto c = compareOps().find(n.opType); c != compareOps().end()) {
    fn = "ec_compare_" + suffix(t);
    op = c->second;
  } else {
    fn = "ec_logical_b8";
    op = logicalOps().at(n.opType);
  }
  std::vector<int64_t> od = staticDims(ctx.outValue(0)), ad = staticDims(ctx.inValue(0));
  Operand a = ctx.in(0), b;
  std::vector<int64_t> bd;
  if (n.opType == "Not") {
    const uint8_t one = 1;
    b = ctx.constant("one", DataType::Bool, &one, 1);
    bd = {1};
  } else if (n.opType == "BitwiseNot") {
    const uint64_t ones = ~uint64_t(0); // the low bytes: all-ones of type t
    b = ctx.constant("all_ones", t, &ones, 1);
    bd = {1};
  } else {
    b = ctx.in(1);
    bd = staticDims(ctx.inValue(1));
  }
  std::vector<int64_t> dims = od;
  std::vector<std::vector<int64_t>> st = {bcastStrides(ad, od), bcastStrides(bd, od)};
  coalesce(dims, st);
  Operand p = ctx.params("ec_binary_int_params", "ibin_" + n.name,
                         Fields().sym("op", op).i("rank", int64_t(dims.size())).ints("dims", dims)
                             .ints("a_str", st[0]).ints("b_str", st[1]));
  ctx.useRuntime("kernels/reference/binary_int.h");
  ctx.call(fn, {p, a, b, ctx.out(0)});
  ctx.setKernel(fn.substr(3));
  return Status::ok();
}

void registerElementwiseInt(std::vector<Lowering> &out) {
  out.push_back({"BitShift", Lowering::Any, checkElementwiseInt, lowerElementwiseInt,
                 {"uint8..uint32"}, "numpy broadcasting, rank <= 8"});
  for (const char *op : {"BitwiseAnd", "BitwiseOr", "BitwiseXor", "BitwiseNot"})
    out.push_back({op, Lowering::Any, checkElementwiseInt, lowerElementwiseInt,
                   {"int8..int64", "uint8..uint32"}, "numpy broadcasting, rank <= 8"});
  for (const auto &[op, c] : logicalOps())
    out.push_back({op, Lowering::Any, checkLogical, lowerElementwiseInt, {"bool"},
                   "numpy broadcasting, rank <= 8"});
}

} // namespace edgec::mcu
