// The memory plan of a lowered program: buffer lifetimes over the
// schedule, in-place reuse, scratch, and one arena planned with lib/plan.
#pragma once

#include "targets/common/Program.h"

namespace edgec::target {

struct MemoryOptions {
  int64_t alignment = 16; ///< of every arena buffer and of the arena
  plan::ArenaStrategy strategy = plan::ArenaStrategy::Best;
  /// Let a step write output 0 over the input it allows (Step::inPlaceInput)
  /// when that input dies there and has the same size.
  bool inPlace = true;
};

/// Fills p.memory and the offsets of arena values: one buffer per value
/// that is not a view (views share their root's), in-place outputs join
/// their input's buffer, each scratch request is a buffer of its step.
Status planMemory(Program &p, const MemoryOptions &o);

/// The byte offset of v's memory in the arena (following views), or -1
/// when v is not in the arena.
int64_t arenaOffset(const Program &p, const Value *v);

} // namespace edgec::target
