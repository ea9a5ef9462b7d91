// What the lowerings of one model write into: constants, file-scope
// declarations, per-step statements, runtime files and scratch requests.
// Tensor addresses are placeholders ("@V12@", "@S3@") until the arena is
// planned; CodeGen.cpp substitutes them.
#pragma once

#include "targets/mcu/CNames.h"
#include "targets/mcu/lower/Lowering.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace edgec::mcu {

class CodeUnit {
public:
  IdentifierPool ids;
  /// Constant definitions in creation order.
  std::vector<std::string> constantDefs;
  /// Content key -> identifier (deduplication).
  std::map<std::string, std::string> constantByContent;
  /// IR constant value -> identifier.
  std::map<const Value *, std::string> constantOfValue;
  int64_t constantBytes = 0;
  std::vector<std::string> statics;
  std::set<std::string> runtimeFiles;
  /// Value placeholders: id -> value, in first-reference order.
  std::vector<const Value *> referenced;
  std::map<const Value *, int> valueId;
  /// Scratch requests: (step, bytes), index = placeholder id.
  std::vector<std::pair<int, int64_t>> scratch;
  /// Statements of the current step.
  std::string body;

  std::string valueRef(const Value *v, bool asInput);
  std::string addConstant(const std::string &hint, const std::string &ctype,
                          const void *data, size_t count, size_t elemSize);
};

} // namespace edgec::mcu
