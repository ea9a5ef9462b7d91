// The real edgetpu_compiler, when it is there: run on the emitted file (or
// its log given with --option compiler-log=FILE, for a file compiled on
// another machine: the compiler is x86-64 Linux only), its output parsed
// (EdgeTpuCompilerLog.h) to set beside the prediction.
#pragma once

#include "support/Error.h"
#include "targets/edgetpu/EdgeTpuCompilerLog.h"

#include <optional>
#include <string>

namespace edgec::edgetpu {

struct CompilerRun {
  /// One line for the report: "not found on PATH", "ran /usr/bin/...",
  /// "log read from FILE".
  std::string how;
  std::optional<CompilerLog> log; ///< empty when the compiler was not found
  std::string compiled;           ///< the compiler's output file ("" when none)
  int exitStatus = 0;
};

/// With `logFile` non-empty: parses it. Otherwise looks for
/// `edgetpu_compiler` on PATH; when found, writes `tflite` as `fileName` in
/// a scratch directory and runs `edgetpu_compiler -s -o DIR FILE` there.
Expected<CompilerRun> runEdgeTpuCompiler(const std::string &tflite, const std::string &fileName,
                                         const std::string &logFile);

} // namespace edgec::edgetpu
