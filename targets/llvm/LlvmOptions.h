// Options of the LLVM target (`--target llvm --triple T [--cpu C]
// [--features +a,-b]`) and the table of the triples it supports.
#pragma once

#include "plan/ArenaPlanner.h"

#include <string>
#include <vector>

namespace edgec::llvmtarget {

/// What the target needs to know about one supported triple (data, one row
/// per triple: LlvmOptions.cpp).
struct TripleInfo {
  const char *triple;     ///< "x86_64-linux-gnu"
  const char *mcuCpu;     ///< the MCU lowering's --cpu ("host": portable kernels)
  const char *defaultCpu; ///< LLVM CPU when --cpu is not given
  /// How clang-14 takes the CPU: "-march=" (x86) or "-mcpu=" (Arm).
  const char *cpuFlag;
  const char *clangFlags; ///< extra clang-14 flags (C library headers of the triple)
  bool pic;               ///< position-independent code (Linux: PIE executables)
  const char *linker;     ///< C compiler that links the test harness ("" = none)
  const char *linkFlags;  ///< its extra flags
  const char *runner;     ///< runs the harness ("" = natively; "qemu-aarch64")
  /// The CPU of runtime/platform/edgec_board.mk that the harness firmware
  /// is built for and run under QEMU system emulation ("" = a Linux program).
  const char *boardCpu;
};

/// The supported triples, in a fixed order.
const std::vector<TripleInfo> &tripleTable();
/// The row of `triple`, or null.
const TripleInfo *findTriple(const std::string &triple);

struct LlvmOptions {
  std::string triple = "x86_64-linux-gnu";
  std::string cpu;      ///< "" = the triple's default
  std::string features; ///< "+avx2,+fma" (LLVM subtarget features)
  int64_t alignment = 16;
  plan::ArenaStrategy strategy = plan::ArenaStrategy::Best;
};

} // namespace edgec::llvmtarget
