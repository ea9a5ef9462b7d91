// Attention kernels. (Placeholder: filled in by the kernel work.)
#include "interp/KernelUtil.h"

namespace edgec {

void registerAttentionKernels(KernelRegistry &r) { (void)r; }

} // namespace edgec
