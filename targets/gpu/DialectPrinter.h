// The dialect printers of the kernel description (KernelDesc.h): OpenCL C
// 1.2 and CUDA C++. They differ only in the signature, the address-space
// and type spellings and the index (get_global_id / blockIdx, threadIdx);
// the body is shared.
#pragma once

#include "targets/gpu/KernelDesc.h"

#include <string>
#include <vector>

namespace edgec::gpu {

/// The OpenCL C source of kernel k; offsets[i] is the element offset of
/// argument i in the buffer it is bound to (baked into the source).
std::string printOpenClKernel(const KernelDesc &k, const std::vector<int64_t> &offsets);
/// The same kernel in CUDA C++ (extern "C" __global__, 1-D grid).
std::string printCudaKernel(const KernelDesc &k, const std::vector<int64_t> &offsets);
/// What a CUDA translation unit of printed kernels starts with.
std::string cudaPrelude();

} // namespace edgec::gpu
