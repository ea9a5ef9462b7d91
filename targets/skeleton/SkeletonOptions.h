// Options of the skeleton target (`--target skeleton --option NAME=VALUE`).
#pragma once

#include <set>
#include <string>

namespace edgec::skeleton {

struct SkeletonOptions {
  /// The ops the skeleton runs itself (a subset of Add, Sub, Mul, Relu);
  /// the rest falls back to mcu. Narrowing it moves nodes to the fallback,
  /// which is how the tests exercise both sides of a partition.
  std::set<std::string> ops = {"Add", "Sub", "Mul", "Relu"};
};

} // namespace edgec::skeleton
