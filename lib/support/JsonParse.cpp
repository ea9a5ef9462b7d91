// Json::parse: a strict recursive-descent reader for RFC 8259 JSON (the
// inverse of Json::dump, used to read reports and statistics files back).
#include "support/Json.h"

#include <cerrno>
#include <cstdlib>
#include <string>

namespace edgec {

namespace {

constexpr int kMaxDepth = 256;

class Parser {
public:
  explicit Parser(const std::string &t) : t_(t) {}

  Expected<Json> document() {
    Json v;
    EDGEC_TRY(value(v, 0));
    skipSpace();
    if (p_ != t_.size()) return fail("unexpected text after the value");
    return v;
  }

private:
  Error fail(const std::string &what) const {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < p_ && i < t_.size(); ++i) {
      if (t_[i] == '\n') { ++line; col = 1; } else { ++col; }
    }
    return Error(ErrorCode::InvalidInput, "JSON line " + std::to_string(line) +
                                              " column " + std::to_string(col) +
                                              ": " + what);
  }
  void skipSpace() {
    while (p_ < t_.size() &&
           (t_[p_] == ' ' || t_[p_] == '\t' || t_[p_] == '\n' || t_[p_] == '\r'))
      ++p_;
  }
  bool literal(const char *word) {
    size_t n = std::char_traits<char>::length(word);
    if (t_.compare(p_, n, word) != 0) return false;
    p_ += n;
    return true;
  }

  Status value(Json &out, int depth) {
    if (depth > kMaxDepth) return fail("nesting deeper than 256 levels");
    skipSpace();
    if (p_ >= t_.size()) return fail("unexpected end of text");
    char c = t_[p_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, depth);
    if (c == '"') {
      std::string s;
      EDGEC_TRY(string(s));
      out = Json(std::move(s));
      return Status::ok();
    }
    if (literal("true")) { out = Json(true); return Status::ok(); }
    if (literal("false")) { out = Json(false); return Status::ok(); }
    if (literal("null")) { out = Json(nullptr); return Status::ok(); }
    if (c == '-' || (c >= '0' && c <= '9')) return number(out);
    return fail(std::string("unexpected character '") + c + "'");
  }

  Status object(Json &out, int depth) {
    ++p_; // {
    Json::Object o;
    skipSpace();
    if (p_ < t_.size() && t_[p_] == '}') {
      ++p_;
      out = Json(std::move(o));
      return Status::ok();
    }
    for (;;) {
      skipSpace();
      if (p_ >= t_.size() || t_[p_] != '"') return fail("expected a member name");
      std::string key;
      EDGEC_TRY(string(key));
      skipSpace();
      if (p_ >= t_.size() || t_[p_] != ':') return fail("expected ':'");
      ++p_;
      Json v;
      EDGEC_TRY(value(v, depth + 1));
      o[key] = std::move(v);
      skipSpace();
      if (p_ < t_.size() && t_[p_] == ',') { ++p_; continue; }
      if (p_ < t_.size() && t_[p_] == '}') { ++p_; break; }
      return fail("expected ',' or '}'");
    }
    out = Json(std::move(o));
    return Status::ok();
  }

  Status array(Json &out, int depth) {
    ++p_; // [
    Json::Array a;
    skipSpace();
    if (p_ < t_.size() && t_[p_] == ']') {
      ++p_;
      out = Json(std::move(a));
      return Status::ok();
    }
    for (;;) {
      Json v;
      EDGEC_TRY(value(v, depth + 1));
      a.push_back(std::move(v));
      skipSpace();
      if (p_ < t_.size() && t_[p_] == ',') { ++p_; continue; }
      if (p_ < t_.size() && t_[p_] == ']') { ++p_; break; }
      return fail("expected ',' or ']'");
    }
    out = Json(std::move(a));
    return Status::ok();
  }

  static void appendUtf8(std::string &s, uint32_t cp) {
    if (cp < 0x80) {
      s += (char)cp;
    } else if (cp < 0x800) {
      s += (char)(0xC0 | (cp >> 6));
      s += (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += (char)(0xE0 | (cp >> 12));
      s += (char)(0x80 | ((cp >> 6) & 0x3F));
      s += (char)(0x80 | (cp & 0x3F));
    } else {
      s += (char)(0xF0 | (cp >> 18));
      s += (char)(0x80 | ((cp >> 12) & 0x3F));
      s += (char)(0x80 | ((cp >> 6) & 0x3F));
      s += (char)(0x80 | (cp & 0x3F));
    }
  }

  bool hex4(uint32_t &v) {
    if (p_ + 4 > t_.size()) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = t_[p_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= (uint32_t)(c - '0');
      else if (c >= 'a' && c <= 'f') v |= (uint32_t)(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= (uint32_t)(c - 'A' + 10);
      else return false;
    }
    return true;
  }

  Status string(std::string &s) {
    ++p_; // opening quote
    for (;;) {
      if (p_ >= t_.size()) return fail("unterminated string");
      unsigned char c = (unsigned char)t_[p_++];
      if (c == '"') return Status::ok();
      if (c < 0x20) return fail("control character in a string");
      if (c != '\\') {
        s += (char)c;
        continue;
      }
      if (p_ >= t_.size()) return fail("unterminated string");
      char e = t_[p_++];
      switch (e) {
      case '"': s += '"'; break;
      case '\\': s += '\\'; break;
      case '/': s += '/'; break;
      case 'b': s += '\b'; break;
      case 'f': s += '\f'; break;
      case 'n': s += '\n'; break;
      case 'r': s += '\r'; break;
      case 't': s += '\t'; break;
      case 'u': {
        uint32_t cp;
        if (!hex4(cp)) return fail("bad \\u escape");
        if (cp >= 0xD800 && cp < 0xDC00) {
          uint32_t lo;
          if (t_.compare(p_, 2, "\\u") != 0) return fail("unpaired surrogate");
          p_ += 2;
          if (!hex4(lo) || lo < 0xDC00 || lo >= 0xE000)
            return fail("unpaired surrogate");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp < 0xE000) {
          return fail("unpaired surrogate");
        }
        appendUtf8(s, cp);
        break;
      }
      default: return fail(std::string("bad escape '\\") + e + "'");
      }
    }
  }

  Status number(Json &out) {
    size_t start = p_;
    bool isInt = true;
    if (t_[p_] == '-') ++p_;
    auto digits = [&] {
      size_t b = p_;
      while (p_ < t_.size() && t_[p_] >= '0' && t_[p_] <= '9') ++p_;
      return p_ - b;
    };
    if (p_ < t_.size() && t_[p_] == '0') {
      ++p_;
    } else if (digits() == 0) {
      return fail("bad number");
    }
    if (p_ < t_.size() && t_[p_] == '.') {
      ++p_;
      isInt = false;
      if (digits() == 0) return fail("bad number");
    }
    if (p_ < t_.size() && (t_[p_] == 'e' || t_[p_] == 'E')) {
      ++p_;
      isInt = false;
      if (p_ < t_.size() && (t_[p_] == '+' || t_[p_] == '-')) ++p_;
      if (digits() == 0) return fail("bad number");
    }
    std::string text = t_.substr(start, p_ - start);
    if (isInt) {
      errno = 0;
      long long v = std::strtoll(text.c_str(), nullptr, 10);
      if (errno == 0) {
        out = Json((int64_t)v);
        return Status::ok();
      }
    }
    out = Json(std::strtod(text.c_str(), nullptr));
    return Status::ok();
  }

  const std::string &t_;
  size_t p_ = 0;
};

} // namespace

Expected<Json> Json::parse(const std::string &text) { return Parser(text).document(); }

} // namespace edgec
