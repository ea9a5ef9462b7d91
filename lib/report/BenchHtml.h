// The HTML page of `edgec bench --html`: per-layer instructions (QEMU
// profile) and host latency as bars, from the bench report (schema
// edgec.bench-report.v1, docs/cli.md).
#pragma once

#include "support/Json.h"

#include <string>

namespace edgec::report {

/// The page for a bench report: one section per executor (its object
/// member: "host", "qemu"). Charts: svg#layers-EXECUTOR (one rect.bar.layer
/// per entry of the executor's `layers`, data-layer = its name) and
/// svg#time-EXECUTOR (rect.bar.time: the compiled code's median and
/// minimum, the interpreter's median, in ms); a table under each.
std::string benchReportHtml(const Json &report);

/// The page for `bench --targets` (schema edgec.bench-matrix.v1): the
/// comparison table (one row per entry, a column per figure), then each
/// entry's executor sections as above, chart ids prefixed with the entry
/// (svg#layers-ENTRY-EXECUTOR, svg#time-ENTRY-EXECUTOR).
std::string benchMatrixHtml(const Json &matrix);

} // namespace edgec::report
