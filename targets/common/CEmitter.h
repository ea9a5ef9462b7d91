// The C emitter: prints a planned lowered program as C99 (NAME.c): the
// constants as static const arrays (flash), each parameter block as a
// static const struct with designated initializers, and NAME_run(), which
// calls the kernels of every step in schedule order with constant arena
// offsets.
#pragma once

#include "targets/common/Program.h"

#include <set>
#include <string>

namespace edgec::target {

/// NAME.c for p (planMemory must have run). `runtime` is every runtime file
/// the package holds (relative to runtime/); the kernel headers among them
/// are included.
std::string emitCSource(const Program &p, const std::set<std::string> &runtime);

} // namespace edgec::target
