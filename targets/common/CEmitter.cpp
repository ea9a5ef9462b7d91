// The C emitter (see CEmitter.h).
#include "targets/common/CEmitter.h"

#include "targets/common/CNames.h"
#include "targets/common/CPackage.h"

#include <cassert>
#include <cstring>

namespace edgec::target {

namespace {

/// Identifiers of one source file: constants and parameter blocks.
struct Names {
  std::vector<std::string> constant, params;
};

Names assignNames(const Program &p) {
  IdentifierPool ids;
  ids.reserve(p.name);
  for (const char *r : {"a", "arena"}) ids.reserve(r);
  for (size_t k = 0; k < p.inputs.size(); ++k) ids.reserve("input" + std::to_string(k));
  for (size_t k = 0; k < p.outputs.size(); ++k) ids.reserve("output" + std::to_string(k));
  Names n;
  for (const Constant &c : p.constants) n.constant.push_back(ids.make(c.hint));
  for (const ParamBlock &b : p.params) n.params.push_back(ids.make(b.hint));
  return n;
}

/// A constant array. Floats are written as bit patterns: exact for every
/// value, NaN and infinities included.
std::string constantDefinition(const Constant &c, const std::string &id) {
  const size_t count = size_t(c.count), n = count == 0 ? 1 : count;
  const size_t es = dataTypeSize(c.dtype);
  const char *data = c.bytes.data();
  std::string def;
  if (c.dtype == DataType::Float32) {
    def = "static const union { uint32_t u[" + std::to_string(n) + "]; float f[" +
          std::to_string(n) + "]; } " + id + "_bits EC_ALIGNED(16) = {{";
    for (size_t i = 0; i < count; ++i) {
      uint32_t u;
      std::memcpy(&u, data + i * 4, 4);
      char buf[16];
      std::snprintf(buf, sizeof buf, "0x%08xu", u);
      def += (i % 16 == 0 ? "\n  " : "") + std::string(buf) + (i + 1 < count ? "," : "");
    }
    if (count == 0) def += "0u";
    return def + "}};\n#define " + id + " (" + id + "_bits.f)\n";
  }
  def = "static const " + cType(c.dtype) + " " + id + "[" + std::to_string(n) +
        "] EC_ALIGNED(16) = {";
  for (size_t i = 0; i < count; ++i) {
    const char *q = data + i * es;
    // Integers by the width and signedness of the C type holding them (16-bit
    // floats and the storage-only types as their codes).
    const bool isSigned = cType(c.dtype)[0] == 'i';
    int64_t v = 0;
    switch (es) {
    case 1: v = isSigned ? int64_t(int8_t(q[0])) : int64_t(uint8_t(q[0])); break;
    case 2: { uint16_t x; std::memcpy(&x, q, 2); v = isSigned ? int64_t(int16_t(x)) : x; break; }
    case 4: { uint32_t x; std::memcpy(&x, q, 4); v = isSigned ? int64_t(int32_t(x)) : x; break; }
    default: std::memcpy(&v, q, 8); break;
    }
    def += (i % 16 == 0 ? "\n  " : "") + cInt(v) + (i + 1 < count ? "," : "");
  }
  if (count == 0) def += "0";
  return def + "};\n";
}

class Printer {
public:
  Printer(const Program &p, const Names &n) : p_(p), names_(n) {}

  /// The address of a value's memory ("input0", "(a + 128)").
  std::string base(const Value *v) const {
    const Value *r = p_.root(v);
    const Storage &s = p_.storage(r);
    switch (s.kind) {
    case Storage::Kind::Input: return "input" + std::to_string(s.index);
    case Storage::Kind::Output: return "output" + std::to_string(s.index);
    case Storage::Kind::Arena: return "(a + " + std::to_string(s.offset) + ")";
    case Storage::Kind::Constant: return names_.constant[size_t(s.index)];
    case Storage::Kind::Alias: break;
    }
    assert(false && "value without memory");
    return "NULL";
  }

  std::string operand(const Operand &o) const {
    switch (o.kind) {
    case Operand::Kind::Null: return "NULL";
    case Operand::Kind::Int: return cInt(o.i);
    case Operand::Kind::Float: return cFloat(o.f);
    case Operand::Kind::Params: return "&" + names_.params[size_t(o.index)];
    case Operand::Kind::Scratch:
      return "((void *)(a + " + std::to_string(p_.memory.scratchOffset[size_t(o.index)]) + "))";
    case Operand::Kind::Constant: return withOffset(names_.constant[size_t(o.index)], o.offset);
    case Operand::Kind::Tensor: {
      std::string e = "((" + std::string(o.writable ? "" : "const ") + cType(o.view) + " *)" +
                      base(o.value) + ")";
      return withOffset(e, o.offset);
    }
    case Operand::Kind::Select:
      return operand(o.choice[0]) + "[0] ? (const void *)" + operand(o.choice[1]) +
             " : (const void *)" + operand(o.choice[2]);
    }
    return "NULL";
  }

  std::string field(const FieldValue &v) const {
    switch (v.kind) {
    case FieldValue::Kind::Int: return cInt(v.i);
    case FieldValue::Kind::Float: return cFloat(v.f);
    case FieldValue::Kind::Symbol: return v.symbol;
    case FieldValue::Kind::Pointer: return operand(v.pointer);
    case FieldValue::Kind::Ints: {
      std::string s = "{";
      for (size_t i = 0; i < v.ints.size(); ++i) s += (i ? ", " : "") + cInt(v.ints[i]);
      return s + (v.ints.empty() ? "0}" : "}");
    }
    case FieldValue::Kind::Struct: return fields(v.fields);
    }
    return "0";
  }

