// The HTML page of `edgec quantize --html`: the quantization error per layer
// (SNR and cosine similarity as bars) and per output, from the command's
// report (schema edgec.quantize-report.v1, docs/quantization.md).
#pragma once

#include "support/Json.h"

#include <string>

namespace edgec::report {

/// The page for a quantize report. Charts: svg#layer-snr and
/// svg#layer-cosine (one rect.bar.layer per accuracy.layers entry, data-layer
/// = its node), svg#output-snr (one rect.bar.output per accuracy.outputs
/// entry, data-output = its name); a table of the numbers under each.
std::string quantizeReportHtml(const Json &report);

} // namespace edgec::report
