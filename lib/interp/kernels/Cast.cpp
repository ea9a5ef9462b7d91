// Cast kernels. (Placeholder: filled in by the kernel work.)
#include "interp/KernelUtil.h"

namespace edgec {

void registerCastKernels(KernelRegistry &r) { (void)r; }

} // namespace edgec
