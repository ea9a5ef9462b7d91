// Builds a generated MCU package with its Makefile and runs its harness on
// the host or under QEMU (validate, bench).
#pragma once

#include "ir/Graph.h"
#include "support/Error.h"
#include "support/Json.h"

#include <map>
#include <string>
#include <vector>

namespace edgec::mcu {

/// A fresh directory under $TMPDIR (or /tmp).
Expected<std::string> makeTempDir(const std::string &prefix);
void removeTree(const std::string &dir);

struct HarnessRun {
  std::string log;          ///< build and run output
  std::string unit;         ///< "ns" or "instructions"
  uint64_t minCount = 0, medianCount = 0;
  std::vector<std::pair<std::string, uint64_t>> layers; ///< with EC_PROFILE
  std::vector<Tensor> outputs;
};

struct HarnessRequest {
  std::string dir;  ///< the package
  std::string cpu = "host";
  std::string extraCflags;
  int runs = 1, warmup = 0;
  int timeoutSeconds = 600;
};

/// Writes the inputs as raw files, builds (make), runs, reads the outputs
/// back typed like `outputTypes`.
Expected<HarnessRun> buildAndRun(const HarnessRequest &r, const std::vector<Tensor> &inputs,
                                 const std::vector<const Value *> &outputTypes);

/// Error (Unsupported) when a compiled model cannot fit the QEMU machine of
/// `cpu`: its weights (report `weight_bytes`, plus 128 KiB for code) above
/// the machine's flash, or its arena (plus 512 KiB for stack, heap and
/// harness buffers) above its RAM. OK for the host.
Status checkFitsMachine(const Json &compileReport, const std::string &cpu);

/// Runs a shell command, output to `logFile`; returns the exit status.
int runCommand(const std::string &cmd, const std::string &logFile);
std::string shellQuote(const std::string &s);

/// Deterministic pseudo-random inputs for the model's inputs (float
/// uniform in [-1, 1], integers over their type's range), seed `seed`.
Expected<std::vector<Tensor>> randomInputs(const Model &m, uint64_t seed);

} // namespace edgec::mcu
