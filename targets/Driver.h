// The compile driver shared by `edgec compile`, `validate`, `bench`,
// `inspect --target` and the conformance runner: configure a target (and its
// fallback), load and optionally quantize a model, run the target's
// preparation and pipeline through one pass manager (so --print-after and
// --stats work), partition by the target's policy, emit; and the inputs
// compiled code runs on.
#pragma once

#include "passes/PassManager.h"
#include "targets/Partition.h"
#include "targets/Target.h"

#include <functional>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace edgec::target {

/// A configured target and, when its policy has one, its fallback.
struct TargetSetup {
  std::unique_ptr<Target> target;
  std::unique_ptr<Target> fallback;
};

/// Creates and configures `name`. `options` are NAME=VALUE: plain names go
/// to the target, FALLBACK.NAME (e.g. mcu.kernels=portable) to its fallback
/// target; `cpu` (when not empty) sets the `cpu` option of each of them
/// that has one. Usage error naming a bad option.
Expected<TargetSetup> setUpTarget(const std::string &name, const std::vector<std::string> &options,
                                  const std::string &cpu);

/// How the driver runs a target's pipeline.
struct PipelineRun {
  std::vector<std::string> printAfter; ///< pass names
  bool printAfterAll = false;
  std::ostream *dump = nullptr;     ///< where --print-after goes
};

/// The target's prepareModel(), its pipeline and a topological sort;
/// returns what each pass did. Usage error for an unknown --print-after
/// pass.
Expected<std::vector<PassRunSummary>> prepareForTarget(Model &m, TargetSetup &t,
                                                       const PipelineRun &run = {});
/// Places every node (Partition.h) with the target's policy.
Partition partitionForTarget(const Model &m, const TargetSetup &t);

struct CompileRequest {
  std::string model;
  std::string target = "mcu";
  std::string cpu;                  ///< shorthand for --option cpu=...
  std::vector<std::string> options; ///< NAME=VALUE
  std::vector<std::string> inputShapes;
  std::string name = "model";
  // Quantization on request (a float model): --quantize with --calib DIR or
  // --calib-random N.
  bool quantize = false;
  std::string calib;
  int calibRandom = 0;
  std::string activations = "int8";
  PipelineRun pipeline;
  /// After preparation, every value a node of the main graph computes
  /// becomes a graph output too (after the model's own, in node order), so
  /// the compiled code returns each layer's result (validate --per-layer).
  bool exposeIntermediates = false;
  /// Told each stage of compileModel as it starts (loading, preparing,
  /// partitioning, emitting), for progress; may be empty.
  std::function<void(const std::string &)> onStage;
};

struct CompileOutput {
  std::unique_ptr<Model> model; ///< the prepared model that was compiled
  /// How many of its graph outputs are the model's own (the rest are
  /// exposed intermediates).
  size_t modelOutputs = 0;
  TargetSetup setup;
  Partition partition;
  EmitResult result;
  std::string name; ///< the C identifier used
  std::vector<std::string> notes;
  std::vector<PassRunSummary> passes;
};

/// Loads (and quantizes) the model of r, prepared for r's target; the
/// setup and the pass summary come back through `out`.
Expected<std::unique_ptr<Model>> loadForTarget(const CompileRequest &r, CompileOutput &out);
/// The whole compile: load, prepare, partition, emit. Nodes that run
/// nowhere are one error naming each (ErrorCode::Unsupported).
Expected<CompileOutput> compileModel(const CompileRequest &r);
/// Emits an already prepared model (the conformance runner).
Expected<EmitResult> emitForTarget(const Model &m, const Partition &p, TargetSetup &t,
                                   const std::string &name);

/// Deterministic pseudo-random inputs for the model's inputs (float
/// uniform in [-1, 1], integers over their type's range), seed `seed`.
/// Appends to m's graph outputs every value a main-graph node computes that
/// is not one already, in node order; returns how many were added.
size_t exposeIntermediates(Model &m);

Expected<std::vector<Tensor>> randomInputs(const Model &m, uint64_t seed);

} // namespace edgec::target
