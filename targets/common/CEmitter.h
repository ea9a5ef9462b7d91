// The C emitter: prints a planned lowered program as C99 (NAME.c): the
// constants as static const arrays (flash), each parameter block as a
// static const struct with designated initializers, and NAME_run(), which
// calls the kernels of every step in schedule order with constant arena
// offsets.
#pragma once

#include "targets/common/Program.h"

#include <set>
#include <string>
#include <vector>

namespace edgec::target {

/// NAME.c for p (planMemory must have run). `runtime` is every runtime file
/// the package holds (relative to runtime/); the kernel headers among them
/// are included.
struct CSourceOptions {
  /// Declare the constants `extern const` instead of defining them: an
  /// emitter that stores weights itself (the LLVM target: raw data
  /// sections) defines them under constantNames().
  bool externConstants = false;
};
std::string emitCSource(const Program &p, const std::set<std::string> &runtime,
                        const CSourceOptions &o = {});

/// The C identifier of each of p.constants, as emitCSource names them.
std::vector<std::string> constantNames(const Program &p);

} // namespace edgec::target
