// The compile report of a planned lowered program, shared by the targets
// whose output the C emitter prints (schema edgec.compile-report.v1): the
// arena against its lower bound, weights, MACs, one row per layer (op, the
// target that runs it, kernel, shapes, MACs, weight bytes, storage) and the
// partition (each node's placement and reason). Targets add their own keys.
#pragma once

#include "support/Json.h"
#include "targets/Partition.h"
#include "targets/common/Program.h"

#include <string>

namespace edgec::target {

/// One layer of the report.
struct LayerRow {
  int index = 0;
  std::string name, op, target, kernel;
  std::vector<std::string> inputs, outputs; ///< "f32[1,3,32,32]"
  int64_t macs = 0, weightBytes = 0;
  int64_t arenaOffset = -1; ///< output 0 (-1: not in the arena)
  int64_t arenaBytes = 0;
  std::string storage;      ///< "arena", "output 0", "view of 'x'", ...
  bool inPlace = false;
};
std::vector<LayerRow> layerRows(const Program &p);

/// The planned arena buffers (`arena.buffers` of the report), in planning
/// order (values by definition, then scratch): {"name", "kind" ("value" or
/// "scratch"), "offset", "bytes", "first", "last"} with the steps (indices
/// of `layers`) from the one writing the buffer to the last one reading it,
/// both inclusive. An output computed in place has no entry of its own: it
/// shares its input's buffer, whose `last` covers its uses.
Json arenaBuffersJson(const Program &p);

/// The report's JSON (without schema/target keys, which the target adds).
Json programReport(const Program &p, const Partition &part, plan::ArenaStrategy strategy);
/// The summary lines and the per-layer table for people; `title` is the
/// first line ("target mcu (cortex-m4, optimized kernels), package 'model'").
std::string programReportText(const Program &p, const Partition &part, const std::string &title);

} // namespace edgec::target
