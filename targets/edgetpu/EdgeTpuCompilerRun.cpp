// Running edgetpu_compiler (see EdgeTpuCompilerRun.h).
#include "targets/edgetpu/EdgeTpuCompilerRun.h"

#include "support/FileIO.h"
#include "support/Process.h"

#include <filesystem>

namespace edgec::edgetpu {

Expected<CompilerRun> runEdgeTpuCompiler(const std::string &tflite, const std::string &fileName,
                                         const std::string &logFile) {
  CompilerRun r;
  if (!logFile.empty()) {
    EDGEC_ASSIGN_OR_RETURN(std::string text, readFileBytes(logFile));
    auto log = parseCompilerLog(text);
    if (!log) return log.error().withContext("compiler-log " + logFile + ": ");
    r.how = "log read from " + logFile;
    r.log = *log;
    return r;
  }
  std::string exe = findOnPath("edgetpu_compiler");
  if (exe.empty()) {
    r.how = "edgetpu_compiler not found on PATH";
    return r;
  }
  EDGEC_ASSIGN_OR_RETURN(std::string dir, makeTempDir("edgec-edgetpu-"));
  TempDir scratch(dir);
  const std::string in = dir + "/" + fileName;
  EDGEC_TRY(writeFileBytes(in, tflite));
  const std::string out = dir + "/stdout.txt";
  r.exitStatus = runCommand("cd " + shellQuote(dir) + " && " + shellQuote(exe) + " -s -o " +
                                shellQuote(dir) + " " + shellQuote(fileName),
                            out);
  r.how = "ran " + exe + " -s (exit status " + std::to_string(r.exitStatus) + ")";
  std::string text;
  if (auto t = readFileBytes(out)) text = *t;
  EDGEC_ASSIGN_OR_RETURN(CompilerLog log, parseCompilerLog(text));
  if (r.exitStatus != 0 && !log.failed) {
    log.failed = true;
    log.failure = "edgetpu_compiler exited with status " + std::to_string(r.exitStatus);
  }
  r.log = log;
  std::string stem = fileName.size() > 7 && fileName.compare(fileName.size() - 7, 7, ".tflite") == 0
                         ? fileName.substr(0, fileName.size() - 7)
                         : fileName;
  std::error_code ec;
  const std::string compiled = dir + "/" + stem + "_edgetpu.tflite";
  if (std::filesystem::is_regular_file(compiled, ec))
    if (auto b = readFileBytes(compiled)) r.compiled = *b;
  return r;
}

} // namespace edgec::edgetpu
