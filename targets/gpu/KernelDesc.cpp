// Helpers shared by the GPU lowerings (see KernelDesc.h).
#include "targets/gpu/KernelDesc.h"

#include "ir/Annotations.h"
#include "targets/common/CNames.h"

namespace edgec::gpu {

const char *openClType(DataType t) {
  switch (t) {
  case DataType::Float32: return "float";
  case DataType::Bool: return "uchar";
  case DataType::Int64: return "long";
  case DataType::Int32: return "int";
  default: return "";
  }
}

std::string kInt(int64_t v) { return target::cInt(v); }
std::string kFloat(float f) { return target::cFloat(f); }

std::vector<int64_t> stridesOf(const std::vector<int64_t> &dims) {
  std::vector<int64_t> s(dims.size(), 1);
  for (size_t i = dims.size(); i-- > 1;) s[i - 1] = s[i] * dims[i];
  return s;
}

std::vector<std::string> coordNames(size_t rank) {
  std::vector<std::string> n;
  for (size_t d = 0; d < rank; ++d) n.push_back("i" + std::to_string(d));
  return n;
}

void decompose(std::vector<std::string> &body, const std::string &index,
               const std::vector<int64_t> &dims, const std::vector<std::string> &names) {
  if (dims.empty()) return;
  std::string rest = "t_" + names[0];
  body.push_back("int " + rest + " = " + index + ";");
  for (size_t d = dims.size(); d-- > 0;) {
    if (d == 0) {
      body.push_back("int " + names[d] + " = " + rest + ";");
    } else {
      body.push_back("int " + names[d] + " = " + rest + " % " + kInt(dims[d]) + ";");
      body.push_back(rest + " /= " + kInt(dims[d]) + ";");
    }
  }
}

std::string broadcastOffset(const std::vector<int64_t> &in, const std::vector<std::string> &names) {
  std::vector<int64_t> st = stridesOf(in);
  std::string s;
  const size_t shift = names.size() - in.size();
  for (size_t d = 0; d < in.size(); ++d) {
    if (in[d] == 1) continue;
    std::string term = names[d + shift] + (st[d] == 1 ? "" : " * " + kInt(st[d]));
    s += (s.empty() ? "" : " + ") + term;
  }
  return s.empty() ? "0" : s;
}

namespace {

float attrOr(const Node &n, const std::string &name, float dflt) {
  const Attribute *a = n.attr(std::string(kFusedActivationAttr) + "." + name);
  return a && a->kind == Attribute::Kind::Float ? a->f : dflt;
}

} // namespace

std::string checkActivation(const Node &n) {
  const Attribute *a = n.attr(kFusedActivationAttr);
  if (!a) return "";
  if (a->kind != Attribute::Kind::String || !isFusibleActivation(a->s))
    return "unknown fused activation";
  return "";
}

std::string unaryExpr(const std::string &op, const std::function<float(const char *, float)> &attr,
                      const std::string &x) {
  const std::string p = "(" + x + ")";
  if (op == "Relu") return "fmax(" + x + ", 0.0f)";
  if (op == "LeakyRelu") return "(" + p + " < 0.0f ? " + kFloat(attr("alpha", 0.01f)) + " * " + p + " : " + p + ")";
  if (op == "HardSigmoid")
    return "fmax(0.0f, fmin(1.0f, " + kFloat(attr("alpha", 0.2f)) + " * " + p + " + " +
           kFloat(attr("beta", 0.5f)) + "))";
  if (op == "HardSwish") return "(" + p + " * fmax(0.0f, fmin(1.0f, " + p + " / 6.0f + 0.5f)))";
  if (op == "Sigmoid") return "(1.0f / (1.0f + exp(-" + p + ")))";
  if (op == "Tanh") return "tanh(" + x + ")";
  if (op == "Exp") return "exp(" + x + ")";
  if (op == "Log") return "log(" + x + ")";
  if (op == "Sqrt") return "sqrt(" + x + ")";
  if (op == "Abs") return "fabs(" + x + ")";
  if (op == "Neg") return "(-" + p + ")";
  if (op == "Reciprocal") return "(1.0f / " + p + ")";
  if (op == "Floor") return "floor(" + x + ")";
  if (op == "Ceil") return "ceil(" + x + ")";
  if (op == "Erf") return "erf(" + x + ")";
  if (op == "Sin") return "sin(" + x + ")";
  if (op == "Cos") return "cos(" + x + ")";
  if (op == "Softsign") return "(" + p + " / (1.0f + fabs(" + x + ")))";
  if (op == "Softplus") return "(" + p + " > 0.0f ? " + p + " + log1p(exp(-" + p + ")) : log1p(exp(" + p + ")))";
  if (op == "Elu") return "(" + p + " < 0.0f ? " + kFloat(attr("alpha", 1.0f)) + " * (exp(" + x + ") - 1.0f) : " + p + ")";
  if (op == "Gelu") return "(0.5f * " + p + " * (1.0f + erf(" + p + " * 0.70710678f)))";
  return "";
}

std::string activationExpr(const Node &n, const std::string &x) {
  const Attribute *a = n.attr(kFusedActivationAttr);
  if (!a || a->kind != Attribute::Kind::String) return x;
  if (a->s == "Clip") {
    std::string r = x;
    if (n.attr(std::string(kFusedActivationAttr) + ".min"))
      r = "fmax(" + r + ", " + kFloat(attrOr(n, "min", 0)) + ")";
    if (n.attr(std::string(kFusedActivationAttr) + ".max"))
      r = "fmin(" + r + ", " + kFloat(attrOr(n, "max", 0)) + ")";
    return r;
  }
  return unaryExpr(a->s, [&n](const char *name, float d) { return attrOr(n, name, d); }, x);
}

} // namespace edgec::gpu
