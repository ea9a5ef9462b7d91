// A minimal JSON value with deterministic output: object keys are sorted,
// numbers print the same on every run, no timestamps or pointers.
#pragma once

#include "support/Error.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace edgec {

class Json {
public:
  using Object = std::map<std::string, Json>;
  using Array = std::vector<Json>;

  Json() : v_(nullptr) {}
  Json(std::nullptr_t) : v_(nullptr) {}         // NOLINT
  Json(bool b) : v_(b) {}                        // NOLINT
  Json(int v) : v_((int64_t)v) {}                // NOLINT
  Json(int64_t v) : v_(v) {}                     // NOLINT
  Json(uint64_t v) : v_((int64_t)v) {}           // NOLINT
  Json(double v) : v_(v) {}                      // NOLINT
  Json(const char *s) : v_(std::string(s)) {}    // NOLINT
  Json(std::string s) : v_(std::move(s)) {}      // NOLINT
  Json(Object o) : v_(std::move(o)) {}           // NOLINT
  Json(Array a) : v_(std::move(a)) {}            // NOLINT

  static Json object() { return Json(Object{}); }
  static Json array() { return Json(Array{}); }
  /// Object member access (the value must be an object).
  Json &operator[](const std::string &k) { return std::get<Object>(v_)[k]; }
  void push(Json v) { std::get<Array>(v_).push_back(std::move(v)); }
  /// Member `k` of an object, or null (also when this is not an object).
  const Json *find(const std::string &k) const {
    const Object *o = std::get_if<Object>(&v_);
    if (!o) return nullptr;
    auto it = o->find(k);
    return it == o->end() ? nullptr : &it->second;
  }
  /// The number as int64 (doubles truncate); 0 for other kinds.
  int64_t asInt() const {
    if (const int64_t *i = std::get_if<int64_t>(&v_)) return *i;
    if (const double *d = std::get_if<double>(&v_)) return (int64_t)*d;
    return 0;
  }

  bool isNull() const { return v_.index() == 0; }
  bool isBool() const { return v_.index() == 1; }
  bool isNumber() const { return v_.index() == 2 || v_.index() == 3; }
  bool isInt() const { return v_.index() == 2; }
  bool isString() const { return v_.index() == 4; }
  bool isObject() const { return v_.index() == 5; }
  bool isArray() const { return v_.index() == 6; }
  /// The number as double; 0 for other kinds.
  double asDouble() const {
    if (const int64_t *i = std::get_if<int64_t>(&v_)) return (double)*i;
    if (const double *d = std::get_if<double>(&v_)) return *d;
    return 0;
  }
  bool asBool() const { return isBool() && std::get<bool>(v_); }
  /// The string; empty for other kinds.
  const std::string &asString() const {
    static const std::string empty;
    const std::string *s = std::get_if<std::string>(&v_);
    return s ? *s : empty;
  }
  /// Members / elements; empty for other kinds.
  const Object &members() const {
    static const Object empty;
    const Object *o = std::get_if<Object>(&v_);
    return o ? *o : empty;
  }
  const Array &elements() const {
    static const Array empty;
    const Array *a = std::get_if<Array>(&v_);
    return a ? *a : empty;
  }

  /// Pretty-printed with 2-space indent and a trailing newline.
  std::string dump() const;

  /// Parses RFC 8259 JSON text (JsonParse.cpp). Integers that fit int64
  /// stay integers, other numbers become doubles; duplicate keys keep the
  /// last value; nesting deeper than 256 levels is an error. Errors
  /// (ErrorCode::InvalidInput) give the line and column.
  static Expected<Json> parse(const std::string &text);

private:
  void write(std::string &out, int indent) const;
  std::variant<std::nullptr_t, bool, int64_t, double, std::string, Object,
               Array>
      v_;
};

} // namespace edgec
