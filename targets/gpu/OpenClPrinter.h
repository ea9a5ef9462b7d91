// The OpenCL C 1.2 dialect printer of the kernel description (KernelDesc.h).
// A CUDA printer prints the same description with its own signature and
// index (blockIdx/threadIdx); the body is shared.
#pragma once

#include "targets/gpu/KernelDesc.h"

#include <string>
#include <vector>

namespace edgec::gpu {

/// The OpenCL C source of kernel k; offsets[i] is the element offset of
/// argument i in the buffer it is bound to (baked into the source).
std::string printOpenClKernel(const KernelDesc &k, const std::vector<int64_t> &offsets);

} // namespace edgec::gpu
