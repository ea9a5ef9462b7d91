// C spelling for emitters: identifiers from arbitrary model names (ONNX
// names may contain '/', ':', '.', quotes, braces, or be empty), element
// types, exact literals, string literals and comment text.
#pragma once

#include "ir/DataType.h"

#include <cstdint>
#include <set>
#include <string>

namespace edgec::target {

/// A valid C99 identifier for `name`: characters outside [A-Za-z0-9_]
/// become '_', runs of '_' collapse, a leading digit, a C keyword or a
/// reserved spelling gets a prefix; empty names become `fallback`.
std::string sanitizeIdentifier(const std::string &name,
                               const std::string &fallback = "t");

/// Hands out identifiers unique within one generated file.
class IdentifierPool {
public:
  /// sanitizeIdentifier(hint), with a numeric suffix when taken.
  std::string make(const std::string &hint);
  void reserve(const std::string &id) { used_.insert(id); }

private:
  std::set<std::string> used_;
};

/// A C string literal body for arbitrary bytes (escapes quotes, backslashes,
/// non-printable and non-ASCII bytes; "??" trigraph-safe).
std::string cStringLiteral(const std::string &s);

/// Text safe inside a C block comment: no "*/", no line breaks, no
/// backslashes or trigraph-forming '?', printable ASCII only.
std::string cCommentText(const std::string &s);

/// The C element type a kernel sees for t ("float", "int8_t", ...; bool as
/// uint8_t), or "" for types generated code does not handle.
std::string cType(DataType t);

/// Exact C literal of a float ("%.9g" + "f", which round-trips every finite
/// float; infinities become +-INFINITY, NaN becomes NAN).
std::string cFloat(float f);
/// C literal of an integer ("-5", "2147483647", "(-2147483647 - 1)").
std::string cInt(int64_t v);

} // namespace edgec::target
