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

} // namespace edgec::tool