  std::string fields(const std::vector<Field> &fs) const {
    std::string s = "{";
    for (size_t i = 0; i < fs.size(); ++i)
      s += (i ? ", ." : ".") + fs[i].name + " = " + field(fs[i].value);
    return s + "}";
  }

  std::string call(const Call &c) const {
    std::string s = c.kernel + "(";
    for (size_t i = 0; i < c.args.size(); ++i) s += (i ? ", " : "") + operand(c.args[i]);
    return s + ");";
  }

private:
  static std::string withOffset(const std::string &e, int64_t off) {
    return off == 0 ? e : "(" + e + " + " + std::to_string(off) + ")";
  }
  const Program &p_;
  const Names &names_;
};

bool endsWith(const std::string &s, const char *suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

/// The declaration of a constant another emitter defines (same C type and
/// element count as constantDefinition).
std::string constantDeclaration(const Constant &c, const std::string &id) {
  const size_t n = c.count == 0 ? 1 : size_t(c.count);
  const std::string type = c.dtype == DataType::Float32 ? "float" : cType(c.dtype);
  return "extern const " + type + " " + id + "[" + std::to_string(n) + "];\n";
}

} // namespace

std::vector<std::string> constantNames(const Program &p) { return assignNames(p).constant; }

std::string emitCSource(const Program &p, const std::set<std::string> &runtime,
                        const CSourceOptions &o) {
  const std::string &name = p.name;
  const Names names = assignNames(p);
  const Printer pr(p, names);
  std::string c;
  c += "/* Generated by edgec from '" + cCommentText(p.graphName) + "'. Do not edit. */\n";
  c += "#include \"" + name + ".h\"\n\n#include <string.h>\n#include <float.h>\n";
  bool needMath = false;
  for (const std::string &f : runtime)
    if (f.find("_f32") != std::string::npos) needMath = true;
  if (needMath) c += "#include <math.h>\n";
  for (const std::string &f : runtime)
    if (f.rfind("kernels/", 0) == 0 && endsWith(f, ".h"))
      c += "#include \"" + f + "\"\n";
  c += "\n#if EDGEC_RT_VERSION_MAJOR != 1\n#error \"runtime ABI mismatch: this code needs edgec runtime 1.x\"\n#endif\n";
  c += "\n#ifdef EC_PROFILE\nvoid ec_profile_layer(int index);\n#define EC_PROFILE_POINT(i) ec_profile_layer(i)\n#else\n#define EC_PROFILE_POINT(i) ((void)0)\n#endif\n";
  c += "\n/* ---- weights and tables (flash) ---- */\n";
  for (size_t i = 0; i < p.constants.size(); ++i)
    c += o.externConstants ? constantDeclaration(p.constants[i], names.constant[i])
                           : constantDefinition(p.constants[i], names.constant[i]);
  c += "\n/* ---- kernel parameters ---- */\n";
  for (size_t i = 0; i < p.params.size(); ++i)
    c += "static const " + p.params[i].ctype + " " + names.params[i] + " = " +
         pr.fields(p.params[i].fields) + ";\n";
  c += "\n" + tensorInfoTables(p);
  c += "\n#ifdef EC_PROFILE\nconst char *const " + name + "_layer_names[" + name +
       "_NUM_LAYERS > 0 ? " + name + "_NUM_LAYERS : 1] = {\n";
  for (const Step &s : p.steps)
    c += "  \"" + cStringLiteral(s.node->opType + " " + s.node->name) + "\",\n";
  if (p.steps.empty()) c += "  \"\"\n";
  c += "};\n#endif\n\n";
  c += "int " + name + "_run(" + runSignature(p) + ") {\n";
  c += "  uint8_t *const a = (uint8_t *)arena;\n";
  std::string nullCheck;
  for (size_t k = 0; k < p.inputs.size(); ++k)
    nullCheck += std::string(nullCheck.empty() ? "" : " || ") + "input" + std::to_string(k) + " == NULL";
  for (size_t k = 0; k < p.outputs.size(); ++k)
    nullCheck += std::string(nullCheck.empty() ? "" : " || ") + "output" + std::to_string(k) + " == NULL";
  if (!nullCheck.empty()) c += "  if (" + nullCheck + ") return EC_ERR_NULL;\n";
  c += "  if (" + name + "_ARENA_SIZE > 0u && (a == NULL || ((uintptr_t)a & (" + name +
       "_ARENA_ALIGN - 1u)) != 0u)) return EC_ERR_ARENA_ALIGN;\n  (void)a;\n";
  for (size_t i = 0; i < p.steps.size(); ++i) {
    const Step &s = p.steps[i];
    const Node &n = *s.node;
    std::string shapes;
    for (const Value *v : n.inputs)
      if (v && !v->constant) shapes += (shapes.empty() ? "" : ", ") + v->type.str();
    shapes += " -> ";
    for (size_t k = 0; k < n.outputs.size(); ++k)
      if (n.outputs[k]) shapes += (k ? ", " : "") + n.outputs[k]->type.str();
    c += "\n  /* " + cCommentText(std::to_string(i) + ": " + n.opType + " '" + n.name + "' " + shapes) +
         " */\n";
    for (const Call &call : s.calls) c += "  " + pr.call(call) + "\n";
    c += "  EC_PROFILE_POINT(" + std::to_string(i) + ");\n";
  }
  for (const auto &[k, v] : p.outputCopies)
    c += "  memcpy(output" + std::to_string(k) + ", " + pr.base(v) + ", " +
         std::to_string(valueBytes(*v)) + "u);\n";
  c += "  return EC_OK;\n}\n\n";
  c += runGenericDefinition(p);
  return c;
}

} // namespace edgec::target
