// Reading the commands' JSON reports for the HTML pages: a missing member is
// a null (the page leaves that part out), never an error.
#pragma once

#include "report/Html.h"
#include "support/Json.h"

#include <string>

namespace edgec::report {

/// Member `k` of `j`, or a null when `j` is no object or lacks it.
inline const Json &at(const Json &j, const std::string &k) {
  static const Json null;
  const Json *m = j.find(k);
  return m ? *m : null;
}

/// A scalar as text: strings as they are, numbers by formatNumber, booleans
/// "yes"/"no", null and containers "".
inline std::string textOf(const Json &j) {
  if (j.isString()) return j.asString();
  if (j.isNumber()) return formatNumber(j.asDouble());
  if (j.isBool()) return j.asBool() ? "yes" : "no";
  return "";
}

} // namespace edgec::report
