// A minimal JSON value with deterministic output: object keys are sorted,
// numbers print the same on every run, no timestamps or pointers.
#pragma once

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

  /// Pretty-printed with 2-space indent and a trailing newline.
  std::string dump() const;

private:
  void write(std::string &out, int indent) const;
  std::variant<std::nullptr_t, bool, int64_t, double, std::string, Object,
               Array>
      v_;
};

} // namespace edgec
