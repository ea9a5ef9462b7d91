#include "support/Json.h"

#include <cmath>
#include <cstdio>

namespace edgec {

namespace {
void writeString(std::string &out, const std::string &s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
      if (c < 0x20) {
        char b[8];
        std::snprintf(b, sizeof b, "\\u%04x", c);
        out += b;
      } else {
        out += (char)c;
      }
    }
  }
  out += '"';
}
} // namespace

void Json::write(std::string &out, int indent) const {
  std::string pad(indent + 2, ' '), endPad(indent, ' ');
  switch (v_.index()) {
  case 0: out += "null"; break;
  case 1: out += std::get<bool>(v_) ? "true" : "false"; break;
  case 2: out += std::to_string(std::get<int64_t>(v_)); break;
  case 3: {
    double d = std::get<double>(v_);
    if (!std::isfinite(d)) {
      out += "null";
    } else {
      char b[40];
      std::snprintf(b, sizeof b, "%.9g", d);
      out += b;
    }
    break;
  }
  case 4: writeString(out, std::get<std::string>(v_)); break;
  case 5: {
    const auto &o = std::get<Object>(v_);
    if (o.empty()) { out += "{}"; break; }
    out += "{\n";
    size_t i = 0;
    for (const auto &[k, v] : o) {
      out += pad;
      writeString(out, k);
      out += ": ";
      v.write(out, indent + 2);
      out += ++i < o.size() ? ",\n" : "\n";
    }
    out += endPad + "}";
    break;
  }
  case 6: {
    const auto &a = std::get<Array>(v_);
    if (a.empty()) { out += "[]"; break; }
    out += "[\n";
    for (size_t i = 0; i < a.size(); ++i) {
      out += pad;
      a[i].write(out, indent + 2);
      out += i + 1 < a.size() ? ",\n" : "\n";
    }
    out += endPad + "]";
    break;
  }
  }
}

std::string Json::dump() const {
  std::string out;
  write(out, 0);
  return out + "\n";
}

} // namespace edgec
