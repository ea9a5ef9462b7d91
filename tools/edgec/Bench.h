// One `edgec bench` run for one target: compile, check the outputs against
// the interpreter (and the --expect golden), then measure through each of
// the target's executors (BenchCommand.cpp). The matrix (BenchMatrix.h)
// calls it once per --targets entry.
#pragma once

#include "CompileDriver.h"
#include "support/Json.h"

#include <ostream>

namespace edgec::tool {

struct BenchOptions {
  CompileRequest req;
  int runs = 20, warmup = 3;
  bool json = false;
  std::string html; ///< --html FILE: the report as one self-contained page
  bool noInterpreter = false;
  bool noHost = false;
  RunRequest runReq;
  Tolerance tol;
};

/// `--target host` is the MCU target on the host: target "mcu", and cpu
/// "host" unless one was given.
void resolveHostAlias(CompileRequest &r);

/// The single-target bench of `o.req`: its `edgec.bench-report.v1` JSON,
/// with the report for people appended to `text`. A Mismatch error when
/// any output is wrong (no figures for wrong results).
Expected<Json> benchTarget(BenchOptions o, std::ostream &text);

} // namespace edgec::tool
