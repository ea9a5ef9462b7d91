#include "targets/common/CNames.h"

#include <cmath>
#include <cstdio>

namespace edgec::target {

namespace {
const char *const kKeywords[] = {
    "auto", "break", "case", "char", "const", "continue", "default", "do",
    "double", "else", "enum", "extern", "float", "for", "goto", "if", "inline",
    "int", "long", "register", "restrict", "return", "short", "signed",
    "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned",
    "void", "volatile", "while", "_Bool", "_Complex", "_Imaginary", "bool",
    "true", "false", "asm", "main", "errno", "NULL", "memcpy", "memset"};
} // namespace

std::string sanitizeIdentifier(const std::string &name, const std::string &fallback) {
  std::string out;
  for (unsigned char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_';
    char w = ok ? char(c) : '_';
    if (w == '_' && !out.empty() && out.back() == '_') continue;
    out += w;
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  while (!out.empty() && out.front() == '_') out.erase(out.begin());
  if (out.size() > 48) out.resize(48);
  if (out.empty()) return fallback;
  if (out[0] >= '0' && out[0] <= '9') out = fallback + "_" + out;
  for (const char *k : kKeywords)
    if (out == k) return fallback + "_" + out;
  return out;
}

std::string IdentifierPool::make(const std::string &hint) {
  std::string base = sanitizeIdentifier(hint);
  std::string id = base;
  for (int k = 1; used_.count(id); ++k) id = base + "_" + std::to_string(k);
  used_.insert(id);
  return id;
}

std::string cStringLiteral(const std::string &s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c == '?') {
      out += "\\?";
    } else if (c >= 0x20 && c < 0x7f) {
      out += char(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    }
  }
  return out;
}

std::string cCommentText(const std::string &s) {
  std::string out;
  for (unsigned char c : s) {
    char w = (c >= 0x20 && c < 0x7f && c != '\\' && c != '?') ? char(c) : '_';
    if (w == '/' && !out.empty() && out.back() == '*') w = '_';
    out += w;
  }
  return out;
}

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
  // Storage only (kernels convert): 16-bit floats as their bits, the 8/4/2-bit
  // types one byte each (sub-byte signed integers sign-extended).
  case DataType::Float16:
  case DataType::BFloat16: return "uint16_t";
  case DataType::Int4:
  case DataType::Int2: return "int8_t";
  case DataType::Float8E4M3FN:
  case DataType::Float8E4M3FNUZ:
  case DataType::Float8E5M2:
  case DataType::Float8E5M2FNUZ:
  case DataType::Float4E2M1:
  case DataType::UInt4:
  case DataType::UInt2: return "uint8_t";
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

} // namespace edgec::target
