// The C99 files of the OpenCL package: the host launcher (dlopen of
// libOpenCL.so.1, one context, one in-order queue, buffers and kernels
// created in init, run enqueues and waits once), its header, the embedded
// kernel source and weights, the test harness, Makefile and CMakeLists.txt.
#pragma once

#include "targets/Target.h"

#include <string>
#include <vector>

namespace edgec::gpu {

/// A device buffer ("arena", "weights", "in0", "out0") and a byte offset.
struct BufferRef {
  std::string buffer;
  int64_t byteOffset = 0;
};

/// One enqueued operation of run(): a kernel launch (buffers = its
/// arguments in order) or a copy (bufs = {dst, src}, bytes).
struct LaunchOp {
  bool copy = false;
  std::string kernel;
  int64_t threads = 0;
  std::vector<BufferRef> bufs;
  int64_t bytes = 0;
  std::string comment;
};

struct LauncherPlan {
  std::string name;
  int64_t arenaBytes = 0, weightBytes = 0, workGroup = 64;
  std::vector<int64_t> inputBytes, outputBytes;
  std::vector<int64_t> outputElementBytes; ///< for the harness's unwritten-element check
  std::vector<LaunchOp> ops;
};

std::vector<target::Artifact> launcherFiles(const LauncherPlan &p, const std::string &kernelSource,
                                            const std::string &weights);

} // namespace edgec::gpu
