// Checks a lowered program against the runtime ABI it is printed for: every
// parameter block must set each member of its struct, as declared in the
// runtime header that defines it, exactly once (nested structs too), and
// nothing else. Designated initializers would silently zero a forgotten
// member; this turns that into an internal error at compile time.
#pragma once

#include "support/Error.h"
#include "targets/common/Program.h"

#include <set>
#include <string>
#include <vector>

namespace edgec::target {

/// The member names of `typedef struct { ... } ctype;` in the runtime files
/// `files` (paths relative to runtime/), in declaration order, with the type
/// of each (for nested structs); error when no file defines ctype.
struct AbiMember {
  std::string name, type;
};
Expected<std::vector<AbiMember>> abiStructMembers(const std::string &ctype,
                                                  const std::set<std::string> &files);

/// Every parameter block of p against the structs declared in `files`.
Status checkParamBlocks(const Program &p, const std::set<std::string> &files);

} // namespace edgec::target
