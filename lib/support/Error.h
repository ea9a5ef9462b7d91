// Error handling: returned errors for bad input, asserts for bugs.
//
// Every function that can fail on user input returns Status or Expected<T>.
// An Error carries an ErrorCode (which becomes the process exit code in
// tools/) and a one-line, lower-case message naming the model element.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace edgec {

/// Exit codes of the edgec tool; documented in docs/errors.md.
enum class ErrorCode : int {
  Ok = 0,
  Usage = 2,        ///< bad command line
  Io = 3,           ///< file missing, unreadable or unwritable
  InvalidModel = 4, ///< malformed or inconsistent model
  Unsupported = 5,  ///< valid model using ops/types edgec does not support
  InvalidInput = 6, ///< input tensors that do not fit the model
  Runtime = 7,      ///< failure while executing a valid model
  Mismatch = 8,     ///< validate: outputs differ beyond the tolerance
  Regression = 9,   ///< bench --baseline: a figure regressed past the threshold
  Internal = 70,    ///< a bug in edgec
};

const char *errorCodeName(ErrorCode code);

class Error {
public:
  Error(ErrorCode code, std::string message)
      : code_(code), message_(std::move(message)) {}
  ErrorCode code() const { return code_; }
  const std::string &message() const { return message_; }
  /// Prefixes context, e.g. "node 'conv1' (Conv): " + message.
  Error withContext(const std::string &prefix) const {
    return Error(code_, prefix + message_);
  }

private:
  ErrorCode code_;
  std::string message_;
};

/// Result of an operation that produces no value.
class [[nodiscard]] Status {
public:
  Status() = default;
  Status(Error e) : error_(std::move(e)) {} // NOLINT: implicit by design
  static Status ok() { return Status(); }
  bool isOk() const { return !error_.has_value(); }
  explicit operator bool() const { return isOk(); }
  const Error &error() const {
    assert(error_ && "error() on an ok Status");
    return *error_;
  }

private:
  std::optional<Error> error_;
};

/// A value or an Error.
template <typename T> class [[nodiscard]] Expected {
public:
  Expected(T value) : v_(std::move(value)) {} // NOLINT
  Expected(Error e) : v_(std::move(e)) {}     // NOLINT
  Expected(Status s) : v_(s.error()) {        // NOLINT
    assert(!s.isOk() && "Expected built from an ok Status");
  }
  bool isOk() const { return v_.index() == 0; }
  explicit operator bool() const { return isOk(); }
  T &operator*() {
    assert(isOk() && "dereferencing an Expected holding an error");
    return std::get<0>(v_);
  }
  const T &operator*() const {
    assert(isOk() && "dereferencing an Expected holding an error");
    return std::get<0>(v_);
  }
  T *operator->() { return &**this; }
  const T *operator->() const { return &**this; }
  T take() { return std::move(**this); }
  const Error &error() const {
    assert(!isOk() && "error() on an Expected holding a value");
    return std::get<1>(v_);
  }
  Status status() const { return isOk() ? Status() : Status(error()); }

private:
  std::variant<T, Error> v_;
};


inline Error makeError(ErrorCode code, std::string msg) {
  return Error(code, std::move(msg));
}

} // namespace edgec

#define EDGEC_CONCAT_INNER(a, b) a##b
#define EDGEC_CONCAT(a, b) EDGEC_CONCAT_INNER(a, b)

/// Returns the error of a Status/Expected expression from the enclosing
/// function.
#define EDGEC_TRY(expr)                                                        \
  do {                                                                         \
    auto &&edgec_try_tmp_ = (expr);                                            \
    if (!edgec_try_tmp_.isOk())                                                \
      return edgec_try_tmp_.error();                                           \
  } while (0)

/// `EDGEC_ASSIGN_OR_RETURN(auto x, f());` binds the value or returns the error.
#define EDGEC_ASSIGN_OR_RETURN(lhs, expr)                                      \
  EDGEC_ASSIGN_OR_RETURN_IMPL(EDGEC_CONCAT(edgec_aor_, __LINE__), lhs, expr)
#define EDGEC_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)                            \
  auto tmp = (expr);                                                           \
  if (!tmp.isOk())                                                             \
    return tmp.error();                                                        \
  lhs = tmp.take()
