// The command-line side of `edgec compile`, `validate` and `bench`: their
// shared options, the package build directory and the comparison of
// outputs with the interpreter. The driver itself is targets/Driver.h.
#pragma once

#include "Progress.h"
#include "ir/Graph.h"
#include "support/Error.h"
#include "support/Process.h"
#include "targets/Driver.h"
#include "targets/Executor.h"

#include <CLI/CLI.hpp>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace edgec::tool {

using target::CompileOutput;
using target::CompileRequest;
using target::compileModel;
using target::writeArtifacts;

/// Registers the compile options (model, --target, --cpu, --option,
/// --input-shape, --name, --quantize ..., --print-after, --print-after-all)
/// on a subcommand; --print-after goes to stderr.
void addCompileOptions(CLI::App *c, CompileRequest &r);

/// Options of the commands that build and run a package (validate, bench).
struct RunRequest {
  std::string keep;                ///< build here and keep it ("" = temporary)
  std::vector<std::string> inputs; ///< input files; none: seeded random inputs
  std::vector<std::string> expect; ///< expected output files (a golden), model-output order
  uint64_t seed = 1;
};
void addRunOptions(CLI::App *c, RunRequest &r);

/// A compiled package written to its build directory, with the inputs to
/// run it on. A temporary directory is removed with the object.
struct PackageBuild {
  CompileOutput compiled;
  std::string dir;
  std::vector<Tensor> inputs;
  std::vector<Tensor> expected; ///< from --expect, one per model output (or none)
  TempDir temp;
};
/// compileModel, notes to stderr, artifacts written, inputs loaded; the
/// compile stages drawn on `progress` when given.
Expected<std::unique_ptr<PackageBuild>> buildPackage(const CompileRequest &c, const RunRequest &r,
                                                     const std::string &tempPrefix,
                                                     Progress *progress = nullptr);

/// `r` with its compile stages drawn on `p`.
CompileRequest withProgress(CompileRequest r, Progress &p);

/// What an executor needs to run the package of `b` on its inputs.
target::ExecRequest execRequest(const PackageBuild &b);

/// The interpreter's outputs for a prepared model on `inputs`.
Expected<std::vector<Tensor>> referenceOutputs(const Model &m, const std::vector<Tensor> &inputs);

struct Tolerance;
/// The model outputs `got` (the interpreter's or an executor's, named by
/// `who`) against the --expect files, within `t`: a Mismatch error naming
/// the first output that differs. OK when no --expect was given.
Status checkExpected(const PackageBuild &b, const std::vector<Tensor> &got, const Tolerance &t,
                     const std::string &who);

/// One output of compiled code against the interpreter.
struct OutputCheck {
  std::string name;
  int64_t elements = 0, exact = 0, bad = 0;
  double maxAbs = 0, maxRel = 0, cosine = 1;
  bool pass = true;
};
struct Tolerance {
  double rtol = 1e-4, atol = 1e-5; ///< float outputs
  int steps = 0;                   ///< integer outputs
};
OutputCheck compareOutput(const std::string &name, const Tensor &got, const Tensor &want,
                          const Tolerance &t);
Json outputCheckJson(const OutputCheck &c, const Value &v);
std::string outputCheckLine(const OutputCheck &c);

/// Per-pass statistics (`--stats`), as optimize and compile print them.
void printPassStatistics(std::ostream &os, const std::vector<PassRunSummary> &s);
Json passStatisticsJson(const std::vector<PassRunSummary> &s);

} // namespace edgec::tool
