// The files of an LLVM target package: NAME.o (LlvmCodegen), NAME.h and
// runtime/include/edgec_rt.h (the MCU package's API, byte for byte), and
// for triples with a harness linker main.c, the host platform layer and a
// Makefile that links the object with them (`make run ARGS=...`).
#pragma once

#include "targets/Target.h"
#include "targets/common/Program.h"
#include "targets/llvm/LlvmOptions.h"

namespace edgec::llvmtarget {

struct PackageRequest {
  const TripleInfo *triple = nullptr;
  std::string cpu, features;
};

struct LlvmPackage {
  std::vector<target::Artifact> files; ///< sorted by path
  std::string llvmVersion;
  size_t objectBytes = 0;
};

/// The package of a planned program.
Expected<LlvmPackage> buildPackage(const target::Program &p, const PackageRequest &r);

/// The harness Makefile for a triple with a linker.
std::string harnessMakefile(const target::Program &p, const TripleInfo &t);

} // namespace edgec::llvmtarget
