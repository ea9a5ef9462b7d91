// Static arena planning: assigns every buffer of a scheduled graph an offset
// in one arena so that buffers live at the same time never overlap.
//
// Target independent: the MCU, NPU and GPU back ends describe their buffers
// (size and the schedule steps where each is live) and get offsets back.
// Several strategies run and the smallest arena wins (ties: the earlier
// strategy in kArenaStrategies), so the result is deterministic. The plan
// carries the lower bound every plan must respect: the largest sum of the
// (aligned) sizes of buffers live at one step.
#pragma once

#include "support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace edgec::plan {

/// One buffer: live from step `first` to step `last`, both inclusive (a
/// node's inputs and outputs are all live at that node's step).
struct Buffer {
  std::string name; ///< for reports
  int64_t size = 0;
  int first = 0;
  int last = 0;
};

enum class ArenaStrategy {
  GreedyBySize,      ///< largest first, lowest fitting offset (TFLite Micro)
  GreedyByConflict,  ///< most contended (live-set weight at its steps) first
  GreedyByStart,     ///< in schedule order, lowest fitting offset (best fit)
  Best,              ///< all of the above plus a small search; the smallest
};

const char *arenaStrategyName(ArenaStrategy s);
/// "size", "conflict", "start", "best" -> strategy; error otherwise.
Expected<ArenaStrategy> parseArenaStrategy(const std::string &name);

struct ArenaPlan {
  std::vector<int64_t> offsets; ///< per buffer, in request order
  int64_t arenaSize = 0;        ///< bytes, a multiple of the alignment
  int64_t lowerBound = 0;       ///< max over steps of live (aligned) bytes
  int peakStep = -1;            ///< a step where the lower bound is reached
  ArenaStrategy strategy = ArenaStrategy::GreedyBySize; ///< the one used
  /// Arena size each strategy produced (for reports), in strategy order.
  std::vector<std::pair<std::string, int64_t>> tried;
};

/// Plans `buffers` with offsets aligned to `alignment` (a power of two).
/// Zero-size buffers get offset 0 and take no space. Error on negative sizes
/// or inverted lifetimes (callers' bugs reported cleanly).
Expected<ArenaPlan> planArena(const std::vector<Buffer> &buffers,
                              int64_t alignment,
                              ArenaStrategy strategy = ArenaStrategy::Best);

/// The lower bound alone.
int64_t arenaLowerBound(const std::vector<Buffer> &buffers, int64_t alignment,
                        int *peakStep = nullptr);

/// True when no two buffers that are live at a common step overlap in the
/// plan, every offset is aligned and every buffer ends within the arena.
bool verifyArenaPlan(const std::vector<Buffer> &buffers, const ArenaPlan &plan,
                     int64_t alignment);

} // namespace edgec::plan
