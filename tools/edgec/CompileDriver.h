// Shared by `edgec compile`, `validate` and `bench`: load a model, quantize
// it on request, prepare, partition and emit it for a target, and write the
// artifacts inside one output directory.
#pragma once

#include "ir/Graph.h"
#include "support/Error.h"
#include "targets/Target.h"

#include <CLI/CLI.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace edgec::tool {

struct CompileRequest {
  std::string model;
  std::string target = "mcu";
  std::string cpu; ///< shorthand for --option cpu=...
  std::vector<std::string> options; ///< NAME=VALUE
  std::vector<std::string> inputShapes;
  std::string name = "model";
  // Quantization on request (a float model): --quantize with --calib DIR or
  // --calib-random N.
  bool quantize = false;
  std::string calib;
  int calibRandom = 0;
  std::string activations = "int8";
};

/// Registers the options above on a subcommand.
void addCompileOptions(CLI::App *c, CompileRequest &r);

struct CompileOutput {
  std::unique_ptr<Model> model; ///< the prepared model that was compiled
  std::unique_ptr<target::Target> target;
  target::EmitResult result;
  std::string name; ///< the C identifier used
  std::vector<std::string> notes;
};

Expected<CompileOutput> compileModel(const CompileRequest &r);

using target::writeArtifacts;

/// Options of the commands that build and run a package (validate, bench).
struct RunRequest {
  std::string keep;                ///< build here and keep it ("" = temporary)
  std::vector<std::string> inputs; ///< input files; none: seeded random inputs
  uint64_t seed = 1;
};
void addRunOptions(CLI::App *c, RunRequest &r);

/// A compiled package written to its build directory, with the inputs to
/// run it on. A temporary directory is removed with the object.
struct PackageBuild {
  CompileOutput compiled;
  std::string dir;
  std::vector<Tensor> inputs;
  bool temporary = false;
  PackageBuild() = default;
  PackageBuild(const PackageBuild &) = delete;
  PackageBuild &operator=(const PackageBuild &) = delete;
  ~PackageBuild();
};
/// compileModel, notes to stderr, artifacts written, inputs loaded.
Expected<std::unique_ptr<PackageBuild>> buildPackage(const CompileRequest &c, const RunRequest &r,
                                                     const std::string &tempPrefix);

} // namespace edgec::tool
