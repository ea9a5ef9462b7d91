// Object code through LLVM 14: the C parts of a model (the graph function
// printed by the C emitter with its weights declared extern, and the
// runtime kernels it calls) are compiled to bitcode by clang-14, linked
// into one module with llvm::Linker, the weights are added as constant data
// arrays made from their bytes (never C text), everything but the public
// API is internalized, the O3 pipeline runs for the triple/CPU/features and
// llvm::TargetMachine writes the object. Builds without LLVM get
// LlvmCodegenMissing.cpp, whose functions return an error.
#pragma once

#include "ir/Graph.h"
#include "support/Error.h"
#include "targets/llvm/LlvmOptions.h"

#include <string>
#include <utility>
#include <vector>

namespace edgec::llvmtarget {

/// One weight array: the symbol the C code declares `extern const`.
struct WeightData {
  std::string symbol;
  const std::string *bytes = nullptr; ///< little-endian elements
  int64_t count = 0;
};

struct CodegenRequest {
  const TripleInfo *triple = nullptr;
  std::string cpu;      ///< resolved (never empty)
  std::string features; ///< "+avx2,+fma" or ""
  /// Every file clang needs (path relative to the build folder, content).
  std::vector<std::pair<std::string, std::string>> files;
  std::vector<std::string> compile; ///< the .c files among them, in link order
  std::vector<WeightData> weights;
  std::vector<std::string> exported; ///< symbols kept external
};

struct CodegenResult {
  std::string object;   ///< ELF relocatable bytes
  std::string llvmVersion;
};

/// Error (Usage) naming a CPU or feature LLVM does not know for the triple.
Status checkCpu(const TripleInfo &t, const std::string &cpu, const std::string &features);
/// The object file; Error (Unsupported) when clang-14 is missing, Internal
/// when a step fails (with clang's or LLVM's message).
Expected<CodegenResult> compileObject(const CodegenRequest &r);

} // namespace edgec::llvmtarget
