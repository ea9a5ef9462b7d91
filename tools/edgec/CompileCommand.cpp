// edgec compile: a model to a target package (C99 + runtime for --target
// mcu), with a compile report (text on stdout, JSON with --report): per
// layer the kernel and memory, per node where it runs and why.
#include "Commands.h"

#include "CompileDriver.h"
#include "report/CompileHtml.h"
#include "support/FileIO.h"

#include <iostream>

namespace edgec::tool {

namespace {

struct CompileCliOptions {
  CompileRequest req;
  std::string output;
  std::string report;
  std::string html;
  bool quiet = false;
  bool stats = false;
};

Status runCompile(const CompileCliOptions &o) {
  Progress progress("compile");
  EDGEC_ASSIGN_OR_RETURN(CompileOutput c, compileModel(withProgress(o.req, progress)));
  progress.clear();
  for (const std::string &n : c.notes) std::cerr << "note: " << n << "\n";
  EDGEC_TRY(writeArtifacts(o.output, c.result.files));
  if (!o.report.empty()) {
    Json rep = c.result.report;
    if (o.stats) rep["passes"] = passStatisticsJson(c.passes);
    EDGEC_TRY(writeFileBytes(o.report, rep.dump() + "\n"));
  }
  if (!o.html.empty())
    EDGEC_TRY(writeFileBytes(o.html, report::compileReportHtml(c.result.report)));
  if (!o.quiet) {
    std::cout << c.result.textReport;
    if (o.stats) printPassStatistics(std::cout, c.passes);
    std::cout << "\nwrote " << c.result.files.size() << " files to " << o.output << "\n";
  }
  return c.result.unfinished;
}

} // namespace

Runner addCompileCommand(CLI::App &app) {
  auto o = std::make_shared<CompileCliOptions>();
  CLI::App *c = app.add_subcommand("compile", "compile a model for a target (C99 package for mcu)");
  addCompileOptions(c, o->req);
  c->add_option("-o,--output", o->output, "output directory")->required();
  c->add_option("--report", o->report, "write the compile report as JSON to this file");
  c->add_option("--html", o->html,
                "write the compile report as one self-contained HTML page (arena timeline, "
                "placement per node)");
  c->add_flag("--stats", o->stats, "per-pass statistics of the target's pipeline");
  c->add_flag("-q,--quiet", o->quiet, "no report on stdout");
  return [o] { return runCompile(*o); };
}

} // namespace edgec::tool
