// LowerContext and the shared helpers of the lowerings.
#include "targets/mcu/CodeUnit.h"

#include <cassert>
#include <cmath>
#include <cstdio>

namespace edgec::mcu {

std::string cType(DataType t) {
  switch (t) {
  case DataType::Float32: return "float";
  case DataType::Int8: return "int8_t";
  case DataType::UInt8: return "uint8_t";
  case DataType::Int16: return "int16_t";
  case DataType::UInt16: return "uint16_t";
  case DataType::Int32: return "int32_t";
  case DataType::UInt32: return "uint32_t";
  case DataType::Int64: return "int64_t";
  case DataType::Bool: return "uint8_t";
  default: return "";
  }
}

std::string cFloat(float f) {
  if (std::isinf(f)) return f > 0 ? "INFINITY" : "(-INFINITY)";
  if (std::isnan(f)) return "NAN";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.9g", double(f));
  std::string s = buf;
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  s += "f";
  if (s[0] == '-') s = "(" + s + ")";
  return s;
}

std::string cInt(int64_t v) {
  if (v == INT64_MIN) return "(-9223372036854775807LL - 1)";
  if (v == INT32_MIN) return "(-2147483647 - 1)";
  std::string s = std::to_string(v);
  if (v > INT32_MAX || v < INT32_MIN) s += "LL";
  return s;
}

std::vector<int64_t> staticDims(const Value &v) {
  assert(v.type.isStatic() && "lowering a value with a dynamic shape");
  TensorShape s = v.type.staticShape();
  return std::vector<int64_t>(s.begin(), s.end());
}

int64_t elementCount(const Value &v) {
  int64_t n = 1;
  for (int64_t d : staticDims(v)) n *= d;
  return n;
}

std::string dimsString(const std::vector<int64_t> &d) {
  std::string s = "[";
  for (size_t i = 0; i < d.size(); ++i) s += (i ? "," : "") + std::to_string(d[i]);
  return s + "]";
}

std::string CodeUnit::valueRef(const Value *v, bool asInput) {
  (void)asInput;
  auto it = valueId.find(v);
  int id;
  if (it == valueId.end()) {
    id = int(referenced.size());
    referenced.push_back(v);
    valueId[v] = id;
  } else {
    id = it->second;
  }
  return "@V" + std::to_string(id) + "@";
}

std::string CodeUnit::addConstant(const std::string &hint, const std::string &ctype,
                                  const void *data, size_t count, size_t elemSize) {
  std::string key = ctype + ":" + std::string((const char *)data, count * elemSize);
  auto it = constantByContent.find(key);
  if (it != constantByContent.end()) return it->second;
  std::string id = ids.make("w_" + hint);
  std::string def;
  const size_t n = count == 0 ? 1 : count;
  auto line = [&](size_t i) { return i % 16 == 15 || i + 1 == count; };
  if (ctype == "float") {
    // Bit patterns: exact for every value, NaN and infinities included.
    def = "static const union { uint32_t u[" + std::to_string(n) + "]; float f[" +
          std::to_string(n) + "]; } " + id + "_bits EC_ALIGNED(16) = {{";
    for (size_t i = 0; i < count; ++i) {
      uint32_t u;
      std::memcpy(&u, (const char *)data + i * 4, 4);
      char buf[16];
      std::snprintf(buf, sizeof buf, "0x%08xu", u);
      def += (i % 16 == 0 ? "\n  " : "") + std::string(buf) + (i + 1 < count ? "," : "");
    }
    if (count == 0) def += "0u";
    def += "}};\n#define " + id + " (" + id + "_bits.f)\n";
  } else {
    def = "static const " + ctype + " " + id + "[" + std::to_string(n) +
          "] EC_ALIGNED(16) = {";
    for (size_t i = 0; i < count; ++i) {
      const char *p = (const char *)data + i * elemSize;
      int64_t v = 0;
      if (ctype == "int8_t") v = *(const int8_t *)p;
      else if (ctype == "uint8_t") v = *(const uint8_t *)p;
      else if (ctype == "int16_t") { int16_t x; std::memcpy(&x, p, 2); v = x; }
      else if (ctype == "uint16_t") { uint16_t x; std::memcpy(&x, p, 2); v = x; }
      else if (ctype == "int32_t") { int32_t x; std::memcpy(&x, p, 4); v = x; }
      else if (ctype == "uint32_t") { uint32_t x; std::memcpy(&x, p, 4); v = x; }
      else { std::memcpy(&v, p, 8); }
      def += (i % 16 == 0 ? "\n  " : "") + cInt(v) + (i + 1 < count ? "," : "");
      (void)line;
    }
    if (count == 0) def += "0";
    def += "};\n";
  }
  constantDefs.push_back(def);
  constantBytes += int64_t(count * elemSize);
  constantByContent[key] = id;
  return id;
}

std::string LowerContext::in(size_t i) {
  const Value *v = node_.inputs.at(i);
  assert(v && "in(): absent optional input");
  std::string ct = cType(v->type.dtype);
  if (v->constant && !v->producer()) {
    auto it = unit_.constantOfValue.find(v);
    if (it != unit_.constantOfValue.end()) return it->second;
    const Tensor &t = *v->constant;
    std::string id = unit_.addConstant(v->name, ct, t.raw(), size_t(t.numElements()),
                                       dataTypeSize(t.dtype()));
    unit_.constantOfValue[v] = id;
    return id;
  }
  return "((const " + ct + " *)" + unit_.valueRef(v, true) + ")";
}

std::string LowerContext::out(size_t i) {
  const Value *v = node_.outputs.at(i);
  return "((" + cType(v->type.dtype) + " *)" + unit_.valueRef(v, false) + ")";
}

std::string LowerContext::constant(const std::string &hint, const std::string &ctype,
                                   const void *data, size_t count, size_t elemSize) {
  return unit_.addConstant(hint, ctype, data, count, elemSize);
}

std::string LowerContext::scratch(int64_t bytes) {
  int id = int(unit_.scratch.size());
  unit_.scratch.push_back({step_, bytes});
  return "((void *)@S" + std::to_string(id) + "@)";
}

void LowerContext::useRuntime(const std::string &file) { unit_.runtimeFiles.insert(file); }

std::string LowerContext::identifier(const std::string &hint) { return unit_.ids.make(hint); }

void LowerContext::emitStatic(const std::string &code) { unit_.statics.push_back(code); }

void LowerContext::emit(const std::string &code) {
  unit_.body += code;
  if (!code.empty() && code.back() != '\n') unit_.body += '\n';
}

std::vector<int64_t> attrInts(const Node &n, const char *name, std::vector<int64_t> dflt) {
  const Attribute *a = n.attr(name);
  return a ? a->ints : dflt;
}

Geo geometry(const std::vector<int64_t> &d, bool nhwc) {
  Geo g;
  g.n = d[0];
  if (d.size() == 4) {
    if (nhwc) { g.h = d[1]; g.w = d[2]; g.c = d[3]; }
    else { g.c = d[1]; g.h = d[2]; g.w = d[3]; }
  } else {
    if (nhwc) { g.w = d[1]; g.c = d[2]; }
    else { g.c = d[1]; g.w = d[2]; }
  }
  if (nhwc) { g.sc = 1; g.sw = g.c; g.sh = g.c * g.w; }
  else { g.sw = 1; g.sh = g.w; g.sc = g.h * g.w; }
  g.sn = g.c * g.h * g.w;
  return g;
}

std::string checkFusedActivationF32(const Node &n) {
  const Attribute *a = n.attr(kFusedActivationAttr);
  if (!a) return "";
  static const char *const ok[] = {"Relu", "Clip", "LeakyRelu", "HardSigmoid",
                                   "HardSwish", "Sigmoid", "Tanh"};
  for (const char *o : ok)
    if (a->s == o) return "";
  return "fused activation '" + a->s + "' has no float kernel";
}

Expected<std::string> fusedActivationF32(const Node &n) {
  const Attribute *a = n.attr(kFusedActivationAttr);
  auto f = [&](const char *name, float dflt) {
    const Attribute *x = n.attr(name);
    return x ? x->f : dflt;
  };
  std::string kind = "EC_ACT_NONE";
  float alpha = 0, beta = 0, lo = -INFINITY, hi = INFINITY;
  if (a) {
    if (a->s == "Relu") kind = "EC_ACT_RELU";
    else if (a->s == "Clip") {
      kind = "EC_ACT_CLIP";
      lo = f("edgec.activation.min", -INFINITY);
      hi = f("edgec.activation.max", INFINITY);
    } else if (a->s == "LeakyRelu") {
      kind = "EC_ACT_LEAKY_RELU";
      alpha = f("edgec.activation.alpha", 0.01f);
    } else if (a->s == "HardSigmoid") {
      kind = "EC_ACT_HARD_SIGMOID";
      alpha = f("edgec.activation.alpha", 0.2f);
      beta = f("edgec.activation.beta", 0.5f);
    } else if (a->s == "HardSwish") kind = "EC_ACT_HARD_SWISH";
    else if (a->s == "Sigmoid") kind = "EC_ACT_SIGMOID";
    else if (a->s == "Tanh") kind = "EC_ACT_TANH";
    else
      return Error(ErrorCode::Unsupported,
                   n.label() + ": fused activation '" + a->s + "' has no float kernel");
  }
  return "{" + kind + ", " + cFloat(alpha) + ", " + cFloat(beta) + ", " + cFloat(lo) +
         ", " + cFloat(hi) + "}";
}

} // namespace edgec::mcu
