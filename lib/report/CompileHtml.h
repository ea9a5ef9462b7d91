// The HTML page of `edgec compile --html`: the arena as a memory timeline
// and where each node runs, from the compile report (schema
// edgec.compile-report.v1, docs/targets.md).
#pragma once

#include "support/Json.h"

#include <string>

namespace edgec::report {

/// The page for a compile report. Charts: svg#arena-timeline (x = execution
/// step, y = arena offset; one rect.buffer per arena.buffers entry, from its
/// first to its last step at its offset and size, data-buffer = its name)
/// and svg#placement (one rect.node per placement.nodes entry, coloured by
/// the target that runs it, data-node = its name); a table under each.
/// Parts the report lacks (targets without an arena) are left out with a
/// sentence saying so.
std::string compileReportHtml(const Json &report);

} // namespace edgec::report
