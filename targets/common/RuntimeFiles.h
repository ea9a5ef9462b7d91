// The C runtime (runtime/) embedded in the compiler at build time
// (cmake/EmbedFiles.cmake): generated packages receive the files their
// calls need, and the headers those include.
#pragma once

#include "support/Error.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace edgec::target {

/// Every embedded runtime file: (path relative to runtime/, content), in
/// path order.
const std::vector<std::pair<std::string, std::string>> &embeddedRuntime();
/// The content of one embedded file, or null.
const std::string *findRuntimeFile(const std::string &path);

/// Adds `file`, its .c twin for a header, and transitively the runtime
/// headers they include with "...", resolved as the package's compiler
/// resolves them (the including file's folder, then -I runtime/include, then
/// -I runtime: "kernels/reference/fc_s8.h"), to `out`. Error for a name the
/// runtime does not have.
Status collectRuntime(const std::string &file, std::set<std::string> &out);

} // namespace edgec::target
