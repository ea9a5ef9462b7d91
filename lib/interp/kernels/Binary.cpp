// Binary kernels. (Placeholder: filled in by the kernel work.)
#include "interp/KernelUtil.h"

namespace edgec {

void registerBinaryKernels(KernelRegistry &r) { (void)r; }

} // namespace edgec
